package io.obsync.event;

/** What a change event records: a row change, a snapshot row, a schema change or a heartbeat. */
public enum Operation {
    INSERT,
    UPDATE,
    DELETE,
    /** A row read by full synchronization (a snapshot). */
    ROW,
    DDL,
    HEARTBEAT;

    public boolean isRowChange() {
        return this == INSERT || this == UPDATE || this == DELETE || this == ROW;
    }
}
