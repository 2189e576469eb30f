package io.obsync.source;

import java.util.Map;

import io.obsync.manage.TaskStatus;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Debezium's notifications about chunked reads (its incremental snapshot): logs when a read
 * starts, each table it finished and tables it skipped, and ends full synchronization's phase when the
 * read full synchronization requested completed. The notifications themselves are never sent on.
 */
final class ChunkNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkNotifications.class);

    private final TaskStatus status;
    private final boolean fullSyncInChunks;
    private boolean fullSyncCompleted;
    // told when a one-pass read of tables (Debezium's blocking snapshot) completed
    private Runnable onePassCompleted = () -> { };

    /**
     * @param fullSyncInChunks whether the task's full synchronization is read in chunks (its phase ends
     *                         with the notification that the request completed)
     */
    ChunkNotifications(TaskStatus status, boolean fullSyncInChunks) {
        this.status = status;
        this.fullSyncInChunks = fullSyncInChunks;
    }

    /** Runs when a one-pass read of tables completes (the chunked reads asked for after it wait for it). */
    void onOnePassCompleted(Runnable action) {
        this.onePassCompleted = action;
    }

    boolean fullSyncInChunks() {
        return fullSyncInChunks;
    }

    /** Whether the full synchronization's chunked read completed since the last call (once). */
    boolean fullSyncCompleted() {
        boolean completed = fullSyncCompleted;
        fullSyncCompleted = false;
        return completed;
    }

    void accept(SourceRecord record) {
        if (!(record.value() instanceof Struct value)) {
            return;
        }
        String aggregate = text(value, "aggregate_type");
        String type = text(value, "type");
        String id = text(value, "id");
        Map<?, ?> data = value.schema().field("additional_data") != null && value.get("additional_data") instanceof Map<?, ?> m ? m : Map.of();
        if ("Initial Snapshot".equals(aggregate)) {
            // the table structure read at the first start, and the one-pass read of tables without a key
            if ("TABLE_SCAN_COMPLETED".equals(type)) {
                LOG.info("Table read in one pass while the stream waited: {}", data);
            } else if ("COMPLETED".equals(type) || "ABORTED".equals(type)) {
                onePassCompleted.run();
            }
            return;
        }
        if (!"Incremental Snapshot".equals(aggregate)) {
            return;
        }
        Object request = data.get("id") != null ? data.get("id") : id;
        switch (type == null ? "" : type) {
            case "STARTED" -> {
                LOG.info("{} {} started: {}", aggregate, request, data.get("data_collections"));
                if (fullSyncInChunks && status.getPhase() != TaskStatus.Phase.FULL && String.valueOf(request).startsWith(SignalTable.FULL_SYNC_PREFIX)) {
                    status.phase(TaskStatus.Phase.FULL);
                }
            }
            case "TABLE_SCAN_COMPLETED" -> LOG.info("{} {}: {} read in chunks ({} rows, {})", aggregate, request, data.get("scanned_collection"),
                    data.get("total_rows_scanned"), data.get("status"));
            case "SKIPPED" -> LOG.warn("{} {}: {} was skipped by the source ({})", aggregate, request, data.get("data_collections"), data);
            case "ABORTED" -> LOG.warn("{} {} was stopped: {}", aggregate, request, data);
            case "COMPLETED" -> {
                LOG.info("{} {} completed", aggregate, request);
                if (fullSyncInChunks && status.getPhase() == TaskStatus.Phase.FULL && String.valueOf(request).startsWith(SignalTable.FULL_SYNC_PREFIX)) {
                    fullSyncCompleted = true;
                }
            }
            default -> LOG.debug("{} {} {}: {}", aggregate, request, type, data);
        }
    }

    private static String text(Struct value, String field) {
        Field f = value.schema().field(field);
        return f == null || value.get(f) == null ? null : String.valueOf(value.get(f));
    }
}
