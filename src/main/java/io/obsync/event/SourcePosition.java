package io.obsync.event;

/**
 * Where an event stands in the source's binary log.
 *
 * @param serverId           server id of the source (one per OceanBase tenant)
 * @param file               binlog file name
 * @param position           position of the row event inside the file
 * @param transactionStart   position of the transaction's first event (where a restart resumes)
 * @param eventsIntoTransaction how many events of the transaction precede this one
 * @param rowInEvent         index of the row inside its row event (0 for single-row events)
 * @param gtid               GTID of the transaction, or null when the source does not use GTIDs
 */
public record SourcePosition(long serverId, String file, long position, long transactionStart,
                             long eventsIntoTransaction, int rowInEvent, String gtid) {

    /** "file:position", the coordinate people read in logs and metrics. */
    public String coordinate() {
        return file + ":" + position;
    }
}
