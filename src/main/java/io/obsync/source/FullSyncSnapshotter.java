package io.obsync.source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.debezium.spi.snapshot.Snapshotter;

/**
 * Debezium's snapshot mode {@code obsync}: the task's first read starts at a position obsync saved
 * beforehand ({@link SavedPosition}), marked as a snapshot in progress, instead of where the snapshot
 * happens to read the binlog.
 *
 * <p>For full synchronization that position is read before Debezium's snapshot transaction takes its
 * view (REPEATABLE READ, at the first read; no locks), so every change committed after the view is
 * streamed afterwards: no gap. For a start time it is the first transaction at or after that time, and only the
 * table structure is read. Once the snapshot completed, the task just streams from its saved position.
 */
public class FullSyncSnapshotter implements Snapshotter {

    /** Connector property: whether the rows of the selected tables are read (full synchronization). */
    public static final String SNAPSHOT_DATA = "obsync.snapshot.data";

    private boolean snapshotData;
    private boolean historyMissing;

    @Override
    public String name() {
        return "obsync";
    }

    @Override
    public void configure(Map<String, ?> properties) {
        snapshotData = Boolean.parseBoolean(String.valueOf(properties.get(SNAPSHOT_DATA)));
        Object history = properties.get("schema.history.internal.file.filename");
        historyMissing = history == null || !Files.exists(Path.of(history.toString()));
    }

    @Override
    public boolean shouldSnapshotData(boolean offsetExists, boolean snapshotInProgress) {
        return snapshotData && snapshotInProgress;
    }

    @Override
    public boolean shouldSnapshotSchema(boolean offsetExists, boolean snapshotInProgress) {
        return snapshotInProgress || historyMissing;
    }

    @Override
    public boolean shouldStream() {
        return true;
    }

    @Override
    public boolean shouldSnapshotOnSchemaError() {
        // the saved position exists before any schema history does: read the structure at that position
        return historyMissing;
    }

    @Override
    public boolean shouldSnapshotOnDataError() {
        return false;
    }

    @Override
    public boolean shouldStreamEventsStartingFromSnapshot() {
        return false;
    }
}
