package io.obsync.source;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

import io.debezium.config.Configuration;
import io.debezium.connector.mysql.MySqlConnectorConfig;
import io.debezium.relational.RelationalTableFilters;
import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import io.obsync.filter.SyncObjects;
import io.obsync.filter.TableSelection;
import io.obsync.manage.Resync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the running source to read tables in key chunks (through the {@link SignalTable}): every
 * selected table for full synchronization, the tables an edit of the objects file newly selects
 * (backfill), and tables a user names (resync, over JMX or {@code obsync resync}).
 */
public final class SnapshotRequests implements Resync {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRequests.class);

    /** Opens a connection to the source with the task's settings. */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;
    }

    private final SignalTable signals;
    // read-only chunked reads (the source has GTIDs): requests go to the engine, nothing is written to the source
    private final EngineSignals engineSignals;
    private final Connector connector;
    private final RelationalTableFilters filters;
    private final Supplier<SyncObjects> objects;

    /**
     * @param filters Debezium's database and table include/exclude lists (null: every table)
     * @param objects the objects file's selection in force (null or supplying null: every table the filters pass)
     */
    public SnapshotRequests(SignalTable signals, Connector connector, RelationalTableFilters filters, Supplier<SyncObjects> objects) {
        this(signals, null, connector, filters, objects);
    }

    /** Requests sent to the running engine, for a source with GTIDs; no signal table. */
    static SnapshotRequests readOnly(EngineSignals engineSignals, Connector connector, RelationalTableFilters filters, Supplier<SyncObjects> objects) {
        return new SnapshotRequests(null, engineSignals, connector, filters, objects);
    }

    private SnapshotRequests(SignalTable signals, EngineSignals engineSignals, Connector connector, RelationalTableFilters filters,
                             Supplier<SyncObjects> objects) {
        this.signals = signals;
        this.engineSignals = engineSignals;
        this.connector = connector;
        this.filters = filters;
        this.objects = objects;
    }

    /**
     * The requests of a task as its configuration describes it, for {@code obsync resync} outside the task.
     *
     * @throws IllegalArgumentException one line when the task reads no tables in chunks
     */
    public static SnapshotRequests of(TaskConfig config) throws SQLException {
        Connector connector = () -> SourceConnection.open(config.text(Options.SOURCE_HOSTNAME), config.text(Options.SOURCE_PORT),
                config.text(Options.SOURCE_USER), config.text(Options.SOURCE_PASSWORD),
                config.text(Options.SOURCE_SSL_MODE));
        try (Connection connection = connector.open()) {
            if (ChunkedReads.gtidModeOn(connection)) {
                throw new IllegalArgumentException("Task " + config.text(Options.TASK_NAME) + " reads tables in chunks read-only "
                        + "(the source has GTIDs), so nothing outside it can ask for a read: use the running task's JMX operation resync.");
            }
        }
        String table = config.text(Options.SOURCE_SIGNAL_TABLE);
        if (table.isBlank()) {
            throw new IllegalArgumentException(NO_SIGNAL_TABLE);
        }
        SignalTable signals = SignalTable.parse(table);
        String databases = config.text(Options.SOURCE_DATABASES);
        Configuration debezium = Configuration.create()
                .with("topic.prefix", "obsync").with("database.include.list", databases.isBlank() ? null : databases).build();
        RelationalTableFilters filters = new MySqlConnectorConfig(debezium).getTableFilters();
        String objectsFile = config.text(Options.OBJECTS_FILE);
        SyncObjects objects = objectsFile.isBlank() ? null : SyncObjects.load(objectsFile.trim(), config.text(Options.DML));
        return new SnapshotRequests(signals, connector, filters, objects == null ? null : () -> objects);
    }

    /** The signal table; null when the requests go to the engine (read-only chunked reads). */
    public SignalTable signals() {
        return signals;
    }

    /** Whether nothing is written to the source: the requests go to the engine and the watermarks come from GTIDs. */
    boolean readOnly() {
        return engineSignals != null;
    }

    /** Hands requests made before the engine ran to it (read-only chunked reads). */
    void flush() {
        if (engineSignals != null) {
            engineSignals.flush();
        }
    }

    private int request(Connection connection, String id, Collection<String> tables) throws SQLException {
        return signals != null ? signals.request(connection, id, tables) : SignalTable.request(connection, id, tables, engineSignals);
    }

    private String through() {
        return signals != null ? signals.qualified() : "the engine (read-only: the source has GTIDs)";
    }

    /** Opens a connection to the source. */
    public Connector connector() {
        return connector;
    }

    /** Full synchronization on a task's first start: every selected table, once per start position. */
    int fullSync(Connection connection, String seed) throws SQLException {
        Set<String> tables = selectedTables(connection, objects == null ? null : objects.get());
        int keyless = request(connection, SignalTable.requestId(SignalTable.FULL_SYNC_PREFIX, seed), tables);
        LOG.info("Full synchronization in chunks of the primary key: {} table(s) requested through {}{}", tables.size(), through(),
                keyless == 0 ? "" : "; " + keyless + " without a primary key are read in one pass while the stream waits");
        return tables.size();
    }

    /**
     * After an edit of the objects file: the existing tables the new selection takes that the old one
     * did not get their rows read, while their changes stream on.
     *
     * @return the tables requested
     */
    public Set<String> backfill(SyncObjects before, SyncObjects after) {
        try (Connection connection = connector.open()) {
            List<TableSelection.Table> tables = TableSelection.all(connection);
            Set<String> added = new TreeSet<>(SelectedTables.of(filters, after, signals).of(tables).keySet());
            added.removeAll(SelectedTables.of(filters, before, signals).of(tables).keySet());
            if (!added.isEmpty()) {
                request(connection, "obsync-add-" + UUID.randomUUID(), added);
                LOG.info("Tables newly selected by the objects file are read in chunks while their changes stream on: {}", added);
            }
            return added;
        } catch (SQLException | RuntimeException e) {
            LOG.error("The tables newly selected by the objects file could not be requested for reading ({}); their changes are synced, "
                    + "their existing rows are not: ask for them with obsync resync or the JMX operation resync", e.getMessage());
            return Set.of();
        }
    }

    /**
     * Reads the named tables again, in chunks, while the stream goes on.
     *
     * @param names {@code database.table}, each a selected table of the task
     * @return the request's id
     * @throws IllegalArgumentException one line naming a table that is not one of the task's and why
     */
    @Override
    public String resync(List<String> names) throws SQLException {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("Name at least one table to resync as database.table.");
        }
        if (names.size() > MAX_TABLES) {
            throw new IllegalArgumentException("Resync names " + names.size() + " tables; name at most " + MAX_TABLES + " at a time.");
        }
        try (Connection connection = connector.open()) {
            if (signals != null) {
                signals.ensure(connection);
            }
            Set<String> selected = selectedTables(connection, objects == null ? null : objects.get());
            Set<String> tables = new LinkedHashSet<>();
            for (String name : names) {
                String trimmed = name == null ? "" : name.trim();
                String match = selected.stream().filter(t -> t.equalsIgnoreCase(trimmed)).findFirst().orElse(null);
                if (match == null) {
                    String shown = trimmed.length() > 130 ? trimmed.substring(0, 130) + "..." : trimmed;
                    throw new IllegalArgumentException("Table '" + shown + "' is not one the task syncs (as database.table, an existing table the "
                            + "source databases and the objects file select): name one of " + abbreviated(selected) + ".");
                }
                tables.add(match);
            }
            String id = "obsync-resync-" + UUID.randomUUID();
            request(connection, id, tables);
            LOG.info("Resync requested for {} ({}): their rows are read in chunks while the changes stream on", tables, id);
            return id;
        }
    }

    private static String abbreviated(Set<String> tables) {
        List<String> shown = new ArrayList<>(tables).subList(0, Math.min(tables.size(), 10));
        return tables.isEmpty() ? "none (the task selects no existing table)" : String.join(", ", shown) + (tables.size() > 10 ? ", ..." : "");
    }

    /** The existing base tables the filters and a selection take, as {@code database.table}, the signal table never. */
    private Set<String> selectedTables(Connection connection, SyncObjects selection) throws SQLException {
        return new TreeSet<>(SelectedTables.of(filters, selection, signals).of(TableSelection.all(connection)).keySet());
    }
}
