package io.obsync.manage;

import java.util.concurrent.atomic.AtomicLong;

import io.obsync.event.SourcePosition;

/** Live state of one sync task: what the source has read and the target acknowledged, and how it ended. */
public class TaskStatus {

    /** Life of a task. */
    public enum State { STARTING, RUNNING, FAILED, STOPPED }

    private final AtomicLong eventsRead = new AtomicLong();
    private final AtomicLong eventsAcknowledged = new AtomicLong();
    private final AtomicLong rowChangesAcknowledged = new AtomicLong();
    private final AtomicLong failedSends = new AtomicLong();
    private final AtomicLong resends = new AtomicLong();
    private volatile State state = State.STARTING;
    private volatile String lastError;
    private volatile SourcePosition committedPosition;
    private volatile long committedCommitTimeMillis;

    public void running() {
        if (state == State.STARTING) {
            state = State.RUNNING;
        }
    }

    public void read(int events) {
        eventsRead.addAndGet(events);
    }

    /** A batch is acknowledged up to and including an event at this position. */
    public void acknowledged(int events, int rowChanges, SourcePosition position, long commitTimeMillis) {
        eventsAcknowledged.addAndGet(events);
        rowChangesAcknowledged.addAndGet(rowChanges);
        if (position != null) {
            committedPosition = position;
        }
        if (commitTimeMillis > 0) {
            committedCommitTimeMillis = commitTimeMillis;
        }
    }

    /** One message was not acknowledged by the target. */
    public void sendFailed(String error) {
        failedSends.incrementAndGet();
        lastError = error;
    }

    /** A batch is being sent again from its first failed event. */
    public void resent() {
        resends.incrementAndGet();
    }

    public void failed(String error) {
        lastError = error;
        state = State.FAILED;
    }

    /** The source runs again after a pause. */
    public void resumed() {
        if (state == State.STOPPED) {
            state = State.RUNNING;
        }
    }

    public void stopped() {
        if (state != State.FAILED) {
            state = State.STOPPED;
        }
    }

    public State getState() {
        return state;
    }

    public boolean isFailed() {
        return state == State.FAILED;
    }

    public String getLastError() {
        return lastError;
    }

    public long getEventsRead() {
        return eventsRead.get();
    }

    public long getEventsAcknowledged() {
        return eventsAcknowledged.get();
    }

    /** INSERT, UPDATE, DELETE and snapshot rows whose delivery the target confirmed. */
    public long getRowChangesAcknowledged() {
        return rowChangesAcknowledged.get();
    }

    public long getFailedSends() {
        return failedSends.get();
    }

    public long getResends() {
        return resends.get();
    }

    public SourcePosition getCommittedPosition() {
        return committedPosition;
    }

    /** Milliseconds between the source commit of the last acknowledged event and now (clock skew shows as is). */
    public long getLatencyMillis() {
        long commit = committedCommitTimeMillis;
        return commit == 0 ? -1 : System.currentTimeMillis() - commit;
    }
}
