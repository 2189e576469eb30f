package io.obsync.manage;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;

/**
 * The task over JMX, next to Camel's own route MBeans: pause, resume, stop and status, and the
 * figures of {@link TaskStatus}. Pausing stops reading the binlog after the batch in flight is
 * acknowledged; the position is saved, so resuming goes on from exactly there.
 */
@ManagedResource(description = "obsync sync task")
public class TaskManagement {

    private final CamelContext camel;
    private final TaskStatus status;
    private final String sourceRoute;
    private final Throttle throttle;

    public TaskManagement(CamelContext camel, TaskStatus status, String sourceRoute, Throttle throttle) {
        this.camel = camel;
        this.status = status;
        this.sourceRoute = sourceRoute;
        this.throttle = throttle;
    }

    @ManagedOperation(description = "Stop reading the binlog; the saved position stays")
    public void pause() throws Exception {
        requireActive("pause");
        camel.getRouteController().stopRoute(sourceRoute);
    }

    /** Pause and resume act on the instance that reads the binlog; a standby waits for the election, not for an operator. */
    private void requireActive(String operation) {
        if (status.getRole() == TaskStatus.Role.STANDBY) {
            throw new IllegalStateException("This instance of the task is a standby and reads nothing: " + operation
                    + " the active instance (its Role attribute is ACTIVE).");
        }
    }

    @ManagedAttribute(description = "SINGLE (no standby group), ACTIVE (reads the binlog) or STANDBY (waits while another instance reads)")
    public String getRole() {
        return status.getRole().name();
    }

    @ManagedOperation(description = "Start reading the binlog from the saved position (when paused; the same as resume)")
    public void start() throws Exception {
        resume();
    }

    @ManagedOperation(description = "Read the binlog again from the saved position")
    public void resume() throws Exception {
        requireActive("resume");
        camel.getRouteController().startRoute(sourceRoute);
        status.resumed();
    }

    @ManagedOperation(description = "Stop the task (the process ends)")
    public void stop() {
        Thread stopper = new Thread(() -> {
            try {
                camel.stop();
            } catch (Exception e) {
                // the context reports its own stop failures
            }
        }, "obsync-stop");
        stopper.start();
    }

    @ManagedOperation(description = "Read tables again in chunks while the changes stream on (comma-separated database.table); "
            + "returns the request's id")
    public String resync(String tables) throws Exception {
        Resync requests = camel.getRegistry().findSingleByType(Resync.class);
        if (requests == null) {
            throw new IllegalStateException(Resync.NO_SIGNAL_TABLE);
        }
        String names = tables == null ? "" : tables;
        if (names.length() > 100_000) {
            throw new IllegalArgumentException("The list of tables to resync is " + names.length() + " characters long; name at most "
                    + Resync.MAX_TABLES + " tables at a time.");
        }
        return requests.resync(Arrays.stream(names.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList());
    }

    @ManagedOperation(description = "One line: state, position, figures, last error")
    public String status() {
        return getState() + " (" + getPhase() + (status.getRole() == TaskStatus.Role.SINGLE ? "" : ", " + getRole()) + ") at " + getPosition() + "; read " + status.getEventsRead() + ", acknowledged " + status.getEventsAcknowledged()
                + " (" + status.getRowChangesAcknowledged() + " row changes), failed sends " + status.getFailedSends() + ", resends "
                + status.getResends() + ", latency " + status.getLatencyMillis() + " ms"
                + (status.getLastError() == null ? "" : "; last error: " + status.getLastError());
    }

    @ManagedAttribute(description = "RUNNING, PAUSED, STANDBY (waiting while another instance reads), FAILED, STOPPED or STARTING")
    public String getState() {
        if (status.getState() == TaskStatus.State.FAILED) {
            return "FAILED";
        }
        if (!camel.isStarted()) {
            return camel.isStarting() ? "STARTING" : "STOPPED";
        }
        ServiceStatus route = camel.getRouteController().getRouteStatus(sourceRoute);
        if (route != null && route.isStopped()) {
            return status.getRole() == TaskStatus.Role.STANDBY ? "STANDBY" : "PAUSED";
        }
        return status.getState().name();
    }

    @ManagedAttribute(description = "Binlog position of the last acknowledged event (file:position)")
    public String getPosition() {
        return status.getCommittedPosition() == null ? "none yet" : status.getCommittedPosition().coordinate();
    }

    @ManagedAttribute(description = "Milliseconds between the last acknowledged change's commit and its acknowledgement")
    public long getLatencyMillis() {
        return status.getLatencyMillis();
    }

    @ManagedAttribute(description = "Binlog events read")
    public long getEventsRead() {
        return status.getEventsRead();
    }

    @ManagedAttribute(description = "Events acknowledged by the targets")
    public long getEventsAcknowledged() {
        return status.getEventsAcknowledged();
    }

    @ManagedAttribute(description = "Row changes acknowledged by the targets")
    public long getRowChangesAcknowledged() {
        return status.getRowChangesAcknowledged();
    }

    @ManagedAttribute(description = "Sends that failed (each was resent)")
    public long getFailedSends() {
        return status.getFailedSends();
    }

    @ManagedAttribute(description = "The last error, or empty")
    public String getLastError() {
        return status.getLastError() == null ? "" : status.getLastError();
    }

    @ManagedAttribute(description = "SCHEMA (reading the table structure), FULL (full synchronization) or INCREMENTAL")
    public String getPhase() {
        return status.getPhase().name();
    }

    @ManagedAttribute(description = "Full synchronization: rows read per table against the source's estimate, and the rate")
    public String[] getFullSyncProgress() {
        Map<String, Long> rows = status.fullSyncRows();
        Map<String, Long> estimates = status.fullSyncEstimates();
        Set<String> tables = new TreeSet<>(estimates.keySet());
        tables.addAll(rows.keySet());
        long seconds = Math.max(1, status.fullSyncMillis() / 1000);
        return tables.stream().map(t -> {
            long done = rows.getOrDefault(t, 0L);
            return t + ": " + done + " of ~" + Math.max(done, estimates.getOrDefault(t, 0L)) + " rows";
        }).toArray(String[]::new);
    }

    @ManagedAttribute(description = "Per table (db.table): events read, filtered (selection, DML type, row filter, format) and acknowledged")
    public String[] getTables() {
        return lines(status.tableCounts());
    }

    @ManagedAttribute(description = "Per topic: events routed to it, filtered by its format, and acknowledged")
    public String[] getTopics() {
        return lines(status.topicCounts());
    }

    private static String[] lines(Map<String, TaskStatus.Counts> counts) {
        return counts.entrySet().stream()
                .map(e -> e.getKey() + ": in " + e.getValue().in() + ", filtered " + e.getValue().filtered() + ", out " + e.getValue().out())
                .toArray(String[]::new);
    }

    @ManagedAttribute(description = "Full synchronization: at most this many messages per second (0: no limit)")
    public long getThrottleFullRecordsPerSecond() {
        return throttle == null ? 0 : throttle.recordsPerSecond(true);
    }

    @ManagedAttribute(description = "Full synchronization: at most this many messages per second (0: no limit)")
    public void setThrottleFullRecordsPerSecond(long limit) {
        throttle.setLimits(true, limit, throttle.bytesPerSecond(true));
    }

    @ManagedAttribute(description = "Full synchronization: at most this many message bytes per second (0: no limit)")
    public long getThrottleFullBytesPerSecond() {
        return throttle == null ? 0 : throttle.bytesPerSecond(true);
    }

    @ManagedAttribute(description = "Full synchronization: at most this many message bytes per second (0: no limit)")
    public void setThrottleFullBytesPerSecond(long limit) {
        throttle.setLimits(true, throttle.recordsPerSecond(true), limit);
    }

    @ManagedAttribute(description = "Incremental synchronization: at most this many messages per second (0: no limit)")
    public long getThrottleIncrementalRecordsPerSecond() {
        return throttle == null ? 0 : throttle.recordsPerSecond(false);
    }

    @ManagedAttribute(description = "Incremental synchronization: at most this many messages per second (0: no limit)")
    public void setThrottleIncrementalRecordsPerSecond(long limit) {
        throttle.setLimits(false, limit, throttle.bytesPerSecond(false));
    }

    @ManagedAttribute(description = "Incremental synchronization: at most this many message bytes per second (0: no limit)")
    public long getThrottleIncrementalBytesPerSecond() {
        return throttle == null ? 0 : throttle.bytesPerSecond(false);
    }

    @ManagedAttribute(description = "Incremental synchronization: at most this many message bytes per second (0: no limit)")
    public void setThrottleIncrementalBytesPerSecond(long limit) {
        throttle.setLimits(false, throttle.recordsPerSecond(false), limit);
    }
}
