package io.obsync.source;

import java.util.Map;

import io.obsync.config.Options;
import io.obsync.event.Causes;
import io.obsync.event.ChangeEvent;
import io.obsync.event.SourcePosition;
import io.obsync.manage.TaskStatus;
import io.obsync.sink.DeliveryFailure;
import io.obsync.sink.DeliveryTargets;
import io.obsync.sink.kafka.KafkaTransactions;
import io.obsync.state.KafkaStateStore;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery guarantee of a batch, in one place: how its events are sent through the route, what is
 * done when a send fails, and when its position is saved. At-least-once resends from the first failed
 * event and saves the position of what was acknowledged; exactly-once sends the batch and its position
 * in one Kafka transaction, and aborts and resends it whole. It works on three small interfaces (what
 * sends, what saves positions, the transactions), which {@code BatchDeliveryTest} fakes.
 */
final class BatchDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(BatchDelivery.class);

    /**
     * How a task resends.
     *
     * @param retries                  resends of a failed batch before the task stops; -1 for ever
     * @param backoffMs                the first wait before a resend
     * @param maxBackoffMs             the longest wait (the wait doubles up to it)
     * @param transactionBufferChanges row changes of one transaction held at most (for the split warning)
     */
    record Settings(long retries, long backoffMs, long maxBackoffMs, int transactionBufferChanges) {
        static Settings of(BinlogEndpoint endpoint) {
            return new Settings(endpoint.getSendRetries(), endpoint.getRetryBackoffMs(), endpoint.getMaxRetryBackoffMs(),
                    endpoint.getTransactionBufferChanges());
        }
    }

    /** Where the positions of acknowledged events go: the latest resumable one before an index, the batch's end. */
    interface Committer {
        /** Saves the position of the acknowledged events before end (the latest a restart can resume from). */
        void upTo(int end) throws InterruptedException;

        /** The position that covers the events before end, or null when none of them gives one. */
        Map<String, Object> offset(int end);

        /** Ends the batch with the source (what was committed is written). */
        void finish() throws InterruptedException;
    }

    /** The task's Kafka transactions: fencing, and a batch with its position committed or aborted whole. */
    interface Transactions {
        void open();

        void begin();

        /** Commits the open transaction with the position record of this offset (none when null). */
        void commit(Map<String, Object> offset) throws Exception;

        void abort();

        String id();

        /** The task's Kafka transactions, their position records written to its state topic. */
        static Transactions of(KafkaTransactions transactions, KafkaStateStore state) {
            return new Transactions() {
                @Override
                public void open() {
                    transactions.open();
                }

                @Override
                public void begin() {
                    transactions.begin();
                }

                @Override
                public void commit(Map<String, Object> offset) throws Exception {
                    transactions.commit(offset == null ? null : state.positionRecord(offset));
                }

                @Override
                public void abort() {
                    transactions.abort();
                }

                @Override
                public String id() {
                    return transactions.transactionalId();
                }
            };
        }
    }

    /** What delivery needs of the source: sending through the route, the latest failure, whether it may go on. */
    interface Route {
        /** Sends events[from..to) through the route, all in flight at once; returns the first failed index, or -1. */
        int send(ChangeEvent[] events, int from, int to) throws InterruptedException;

        /** The latest failed send's meaning, or null. */
        DeliveryFailure lastFailure();

        /** Whether the source still runs (not stopping). */
        boolean running();
    }

    private final Settings settings;
    private final TaskStatus status;
    private final Route route;
    private final Transactions transactions;
    private final DeliveryTargets targets;
    // exactly-once: the last source transaction said to go to Kafka in parts
    private String splitWarned = "";

    /**
     * @param transactions the task's Kafka transactions (exactly-once), or null (at-least-once)
     * @param targets      the brokers a failure names
     */
    BatchDelivery(Settings settings, TaskStatus status, Route route, Transactions transactions, DeliveryTargets targets) {
        this.settings = settings;
        this.status = status;
        this.route = route;
        this.transactions = transactions;
        this.targets = targets;
    }

    /** Delivers a batch as the task's guarantee says; returns once it is acknowledged (and committed, exactly-once). */
    void deliver(ChangeEvent[] events, int size, int committable, Committer commits) throws InterruptedException {
        if (transactions != null) {
            deliverInTransactions(events, size, commits);
        } else {
            deliverAtLeastOnce(events, size, committable, commits);
        }
    }

    /** Exactly-once: a source transaction larger than the task holds goes to Kafka in parts; said once per transaction. */
    void warnSplit(SourcePosition position) {
        String transaction = position == null ? "" : position.transactionKey();
        if (!transaction.equals(splitWarned)) {
            splitWarned = transaction;
            LOG.warn("Source transaction {} has more than {} row changes ({}): it is committed to Kafka in parts, each part exactly once; "
                    + "read_committed consumers see it in parts", transaction, settings.transactionBufferChanges(),
                    Options.SOURCE_TRANSACTION_BUFFER_CHANGES.key());
        }
    }

    /**
     * At-least-once: sends the batch, all in flight; on a failure commits what was acknowledged before it
     * and resends from the first failed event, in order, with backoff. Nothing is ever skipped.
     */
    void deliverAtLeastOnce(ChangeEvent[] events, int size, int committable, Committer commits) throws InterruptedException {
        int from = 0;
        int attempt = 0;
        long backoff = settings.backoffMs();
        while (true) {
            int failedAt = route.send(events, from, size);
            if (failedAt < 0) {
                break;
            }
            // Everything before the first failure is acknowledged: its position may advance.
            commits.upTo(Math.min(failedAt, committable));
            DeliveryFailure failure = route.lastFailure();
            if (failure != null && !failure.recoverable()) {
                commits.finish();
                throw new DeliveryStoppedException(failure.message());
            }
            // Resend the failed event alone until it is accepted, then the rest of the batch in flight
            // again: a long outage costs one resent batch, not one per attempt.
            do {
                attempt++;
                if (settings.retries() >= 0 && attempt > settings.retries()) {
                    commits.finish();
                    throw new DeliveryStoppedException("event " + events[failedAt] + " could not be delivered after "
                            + settings.retries() + " retries (" + (route.lastFailure() == null ? "" : route.lastFailure().message())
                            + "); the task stopped at the position before it");
                }
                if (route.lastFailure() != null && !route.lastFailure().recoverable()) {
                    commits.finish();
                    throw new DeliveryStoppedException(route.lastFailure().message());
                }
                LOG.warn("Delivery failed at {} (attempt {}); sending it again in {} ms", events[failedAt], attempt, backoff);
                status.resent();
                if (!route.running()) {
                    throw new InterruptedException("route stopping while a batch was not acknowledged");
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, settings.maxBackoffMs());
            } while (route.send(events, failedAt, failedAt + 1) >= 0);
            from = failedAt + 1;
        }
        commits.upTo(committable);
    }

    /**
     * Exactly-once: the batch's messages and the position that covers them in one Kafka transaction.
     * A failure aborts the transaction (a read_committed consumer never sees its messages) and the whole
     * batch is sent again in a new one, with backoff; a fenced instance stops.
     */
    void deliverInTransactions(ChangeEvent[] events, int size, Committer commits) throws InterruptedException {
        int attempt = 0;
        long backoff = settings.backoffMs();
        while (true) {
            String problem;
            try {
                transactions.begin();
                int failedAt = route.send(events, 0, size);
                if (failedAt < 0) {
                    transactions.commit(commits.offset(size));
                    return;
                }
                DeliveryFailure failure = route.lastFailure();
                if (failure != null && !failure.recoverable()) {
                    transactions.abort();
                    commits.finish();
                    throw new DeliveryStoppedException(failure.message());
                }
                problem = failure == null ? "event " + events[failedAt] + " was not delivered" : failure.message();
            } catch (InterruptedException | DeliveryStoppedException e) {
                throw e;
            } catch (Exception e) {
                DeliveryFailure failure = targets.classify(e, false, null);
                if (!failure.recoverable()) {
                    LOG.error("Task stopped: {}", failure.message());
                    commits.finish();
                    throw new DeliveryStoppedException(failure.message());
                }
                problem = failure.message();
            }
            abortWhenPossible(backoff);
            attempt++;
            if (settings.retries() >= 0 && attempt > settings.retries()) {
                commits.finish();
                throw new DeliveryStoppedException("a batch could not be delivered after " + settings.retries() + " retries (" + problem
                        + "); the task stopped at the position before it");
            }
            LOG.warn("Delivery failed ({}); the batch's Kafka transaction was aborted, and the batch is sent again in {} ms (attempt {})",
                    problem, backoff, attempt);
            status.resent();
            if (!route.running()) {
                throw new InterruptedException("route stopping while a batch was not committed");
            }
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, settings.maxBackoffMs());
        }
    }

    /** Aborts the open transaction, or opens the transactions anew (which aborts it) when the producer cannot; waits for the brokers. */
    private void abortWhenPossible(long backoff) throws InterruptedException {
        while (true) {
            try {
                transactions.abort();
                return;
            } catch (KafkaException first) {
                try {
                    openTransactions();
                    return;
                } catch (IllegalStateException e) {
                    LOG.warn("The batch's Kafka transaction could not be aborted yet ({}); trying again in {} ms", e.getMessage(), backoff);
                }
            }
            if (!route.running()) {
                throw new InterruptedException("route stopping while a Kafka transaction was open");
            }
            Thread.sleep(backoff);
        }
    }

    /** Opens the task's Kafka transactions, fencing older instances; one line when the brokers cannot be reached. */
    void openTransactions() {
        try {
            transactions.open();
        } catch (KafkaException e) {
            throw new IllegalStateException("The task's Kafka transactions (" + transactions.id() + ") could not be "
                    + "opened at " + targets.kafkaBrokers() + " (" + Causes.root(e).getMessage() + "): check " + Options.KAFKA_BROKERS.key()
                    + " and that the principal may use transactional ids (TransactionalId WRITE).", e);
        }
    }
}
