package io.obsync.source;

import java.util.Map;

import io.obsync.manage.TaskStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Full synchronization's progress in the log: rows read per table against the source's estimate. */
final class FullSyncProgress {

    private static final Logger LOG = LoggerFactory.getLogger(FullSyncProgress.class);
    private static final long PROGRESS_LOG_INTERVAL_MS = 10_000;

    private final TaskStatus status;
    private long lastProgressLog = System.currentTimeMillis();

    FullSyncProgress(TaskStatus status, Map<String, Long> estimates) {
        this.status = status;
        status.fullSyncEstimates(estimates);
    }

    /** Every 10 s while full synchronization runs, and once when it ends: rows read per table against the estimate. */
    void log(boolean ended) {
        long now = System.currentTimeMillis();
        if (!ended && now - lastProgressLog < PROGRESS_LOG_INTERVAL_MS) {
            return;
        }
        lastProgressLog = now;
        Map<String, Long> rows = status.fullSyncRows();
        Map<String, Long> estimates = status.fullSyncEstimates();
        long total = rows.values().stream().mapToLong(Long::longValue).sum();
        long seconds = Math.max(1, status.fullSyncMillis() / 1000);
        if (ended) {
            LOG.info("Full synchronization done: {} rows of {} tables in {} s ({} rows/s); incremental synchronization goes on",
                    total, rows.size(), seconds, total / seconds);
            return;
        }
        StringBuilder tables = new StringBuilder();
        for (Map.Entry<String, Long> table : estimates.entrySet()) {
            long done = rows.getOrDefault(table.getKey(), 0L);
            tables.append(tables.isEmpty() ? "" : ", ").append(table.getKey()).append(' ').append(done).append('/')
                    .append(Math.max(done, table.getValue()));
        }
        LOG.info("Full synchronization: {} rows in {} s ({} rows/s); rows read/estimated per table: {}", total, seconds, total / seconds, tables);
    }
}
