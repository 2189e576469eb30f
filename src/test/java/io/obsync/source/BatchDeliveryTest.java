package io.obsync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import io.obsync.event.ChangeEvent;
import io.obsync.event.Operation;
import io.obsync.event.TestEvents;
import io.obsync.manage.TaskStatus;
import io.obsync.sink.DeliveryFailure;
import io.obsync.sink.DeliveryTargets;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The delivery guarantee against a fake sender, committer and transactions: every path the broker
 * outage, kill and exactly-once tests reach only when their timing allows.
 */
@Timeout(30)
class BatchDeliveryTest {

    private static final DeliveryFailure DOWN = new DeliveryFailure(DeliveryFailure.Kind.UNREACHABLE, "Kafka at 127.0.0.1:1 is not reachable");
    private static final DeliveryFailure TOO_LARGE = new DeliveryFailure(DeliveryFailure.Kind.TOO_LARGE, "the message is too large");

    /** A sender that fails where its script says: each send answers the next scripted index (-1: all acknowledged). */
    static final class FakeRoute implements BatchDelivery.Route {
        final List<String> sends = new ArrayList<>();
        final Deque<Integer> answers = new ArrayDeque<>();
        DeliveryFailure failure = DOWN;
        boolean running = true;

        @Override
        public int send(ChangeEvent[] events, int from, int to) {
            sends.add(from + ".." + to);
            Integer answer = answers.poll();
            return answer == null ? -1 : answer;
        }

        @Override
        public DeliveryFailure lastFailure() {
            return failure;
        }

        @Override
        public boolean running() {
            return running;
        }
    }

    /** A committer that records what it was asked to save. */
    static final class FakeCommitter implements BatchDelivery.Committer {
        final List<Integer> upTo = new ArrayList<>();
        int finished;

        @Override
        public void upTo(int end) {
            upTo.add(end);
        }

        @Override
        public Map<String, Object> offset(int end) {
            return Map.of("pos", end);
        }

        @Override
        public void finish() {
            finished++;
        }
    }

    /** Kafka transactions that record their calls; a commit fails as many times as asked. */
    static final class FakeTransactions implements BatchDelivery.Transactions {
        final List<String> calls = new ArrayList<>();
        int commitFailures;
        int abortFailures;

        @Override
        public void open() {
            calls.add("open");
        }

        @Override
        public void begin() {
            calls.add("begin");
        }

        @Override
        public void commit(Map<String, Object> offset) {
            if (commitFailures-- > 0) {
                throw new KafkaException("the coordinator is loading");
            }
            calls.add("commit " + offset);
        }

        @Override
        public void abort() {
            if (abortFailures-- > 0) {
                throw new KafkaException("the producer is in an error state");
            }
            calls.add("abort");
        }

        @Override
        public String id() {
            return "obsync-test";
        }
    }

    private final FakeRoute route = new FakeRoute();
    private final FakeCommitter commits = new FakeCommitter();
    private final TaskStatus status = new TaskStatus();

    private static ChangeEvent[] events(int n) {
        ChangeEvent[] events = new ChangeEvent[n];
        for (int i = 0; i < n; i++) {
            events[i] = TestEvents.event(Operation.INSERT, TestEvents.table(List.of("id"), "id:INT"), null, new Object[] {i}).build();
        }
        return events;
    }

    private BatchDelivery atLeastOnce(long retries) {
        return new BatchDelivery(new BatchDelivery.Settings(retries, 1, 4, 10_000), status, route, null, new DeliveryTargets("127.0.0.1:1", ""));
    }

    @Test
    void anAcknowledgedBatchIsSentOnceAndCommittedToItsCommittableEnd() throws Exception {
        atLeastOnce(-1).deliver(events(10), 10, 7, commits);
        assertThat(route.sends).containsExactly("0..10");
        assertThat(commits.upTo).containsExactly(7);
        assertThat(status.getResends()).isZero();
    }

    @Test
    void aFailureCommitsWhatWasAcknowledgedBeforeItThenResendsTheFailedEventAloneThenTheRest() throws Exception {
        // event 4 fails, then fails twice more alone, then goes; the rest goes in flight again
        route.answers.addAll(List.of(4, 4, 4, -1, -1));
        atLeastOnce(-1).deliver(events(10), 10, 10, commits);
        assertThat(route.sends).containsExactly("0..10", "4..5", "4..5", "4..5", "5..10");
        assertThat(commits.upTo).as("the acknowledged prefix first, the whole batch at the end").containsExactly(4, 10);
        assertThat(status.getResends()).isEqualTo(3);
        assertThat(commits.finished).isZero();
    }

    @Test
    void theAcknowledgedPrefixIsCommittedOnlyUpToTheTransactionStartsThatMayBeResumedFrom() throws Exception {
        // a transaction held back (committable 3) is not committed even though events up to 6 were acknowledged
        route.answers.addAll(List.of(6, -1, -1));
        atLeastOnce(-1).deliver(events(8), 8, 3, commits);
        assertThat(commits.upTo).containsExactly(3, 3);
    }

    @Test
    void aFailureThatResendingCannotMendStopsTheTaskBeforeTheFailedEvent() {
        route.answers.add(2);
        route.failure = TOO_LARGE;
        assertThatThrownBy(() -> atLeastOnce(-1).deliver(events(5), 5, 5, commits))
                .isInstanceOf(DeliveryStoppedException.class).hasMessage("the message is too large");
        assertThat(route.sends).as("nothing resent").containsExactly("0..5");
        assertThat(commits.upTo).as("only what came before the failed event").containsExactly(2);
        assertThat(commits.finished).isEqualTo(1);
    }

    @Test
    void retriesThatRunOutStopTheTaskAtThePositionBeforeTheFailedEvent() {
        route.answers.addAll(List.of(1, 1, 1, 1, 1));
        assertThatThrownBy(() -> atLeastOnce(2).deliver(events(3), 3, 3, commits))
                .isInstanceOf(DeliveryStoppedException.class).hasMessageContaining("could not be delivered after 2 retries")
                .hasMessageContaining("Kafka at 127.0.0.1:1 is not reachable");
        assertThat(route.sends).containsExactly("0..3", "1..2", "1..2");
        assertThat(commits.upTo).containsExactly(1);
        assertThat(commits.finished).isEqualTo(1);
    }

    @Test
    void aTaskThatStopsWhileResendingCommitsNothingPastTheFailure() {
        route.answers.add(3);
        route.running = false;
        assertThatThrownBy(() -> atLeastOnce(-1).deliver(events(6), 6, 6, commits)).isInstanceOf(InterruptedException.class);
        assertThat(commits.upTo).containsExactly(3);
    }

    @Test
    void exactlyOnceCommitsTheBatchWithItsPositionInOneTransaction() throws Exception {
        FakeTransactions transactions = new FakeTransactions();
        new BatchDelivery(new BatchDelivery.Settings(-1, 1, 4, 10_000), status, route, transactions, new DeliveryTargets("127.0.0.1:1", ""))
                .deliver(events(4), 4, 4, commits);
        assertThat(transactions.calls).containsExactly("begin", "commit {pos=4}");
        assertThat(commits.upTo).as("the position goes in the transaction, not through the source").isEmpty();
    }

    @Test
    void exactlyOnceAbortsAndResendsTheWholeBatchAfterAFailedSendOrCommit() throws Exception {
        FakeTransactions transactions = new FakeTransactions();
        transactions.commitFailures = 1;
        transactions.abortFailures = 1;
        route.answers.addAll(List.of(2, -1, -1));
        new BatchDelivery(new BatchDelivery.Settings(-1, 1, 4, 10_000), status, route, transactions, new DeliveryTargets("127.0.0.1:1", ""))
                .deliver(events(4), 4, 4, commits);
        // the failed send's abort fails, so the transactions are opened anew (which aborts); the failed commit is aborted
        assertThat(transactions.calls).containsExactly("begin", "open", "begin", "abort", "begin", "commit {pos=4}");
        assertThat(route.sends).containsExactly("0..4", "0..4", "0..4");
        assertThat(status.getResends()).isEqualTo(2);
    }

    @Test
    void exactlyOnceStopsOnAFailureThatResendingCannotMend() {
        FakeTransactions transactions = new FakeTransactions();
        route.answers.add(0);
        route.failure = TOO_LARGE;
        assertThatThrownBy(() -> new BatchDelivery(new BatchDelivery.Settings(-1, 1, 4, 10_000), status, route, transactions, new DeliveryTargets("127.0.0.1:1", ""))
                .deliver(events(2), 2, 2, commits)).isInstanceOf(DeliveryStoppedException.class);
        assertThat(transactions.calls).containsExactly("begin", "abort");
        assertThat(commits.finished).isEqualTo(1);
    }
}
