package io.obsync.event;

/**
 * Numbers the row events of a transaction in the order they are read, so that a change's coordinate
 * is the same on every read of its transaction.
 *
 * <p>Debezium's offset counts every binlog event it handled since the transaction's start, HEARTBEAT
 * events included. The OceanBase Binlog Service sends a heartbeat whenever its binlog file stops
 * growing, also between the row events of a transaction it has written only in part, so the same
 * row event has another count on the next read. The count still tells row events apart (rows of one
 * event share it, and it grows from one event to the next), so a change of count is a new row event:
 * the first one of a transaction is 0, the next 1, and so on, whatever heartbeats came between them.
 * Records must arrive in binlog order from the transaction's start (obsync always resumes there); a
 * transaction read again from its start is numbered again from 0.
 */
final class RowEvents {

    private String transaction;
    private long debeziumCount = -1;
    private long number;

    /** The position with its row event's number in the transaction in place of Debezium's event count. */
    SourcePosition number(SourcePosition read) {
        String key = read.transactionKey();
        // a smaller count in the same transaction: it is read again from its start
        if (!key.equals(transaction) || read.rowEventInTransaction() < debeziumCount) {
            transaction = key;
            debeziumCount = read.rowEventInTransaction();
            number = 0;
        } else if (read.rowEventInTransaction() != debeziumCount) {
            debeziumCount = read.rowEventInTransaction();
            number++;
        }
        return new SourcePosition(read.serverId(), read.file(), read.position(), read.transactionStart(), number,
                read.rowInEvent(), read.gtid(), read.occurrence());
    }
}
