package io.obsync.event;

/**
 * Where an event stands in the source's binary log, and the coordinate that identifies the change.
 *
 * <p>A change is identified by its transaction ({@link #transactionKey()}: the GTID, or the binlog
 * file and the position of the transaction's first event) and by where it lies in that transaction:
 * its row event's number among the transaction's row events ({@link RowEvents}), and its row inside
 * that row event. Both are counted from the transaction's start because obsync always resumes reading
 * at the start of a transaction, and neither counts the HEARTBEAT events a Binlog Service sends inside
 * transactions, so they are the same every time a change is read again.
 *
 * @param serverId              server id of the source (one per OceanBase tenant)
 * @param file                  binlog file name
 * @param position              position of the transaction's first event in the file
 * @param transactionStart      where Debezium resumes this transaction (its offset's position)
 * @param rowEventInTransaction the row event's number in the transaction (0 for the first); as Debezium
 *                              reports it, before {@link RowEvents} numbers it, its count of events so far
 * @param rowInEvent            index of the row inside its row event (0 for single-row events)
 * @param gtid                  GTID of the transaction, or null when the source does not use GTIDs
 * @param occurrence            1 for the first record at this coordinate, 2 for a second (a DDL statement
 *                              that changes two tables, the halves of a key-changing UPDATE)
 */
public record SourcePosition(long serverId, String file, long position, long transactionStart,
                             long rowEventInTransaction, int rowInEvent, String gtid, int occurrence) {

    public SourcePosition(long serverId, String file, long position, long transactionStart,
                          long rowEventInTransaction, int rowInEvent, String gtid) {
        this(serverId, file, position, transactionStart, rowEventInTransaction, rowInEvent, gtid, 1);
    }

    /** "file:position", the coordinate people read in logs and metrics. */
    public String coordinate() {
        return file + ":" + position;
    }

    /** The transaction: its GTID, else {@code <binlog file>:<position of its first event>}. */
    public String transactionKey() {
        return gtid != null && !gtid.isEmpty() ? gtid : file + ":" + position;
    }

    /** {@code <transaction>:<event>:<row>}, with {@code :<occurrence>} after a first record at the same place. */
    public String changeId() {
        String id = transactionKey() + ":" + rowEventInTransaction + ":" + rowInEvent;
        return occurrence > 1 ? id + ":" + occurrence : id;
    }

    /** Whether this change comes after another one of the same transaction, in binlog order. */
    public boolean isAfter(long event, int row, int occurrenceAt) {
        if (rowEventInTransaction != event) {
            return rowEventInTransaction > event;
        }
        if (rowInEvent != row) {
            return rowInEvent > row;
        }
        return occurrence > occurrenceAt;
    }

    /** The same position as the given occurrence of its coordinate. */
    public SourcePosition withOccurrence(int value) {
        return new SourcePosition(serverId, file, position, transactionStart, rowEventInTransaction, rowInEvent, gtid, value);
    }
}
