package io.obsync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.debezium.engine.DebeziumEngine;
import io.obsync.event.ChangeEvent;
import io.obsync.event.Operation;
import io.obsync.manage.TaskStatus;
import io.obsync.sink.DeliveryFailure;
import io.obsync.sink.DeliveryTargets;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The positions Debezium is handed for a batch delivered at least once (BatchDelivery over the real
 * Commits, against a fake route and Debezium committer): each the source offset of the latest
 * acknowledged record a restart can resume from, never one past a failed event.
 */
@Timeout(30)
class CommitsTest {

    private static final int SIZE = 6;

    /** A route whose sends fail at chosen indexes, a given number of times each. */
    private static final class FakeRoute implements BatchDelivery.Route {
        final Map<Integer, Integer> failures = new HashMap<>();
        final List<String> sends = new ArrayList<>();
        DeliveryFailure failure;
        DeliveryFailure.Kind kind = DeliveryFailure.Kind.UNREACHABLE;

        @Override
        public int send(ChangeEvent[] events, int from, int to) {
            sends.add(from + ".." + to);
            failure = null;
            for (int i = from; i < to; i++) {
                int left = failures.getOrDefault(i, 0);
                if (left > 0) {
                    failures.put(i, left - 1);
                    failure = new DeliveryFailure(kind, "broker said no to " + i);
                    return i;
                }
            }
            return -1;
        }

        @Override
        public DeliveryFailure lastFailure() {
            return failure;
        }

        @Override
        public boolean running() {
            return true;
        }
    }

    /** Records each position handed to Debezium, by the pos of the record it was marked on. */
    private static final class FakeCommitter implements DebeziumEngine.RecordCommitter<io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord>> {
        final List<Object> saved = new ArrayList<>();
        int batchesFinished;

        @Override
        public void markProcessed(io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord> record) {
            throw new AssertionError("a position is always saved with its offsets");
        }

        @Override
        public void markBatchFinished() {
            batchesFinished++;
        }

        @Override
        public void markProcessed(io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord> record, DebeziumEngine.Offsets offsets) {
            saved.add(((OffsetsMap) offsets).values.get("pos"));
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            return new OffsetsMap();
        }
    }

    private static final class OffsetsMap implements DebeziumEngine.Offsets {
        final Map<String, Object> values = new HashMap<>();

        @Override
        public void set(String key, Object value) {
            values.put(key, value);
        }
    }

    private static List<TransactionAssembler.Entry<BinlogConsumer.Read>> entries() {
        List<TransactionAssembler.Entry<BinlogConsumer.Read>> entries = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            SourceRecord value = new SourceRecord(Map.of("server", "t"), Map.of("file", "bin.000001", "pos", 100L * (i + 1)), "t", null, null);
            io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord> record = new io.debezium.engine.ChangeEvent<>() {
                @Override
                public SourceRecord key() {
                    return null;
                }

                @Override
                public SourceRecord value() {
                    return value;
                }

                @Override
                public String destination() {
                    return "t";
                }

                @Override
                public Integer partition() {
                    return null;
                }
            };
            entries.add(new TransactionAssembler.Entry<>(new BinlogConsumer.Read(record, null, null),
                    ChangeEvent.builder(Operation.HEARTBEAT).eventId("e" + i).build()));
        }
        return entries;
    }

    private static BatchDelivery delivery(FakeRoute route) {
        return new BatchDelivery(new BatchDelivery.Settings(-1, 1, 2, 10_000), new TaskStatus(), route, null, new DeliveryTargets("kafka:9092", ""));
    }

    private static ChangeEvent[] events(List<TransactionAssembler.Entry<BinlogConsumer.Read>> entries) {
        return entries.stream().map(TransactionAssembler.Entry::event).toArray(ChangeEvent[]::new);
    }

    @Test
    void aFailedSendIsResentFromTheFirstFailedEventAndThePositionCoversOnlyWhatWasAcknowledged() throws Exception {
        FakeRoute route = new FakeRoute();
        route.failures.put(3, 2);
        FakeCommitter committer = new FakeCommitter();
        var entries = entries();
        delivery(route).deliver(events(entries), SIZE, SIZE, new Commits(entries, committer, "", null));
        // the whole batch, then the failed event alone until it is taken, then the rest
        assertThat(route.sends).containsExactly("0..6", "3..4", "3..4", "4..6");
        // first the position before the failed event (events 0..2 acknowledged), then the whole batch's
        assertThat(committer.saved).containsExactly(300L, 600L);
    }

    @Test
    void aFailureResendingCannotCureStopsAtThePositionBeforeIt() {
        FakeRoute route = new FakeRoute();
        route.failures.put(2, 1);
        route.kind = DeliveryFailure.Kind.TOO_LARGE;
        FakeCommitter committer = new FakeCommitter();
        var entries = entries();
        assertThatThrownBy(() -> delivery(route).deliver(events(entries), SIZE, SIZE, new Commits(entries, committer, "", null)))
                .isInstanceOf(DeliveryStoppedException.class).hasMessage("broker said no to 2");
        assertThat(committer.saved).containsExactly(200L);
        assertThat(route.sends).containsExactly("0..6");
    }

    @Test
    void positionsOfATransactionNotYetCompleteAreNotSaved() throws Exception {
        FakeRoute route = new FakeRoute();
        FakeCommitter committer = new FakeCommitter();
        var entries = entries();
        // the last two entries belong to a transaction sent early: only the first four may be committed
        delivery(route).deliver(events(entries), SIZE, 4, new Commits(entries, committer, "", null));
        assertThat(committer.saved).containsExactly(400L);
    }
}
