package io.obsync.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import io.obsync.event.SourcePosition;

/**
 * Where a restart resumes, so that a change read again keeps its event id and is not sent twice.
 *
 * <p>Debezium saves a position inside a transaction as "the transaction's start, then skip so many
 * events and rows", and on a restart it counts those from where it resumed instead of from the
 * transaction's first event (and against a MariaDB source it does not skip them at all); its count
 * also includes the HEARTBEAT events a Binlog Service sends inside transactions, which a later read
 * does not see at the same places. obsync
 * therefore never saves a position inside a transaction: it saves the position of the transaction's
 * first event, with the coordinate of the last change that the broker acknowledged beside it. A
 * restart reads the whole transaction again, numbering every change as the first read did, and
 * holds back the changes up to that coordinate.
 *
 * @param transaction the transaction's key ({@link SourcePosition#transactionKey()})
 * @param event       the last delivered change's row event, numbered in its transaction from 0
 * @param row         the last delivered change's row in its event
 * @param occurrence  how many records at that coordinate were delivered
 */
record TransactionResume(String transaction, long event, int row, int occurrence) {

    static final String TRANSACTION_KEY = "obsync_transaction";
    // the row event's number in the transaction ("obsync_event" held Debezium's event count, which counted heartbeats)
    static final String EVENT_KEY = "obsync_row_event";
    static final String ROW_KEY = "obsync_row";
    static final String OCCURRENCE_KEY = "obsync_occurrence";
    // which row events Debezium hands over: the coordinate numbers only those
    static final String FILTER_KEY = "obsync_filter";
    private static final List<String> FILTER_OPTIONS = List.of("database.include.list", "database.exclude.list",
            "table.include.list", "table.exclude.list", "column.include.list", "column.exclude.list");
    // Debezium's keys for "skip so many events and rows after the saved position"
    private static final String EVENTS_TO_SKIP = "event";
    private static final String ROWS_TO_SKIP = "row";

    /**
     * The filters of Debezium's options that decide which row events reach obsync, in one line. A
     * change's coordinate numbers those row events, so it holds only while they stay the same.
     */
    static String filter(Properties debezium) {
        StringBuilder filter = new StringBuilder();
        for (String option : FILTER_OPTIONS) {
            String value = debezium.getProperty(option, "").trim();
            if (!value.isEmpty()) {
                filter.append(filter.isEmpty() ? "" : ";").append(option).append('=').append(value);
            }
        }
        return filter.toString();
    }

    /** The resume point saved in a task's offset, or null when the offset lies between transactions. */
    static TransactionResume of(Map<String, ?> offset) {
        return of(offset, "");
    }

    /**
     * The resume point saved in a task's offset; null when the offset lies between transactions, or
     * when it was saved while other row events reached obsync (another filter): a coordinate counted
     * among those could hold back a change never sent, so the transaction is sent again whole.
     */
    static TransactionResume of(Map<String, ?> offset, String filter) {
        if (offset == null || !(offset.get(TRANSACTION_KEY) instanceof String transaction) || !offset.containsKey(EVENT_KEY)
                || !filter.equals(Objects.toString(offset.get(FILTER_KEY), ""))) {
            // between transactions, or saved with a coordinate of another kind: the whole transaction is sent again
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
        return offsetToSave(offset, lastChange, "");
    }

    /** {@link #offsetToSave(Map, SourcePosition)}, with the filter in force ({@link #filter(Properties)}) beside the coordinate. */
    static Map<String, Object> offsetToSave(Map<String, ?> offset, SourcePosition lastChange, String filter) {
        if (!resumable(offset, lastChange)) {
            return null;
        }
        Map<String, Object> saved = new HashMap<>(offset);
        if (!insideTransaction(offset)) {
            return saved;
        }
        saved.remove(EVENTS_TO_SKIP);
        saved.remove(ROWS_TO_SKIP);
        saved.put("pos", lastChange.position());
        saved.put(TRANSACTION_KEY, lastChange.transactionKey());
        saved.put(EVENT_KEY, lastChange.rowEventInTransaction());
        saved.put(ROW_KEY, lastChange.rowInEvent());
        saved.put(OCCURRENCE_KEY, lastChange.occurrence());
        if (!filter.isEmpty()) {
            saved.put(FILTER_KEY, filter);
        }
        return saved;
    }

    /** Whether {@link #offsetToSave} gives a position for this record, without building it. */
    static boolean resumable(Map<String, ?> offset, SourcePosition lastChange) {
        return !insideTransaction(offset) || lastChange != null && Objects.equals(lastChange.file(), offset.get("file"))
                && lastChange.transactionStart() == number(offset.get("pos"));
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }
}
