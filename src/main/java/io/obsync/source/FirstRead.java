package io.obsync.source;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.debezium.relational.RelationalTableFilters;
import io.obsync.filter.ObjectSelection;
import io.obsync.filter.SyncObjects;
import io.obsync.filter.TableSelection;
import io.obsync.manage.TaskStatus;
import io.obsync.state.SavedPosition;
import io.obsync.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a task's first read starts when it is not "now": full synchronization (every selected row,
 * then the changes from the moment the task started) or a start time in the past. Prepares the
 * Debezium properties before the engine starts; later starts read on from the saved position.
 */
final class FirstRead {

    private static final Logger LOG = LoggerFactory.getLogger(FirstRead.class);

    private final BinlogEndpoint endpoint;
    private final RelationalTableFilters filters;
    private final ObjectSelection selection;
    // set when tables are read in key chunks (obsync.source.signal-table); null otherwise
    private final SnapshotRequests chunks;
    private String fullSyncSeed;

    /**
     * @param filters   Debezium's database and table include/exclude lists
     * @param selection the objects file's selection, or null when the route has none
     * @param chunks    the chunked reads' requests, or null when tables are read in one snapshot
     */
    FirstRead(BinlogEndpoint endpoint, RelationalTableFilters filters, ObjectSelection selection, SnapshotRequests chunks) {
        this.endpoint = endpoint;
        this.filters = filters;
        this.selection = selection;
        this.chunks = chunks;
    }

    /**
     * Full synchronization or a start time: on the first start (no saved position) saves where reading
     * begins, marked as a snapshot in progress, and lets {@link FullSyncSnapshotter} read the table
     * structure (and, for full synchronization, every row) at exactly that position.
     */
    TaskStatus.Phase prepare(Properties properties) throws Exception {
        boolean fullSync = endpoint.isFullSync();
        Instant startTime = StartTime.parse(endpoint.getStartTime());
        boolean startPosition = StartTime.isPosition(endpoint.getStartTime());
        if (!fullSync && startTime == null && !startPosition) {
            return TaskStatus.Phase.INCREMENTAL;
        }
        StateStore saved = endpoint.getStateStore();
        Map<String, Object> offset = saved.position();
        boolean snapshotInProgress = snapshotInProgress(offset);
        if (offset == null) {
            var database = endpoint.getDebezium().getConfiguration();
            StartTime.BinlogPosition start;
            boolean nothingToRead = false;
            if (fullSync) {
                BinlogListing.Connector source = () -> SourceConnection.open(database.getDatabaseHostname(), Integer.toString(database.getDatabasePort()),
                        database.getDatabaseUser(), database.getDatabasePassword(), database.getDatabaseSslMode());
                start = BinlogListing.current(source);
                try (Connection connection = source.open()) {
                    if (chunks != null) {
                        // the request lands in the binlog after the start position: the stream reads it and
                        // then the tables in chunks; a crash before the position is saved makes a new start
                        nothingToRead = chunks.fullSync(connection, endpoint.getName() + "@" + start) == 0;
                    }
                }
                LOG.info("Full synchronization: every row of the selected tables{}, with the changes from {} on", chunks == null ? ", then" : " in chunks", start);
            } else {
                StartTime.Source source = new StartTime.Source(database.getDatabaseHostname(), database.getDatabasePort(), database.getDatabaseUser(),
                        database.getDatabasePassword(), database.getDatabaseSslMode(), database.getDatabaseServerId());
                if (startPosition) {
                    start = StartTime.position(source, endpoint.getStartTime());
                    LOG.info("Incremental synchronization starts at {} ({})", start, endpoint.getStartTime().trim());
                } else {
                    start = StartTime.resolve(source, startTime);
                    LOG.info("Incremental synchronization starts at {}, the first transaction at or after {}", start, startTime);
                }
            }
            Map<String, Object> first = new HashMap<>(Map.of("file", start.file(), "pos", start.position(), "snapshot", true));
            if (start.gtids() != null) {
                // with GTIDs the transactions before the start, so that reading resumes by GTID on any instance
                first.put("gtids", start.gtids());
            }
            if (fullSync && chunks != null && chunks.readOnly() && !nothingToRead) {
                // the request lives in memory until Debezium's offset carries the read: the position says to ask again
                fullSyncSeed = endpoint.getName() + "@" + start;
                first.put(FULL_SYNC_SEED_KEY, fullSyncSeed);
            }
            saved.savePosition(first);
            snapshotInProgress = true;
            if (nothingToRead) {
                // no table is selected yet: the structure is read at the start position and the changes follow
                fullSync = false;
            }
        } else if (fullSync && chunks != null && chunks.readOnly() && offset.get(FULL_SYNC_SEED_KEY) != null && offset.get(CHUNKS_REQUEST_KEY) == null) {
            // read-only: the request was made in memory and the task stopped before Debezium's offset carried the read
            fullSyncSeed = String.valueOf(offset.get(FULL_SYNC_SEED_KEY));
            try (Connection connection = chunks.connector().open()) {
                chunks.fullSync(connection, fullSyncSeed);
            }
        } else if (snapshotInProgress && fullSync && chunks == null) {
            LOG.info("Full synchronization did not finish before the task stopped: it starts again from the first row");
        }
        if (fullSync && chunks == null && properties.getProperty("snapshot.include.collection.list", "").isBlank()) {
            // read the rows of the selected tables only; the stream still sees every table (the objects file may change)
            String selected = selectedTablesPattern();
            if (selected != null) {
                properties.setProperty("snapshot.include.collection.list", selected);
            }
        }
        properties.setProperty("snapshot.mode", "custom");
        properties.setProperty("snapshot.mode.custom.name", "obsync");
        // read in chunks, the rows come through the stream: the snapshot reads only the table structure
        properties.setProperty(FullSyncSnapshotter.SNAPSHOT_DATA, Boolean.toString(fullSync && chunks == null));
        if (fullSync && chunks != null && fullSyncChunksInProgress(offset)) {
            return TaskStatus.Phase.FULL;
        }
        if (!snapshotInProgress) {
            return TaskStatus.Phase.INCREMENTAL;
        }
        return fullSync ? TaskStatus.Phase.FULL : TaskStatus.Phase.SCHEMA;
    }

    /** The objects file's include rules as Debezium's table regular expressions, or null when the task has none. */
    private String selectedTablesPattern() {
        SyncObjects objects = selection();
        if (objects == null) {
            return null;
        }
        List<String> patterns = new ArrayList<>();
        for (SyncObjects.Rule rule : objects.includes()) {
            patterns.add(rule.database().pattern() + "\\." + rule.table().pattern());
        }
        return String.join(",", patterns);
    }

    private SyncObjects selection() {
        return selection == null ? null : selection.objects();
    }

    /** Rows per selected table by the source's own estimate (information_schema.TABLES), for progress. */
    Map<String, Long> estimateRows() {
        var database = endpoint.getDebezium().getConfiguration();
        try (Connection connection = SourceConnection.open(database.getDatabaseHostname(), Integer.toString(database.getDatabasePort()),
                database.getDatabaseUser(), database.getDatabasePassword(), database.getDatabaseSslMode())) {
            return SelectedTables.of(filters, selection(), chunks == null ? null : chunks.signals()).of(TableSelection.all(connection));
        } catch (SQLException e) {
            LOG.warn("Full synchronization shows rows without estimates: the source's table sizes could not be read ({})", e.getMessage());
            return new TreeMap<>();
        }
    }

    /** Whether the saved position is inside the chunked read that full synchronization requested. */
    static boolean fullSyncChunksInProgress(Map<String, ?> offset) {
        if (offset == null) {
            return false;
        }
        Object id = offset.get(CHUNKS_REQUEST_KEY);
        return id != null && String.valueOf(id).startsWith(SignalTable.FULL_SYNC_PREFIX) || offset.get(FULL_SYNC_SEED_KEY) != null
                || ChunkReader.fullSyncIn(offset.get(ChunkReader.PROGRESS_KEY));
    }

    /**
     * Read-only chunked reads: the seed of the full synchronization requested in memory on this start,
     * which each saved position carries until Debezium's offset carries the read; null otherwise.
     */
    String fullSyncSeed() {
        return fullSyncSeed;
    }

    /** The offset key of {@link #fullSyncSeed()}. */
    static final String FULL_SYNC_SEED_KEY = "obsync_full_sync";

    /** Debezium's offset key for the request whose chunks are being read (incremental snapshot correlation id). */
    static final String CHUNKS_REQUEST_KEY = "incremental_snapshot_correlation_id";

    /** Whether an offset belongs to a snapshot that has not completed (obsync writes true, Debezium its snapshot type). */
    static boolean snapshotInProgress(Map<String, ?> offset) {
        return SavedPosition.snapshotInProgress(offset);
    }
}
