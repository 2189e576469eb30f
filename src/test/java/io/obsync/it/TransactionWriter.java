package io.obsync.it;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.obsync.it.Records.Received;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Commits transactions of 1 to 12 new rows into {@code <database>.items (id, tx, size)}, each row
 * naming its transaction and that transaction's size, until stopped; and reads back what a
 * {@code read_committed} consumer sees of them. A writer that fails fails the test that joins it.
 */
final class TransactionWriter implements AutoCloseable {

    static final String CREATE = "CREATE TABLE %s.items (id INT PRIMARY KEY, tx INT NOT NULL, size INT NOT NULL)";

    private final Map<Integer, Integer> sizes = new ConcurrentHashMap<>();
    private final AtomicInteger rows = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;

    TransactionWriter(Servers servers, String database) {
        thread = new Thread(() -> write(servers, database), "transaction-writer");
        thread.start();
    }

    private void write(Servers servers, String database) {
        Random random = new Random(11);
        try (Connection c = servers.db.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            int tx = 0;
            while (writing.get()) {
                tx++;
                int size = 1 + random.nextInt(12);
                int first = rows.get() + 1;
                for (int id = first; id < first + size; id++) {
                    s.executeUpdate("INSERT INTO " + database + ".items VALUES (" + id + ", " + tx + ", " + size + ")");
                }
                c.commit();
                sizes.put(tx, size);
                rows.addAndGet(size);
                Thread.sleep(3);
            }
        } catch (Exception e) {
            failure.set(e);
        }
    }

    /** Stops writing; the writer's own failure, if any, fails the caller. */
    @Override
    public void close() throws Exception {
        writing.set(false);
        thread.join(30_000);
        if (failure.get() != null) {
            throw new AssertionError("the writer failed", failure.get());
        }
    }

    int rows() {
        return rows.get();
    }

    int transactions() {
        return sizes.size();
    }

    /** The row INSERT messages of the topic a read_committed consumer reads now, every partition to its end. */
    static List<Received> inserts(Servers servers, String topic) {
        return Records.readToEnd(servers.kafka.bootstrapServers(), List.of(topic), Duration.ofSeconds(60)).stream()
                .filter(r -> "INSERT".equals(r.header("obsync-operation"))).toList();
    }

    /** Distinct rows a read_committed consumer can read now. */
    static long committedRows(Servers servers, String topic) {
        return inserts(servers, topic).stream().map(Received::key).distinct().count();
    }

    /** The source transactions a read_committed consumer sees only in part now (none, when every one is whole). */
    List<String> partial(Servers servers, String topic) {
        Map<Integer, Long> seen = inserts(servers, topic).stream().collect(Collectors.groupingBy(r -> r.json().path("postStruct").path("tx").asInt(),
                Collectors.mapping(Received::key, Collectors.collectingAndThen(Collectors.toSet(), set -> (long) set.size()))));
        List<String> partial = new ArrayList<>();
        seen.forEach((tx, count) -> {
            Integer size = sizes.get(tx);
            if (size == null || count != size.longValue()) {
                partial.add("transaction " + tx + ": " + count + " of " + size);
            }
        });
        return partial;
    }

    /** Whether a Kafka transaction is open on the topic now: its last stable offset lags the high watermark somewhere. */
    static boolean transactionOpen(Servers servers, String topic) {
        Map<TopicPartition, Long> stable = ends(servers, topic, "read_committed");
        Map<TopicPartition, Long> high = ends(servers, topic, "read_uncommitted");
        return stable.entrySet().stream().anyMatch(e -> e.getValue() < high.get(e.getKey()));
    }

    private static Map<TopicPartition, Long> ends(Servers servers, String topic, String isolation) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", servers.kafka.bootstrapServers(),
                "isolation.level", isolation), new StringDeserializer(), new StringDeserializer())) {
            return consumer.endOffsets(consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList());
        }
    }
}
