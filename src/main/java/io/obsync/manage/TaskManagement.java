package io.obsync.manage;

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

    public TaskManagement(CamelContext camel, TaskStatus status, String sourceRoute) {
        this.camel = camel;
        this.status = status;
        this.sourceRoute = sourceRoute;
    }

    @ManagedOperation(description = "Stop reading the binlog; the saved position stays")
    public void pause() throws Exception {
        camel.getRouteController().stopRoute(sourceRoute);
    }

    @ManagedOperation(description = "Read the binlog again from the saved position")
    public void resume() throws Exception {
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

    @ManagedOperation(description = "One line: state, position, figures, last error")
    public String status() {
        return getState() + " at " + getPosition() + "; read " + status.getEventsRead() + ", acknowledged " + status.getEventsAcknowledged()
                + " (" + status.getRowChangesAcknowledged() + " row changes), failed sends " + status.getFailedSends() + ", resends "
                + status.getResends() + ", latency " + status.getLatencyMillis() + " ms"
                + (status.getLastError() == null ? "" : "; last error: " + status.getLastError());
    }

    @ManagedAttribute(description = "RUNNING, PAUSED, FAILED, STOPPED or STARTING")
    public String getState() {
        if (status.getState() == TaskStatus.State.FAILED) {
            return "FAILED";
        }
        if (!camel.isStarted()) {
            return camel.isStarting() ? "STARTING" : "STOPPED";
        }
        ServiceStatus route = camel.getRouteController().getRouteStatus(sourceRoute);
        if (route != null && route.isStopped()) {
            return "PAUSED";
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
}
