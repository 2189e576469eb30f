package io.obsync.source;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import io.obsync.event.SourcePosition;

/**
 * Where a restart resumes, so that a change read again keeps its event id and is not sent twice.
 *
 * <p>Debezium saves a position inside a transaction as "the transaction's start, then skip so many
 * events and rows", and on a restart it counts those from where it resumed instead of from the
 * transaction's first event (and against a MariaDB source it does not skip them at all). obsync
 * therefore never saves a position inside a transaction: it saves the position of the transaction's
 * first event, with the coordinate of the last change that the broker acknowledged beside it. A
 * restart reads the whole transaction again, numbering every change as the first read did, and
 * holds back the changes up to that coordinate.
 *
 * @param transaction the transaction's key ({@link SourcePosition#transactionKey()})
 * @param event       binlog events before the last delivered change's row event
 * @param row         the last delivered change's row in its event
 * @param occurrence  how many records at that coordinate were delivered
 */
record TransactionResume(String transaction, long event, int row, int occurrence) {

    static final String TRANSACTION_KEY = "obsync_transaction";
    static final String EVENT_KEY = "obsync_event";
    static final String ROW_KEY = "obsync_row";
    static final String OCCURRENCE_KEY = "obsync_occurrence";
    // Debezium's keys for "skip so many events and rows after the saved position"
    private static final String EVENTS_TO_SKIP = "event";
    private static final String ROWS_TO_SKIP = "row";

    /** The resume point saved in a task's offset, or null when the offset lies between transactions. */
    static TransactionResume of(Map<String, ?> offset) {
        if (offset == null || !(offset.get(TRANSACTION_KEY) instanceof String transaction)) {
            return null;
        }
        return new TransactionResume(transaction, number(offset.get(EVENT_KEY)), (int) number(offset.get(ROW_KEY)),
                (int) Math.max(1, number(offset.get(OCCURRENCE_KEY))));
    }

    /** Whether a change read after a restart was delivered before it (same transaction, not after the saved coordinate). */
    boolean delivered(SourcePosition position) {
        return position != null && transaction.equals(position.transactionKey())
                && !position.isAfter(event, row, occurrence);
    }

    /** Whether a change belongs to another transaction than the one this resume point holds back. */
    boolean passedBy(SourcePosition position) {
        return position != null && !transaction.equals(position.transactionKey());
    }

    /** Whether Debezium's offset lies inside a transaction (a restart from it would skip events and rows). */
    static boolean insideTransaction(Map<String, ?> offset) {
        return number(offset.get(EVENTS_TO_SKIP)) != 0 || number(offset.get(ROWS_TO_SKIP)) != 0;
    }

    /**
     * The offset to save once a record is acknowledged: Debezium's own when it lies between
     * transactions; inside a transaction, the position of the transaction's first event (from the
     * last change read of it) with the last change's coordinate beside it. Null when a record inside
     * a transaction cannot be tied to a change of it; such a record is not committed on its own.
     *
     * @param offset     the record's offset as Debezium wrote it
     * @param lastChange the position of the latest change read before or at this record, or null
     */
    static Map<String, Object> offsetToSave(Map<String, ?> offset, SourcePosition lastChange) {
        Map<String, Object> saved = new HashMap<>(offset);
        if (!insideTransaction(offset)) {
            return saved;
        }
        if (lastChange == null || !Objects.equals(lastChange.file(), offset.get("file"))
                || lastChange.transactionStart() != number(offset.get("pos"))) {
            return null;
        }
        saved.remove(EVENTS_TO_SKIP);
        saved.remove(ROWS_TO_SKIP);
        saved.put("pos", lastChange.position());
        saved.put(TRANSACTION_KEY, lastChange.transactionKey());
        saved.put(EVENT_KEY, lastChange.eventsIntoTransaction());
        saved.put(ROW_KEY, lastChange.rowInEvent());
        saved.put(OCCURRENCE_KEY, lastChange.occurrence());
        return saved;
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }
}
