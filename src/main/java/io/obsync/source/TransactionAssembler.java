package io.obsync.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import io.obsync.event.ChangeEvent;
import io.obsync.event.DebeziumRecordConverter.TransactionEnd;
import io.obsync.event.Operation;
import io.obsync.event.SourcePosition;

/**
 * Numbers the row changes of each transaction and holds them until the transaction is known to be
 * complete, then releases them with its size, in order, with everything read after them.
 *
 * <p>A transaction is complete when Debezium's END marker arrives (sources with GTIDs), or when the
 * next record belongs to another transaction: a row change of another transaction, a DDL, or a
 * heartbeat whose position is past the transaction (on an idle source the last transaction waits for
 * the next heartbeat). Snapshot rows are not part of a transaction.
 *
 * <p>A transaction with more row changes than the bound is released as it is read (size unknown, 0),
 * except its latest change, which waits to learn whether it is the last; its positions are not
 * committed before the whole transaction has been sent, so a restart reads it again from its start
 * and numbers it the same way.
 *
 * @param <R> the source record type, carried along so its position can be committed once sent
 */
final class TransactionAssembler<R> {

    /** One record read from the binlog and its change event (null for markers, tombstones and filtered records). */
    record Entry<R>(R record, ChangeEvent event) {
    }

    /**
     * What may be sent now, in binlog order, and how many of those (from the start) may have their
     * positions committed once acknowledged.
     */
    record Release<R>(List<Entry<R>> ready, int committable) {
    }

    private final int maxHeldChanges;
    private final Function<R, TransactionEnd> ends;
    // the open transaction: its id, how many row changes it has so far, what is held of it
    private String openTransaction;
    private SourcePosition openPosition;
    private long count;
    private boolean releasedEarly;
    private final List<Entry<R>> held = new ArrayList<>();
    private final List<Integer> heldRows = new ArrayList<>();

    /**
     * @param maxHeldChanges how many row changes of one transaction may be held before they are released early
     * @param ends           reads Debezium's END marker from a record, or returns null for any other record
     */
    TransactionAssembler(int maxHeldChanges, Function<R, TransactionEnd> ends) {
        if (maxHeldChanges < 1) {
            throw new IllegalArgumentException("the transaction buffer must hold at least one change, not " + maxHeldChanges);
        }
        this.maxHeldChanges = maxHeldChanges;
        this.ends = ends;
    }

    Release<R> offer(List<Entry<R>> batch) {
        List<Entry<R>> ready = new ArrayList<>();
        int committable = -1;
        for (Entry<R> entry : batch) {
            ChangeEvent event = entry.event();
            if (event == null) {
                if (openTransaction != null && ends.apply(entry.record()) != null) {
                    held.add(entry);
                    close(ready);
                } else if (openTransaction != null) {
                    held.add(entry);
                } else {
                    ready.add(entry);
                }
                continue;
            }
            boolean transactional = event.operation() == Operation.INSERT || event.operation() == Operation.UPDATE
                    || event.operation() == Operation.DELETE;
            if (openTransaction != null && !(transactional && openTransaction.equals(event.transactionId())) && !insideOpen(event)) {
                close(ready);
            }
            if (!transactional) {
                if (openTransaction != null) {
                    held.add(entry); // a heartbeat in the middle of the open transaction
                } else {
                    ready.add(entry);
                }
                continue;
            }
            if (openTransaction == null) {
                openTransaction = event.transactionId();
                openPosition = event.position();
                count = 0;
                releasedEarly = false;
            }
            count++;
            heldRows.add(held.size());
            held.add(new Entry<>(entry.record(), event.withTransactionOrder(count)));
            if (heldRows.size() > maxHeldChanges) {
                // too big to hold: release all but the latest change; its positions wait for the end
                int latest = heldRows.get(heldRows.size() - 1);
                if (!releasedEarly && committable < 0) {
                    committable = ready.size();
                }
                releasedEarly = true;
                ready.addAll(held.subList(0, latest));
                List<Entry<R>> rest = new ArrayList<>(held.subList(latest, held.size()));
                held.clear();
                held.addAll(rest);
                heldRows.clear();
                heldRows.add(0);
            }
        }
        if (openTransaction != null && releasedEarly && committable < 0) {
            // the open transaction began in an earlier batch: all that leaves now is part of it
            committable = 0;
        }
        return new Release<>(ready, committable < 0 ? ready.size() : committable);
    }

    /** A heartbeat whose position is still inside the open transaction does not end it. */
    private boolean insideOpen(ChangeEvent event) {
        if (event.operation() != Operation.HEARTBEAT || openPosition == null || event.position() == null) {
            return false;
        }
        return Objects.equals(openPosition.file(), event.position().file())
                && openPosition.transactionStart() == event.position().transactionStart();
    }

    private void close(List<Entry<R>> ready) {
        for (int index : heldRows) {
            Entry<R> row = held.get(index);
            held.set(index, new Entry<>(row.record(), row.event().withTransactionSize(count)));
        }
        ready.addAll(held);
        held.clear();
        heldRows.clear();
        openTransaction = null;
        openPosition = null;
        releasedEarly = false;
    }

    /** How many records are held now. */
    int heldCount() {
        return held.size();
    }
}
