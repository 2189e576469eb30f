package io.obsync.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.util.concurrent.RateLimiter;
import io.obsync.TaskLauncher;
import io.obsync.config.Options;
import io.obsync.manage.TaskStatus;
import io.obsync.sandbox.EmbeddedMariaDb;
import io.obsync.sandbox.KafkaProcess;
import io.obsync.sandbox.SandboxTask;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Live latency: writers commit single-row transactions at a steady rate while obsync runs. Each row
 * carries the wall-clock time taken just before its commit, and the topic stamps every record with
 * the broker's append time (message.timestamp.type=LogAppendTime), which is when the broker took it
 * (acks=all on one broker), so commit to acknowledgement is read for every change.
 */
public final class LiveBenchmark {

    /** Figures at the steady rate, and the highest rate kept when a search was asked for (else 0). */
    public record Result(double rate, double p50Ms, double p99Ms, double maxMs, double maxRate) {
    }

    /** What one rate gave: the rate the writers held, latency percentiles, and whether every change arrived. */
    record Step(double achieved, double p50, double p99, double max, boolean complete) {
        boolean kept(double target) {
            return complete && achieved >= target * 0.95 && p99 < 1000;
        }
    }

    private static final String TOPIC = "live_events";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WRITERS = 4;

    private final EmbeddedMariaDb db;
    private final AtomicLong ids = new AtomicLong();
    private final PrintStream log;

    private LiveBenchmark(EmbeddedMariaDb db, PrintStream log) {
        this.db = db;
        this.log = log;
    }

    /**
     * @param rate    changes per second the writers commit
     * @param seconds how long each rate is held (the first fifth is warm-up, not measured)
     * @param search  also raise the rate by half while it is kept, and report the highest kept
     * @param variant properties that replace the shipped settings for this run (empty: as shipped)
     */
    public static Result run(int rate, int seconds, boolean search, Map<String, String> variant, PrintStream log) throws Exception {
        Path work = Files.createTempDirectory("obsync-bench-live");
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(work); KafkaProcess kafka = KafkaProcess.start(work)) {
            db.execute("CREATE DATABASE live", "CREATE TABLE live.events (id BIGINT PRIMARY KEY, t_ms BIGINT NOT NULL, s VARCHAR(32) NOT NULL)");
            try (Admin admin = kafka.admin()) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1).configs(Map.of("message.timestamp.type", "LogAppendTime"))))
                        .all().get(30, TimeUnit.SECONDS);
            }
            Map<String, String> p = SandboxTask.properties("bench-live", db, work.resolve("data"));
            p.put(Options.KAFKA_BROKERS.key(), kafka.bootstrapServers());
            p.put(Options.SOURCE_DATABASES.key(), "live");
            p.put(Options.SOURCE_SNAPSHOT_MODE.key(), "no_data");
            p.put(Options.TOPIC_MAPPING.key(), "live.events=kafka:" + TOPIC);
            p.putAll(variant);
            TaskStatus status = new TaskStatus();
            Main main = TaskLauncher.create(null, null, p, status);
            main.start();
            try (KafkaConsumer<String, byte[]> consumer = consumer(kafka.bootstrapServers())) {
                LiveBenchmark bench = new LiveBenchmark(db, log);
                bench.awaitRunning(status);
                Step first = bench.step(rate, seconds, consumer);
                double maxRate = 0;
                if (search) {
                    double target = rate;
                    Step step = first;
                    while (step.kept(target)) {
                        maxRate = step.achieved();
                        target *= 1.5;
                        step = bench.step((int) target, seconds, consumer);
                    }
                }
                return new Result(first.achieved(), first.p50(), first.p99(), first.max(), maxRate);
            } finally {
                main.stop();
            }
        }
    }

    // the task reads from the moment it started: a first row shows that it is there
    private void awaitRunning(TaskStatus status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (status.getRowChangesAcknowledged() == 0) {
            write(1);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the task did not deliver a change within 60 s");
            }
            Thread.sleep(200);
        }
    }

    private void write(int count) throws Exception {
        try (Connection c = db.connect(); PreparedStatement insert = c.prepareStatement("INSERT INTO live.events VALUES (?, ?, ?)")) {
            for (int i = 0; i < count; i++) {
                long id = ids.incrementAndGet();
                insert.setLong(1, id);
                insert.setLong(2, System.currentTimeMillis());
                insert.setString(3, "value-" + id);
                insert.executeUpdate();
            }
        }
    }

    /** Holds a rate for the given seconds and reads every change written meanwhile back from Kafka. */
    private Step step(int rate, int seconds, KafkaConsumer<String, byte[]> consumer) throws Exception {
        long firstId = ids.get() + 1;
        long start = System.currentTimeMillis();
        long measureFrom = start + seconds * 200L;
        long end = start + seconds * 1000L;
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<Future<Long>> written = new ArrayList<>();
        RateLimiter limiter = RateLimiter.create(rate);
        for (int w = 0; w < WRITERS; w++) {
            written.add(writers.submit(() -> {
                long count = 0;
                try (Connection c = db.connect(); PreparedStatement insert = c.prepareStatement("INSERT INTO live.events VALUES (?, ?, ?)")) {
                    while (!stop.get() && System.currentTimeMillis() < end) {
                        limiter.acquire();
                        long id = ids.incrementAndGet();
                        insert.setLong(1, id);
                        insert.setLong(2, System.currentTimeMillis());
                        insert.setString(3, "value-" + id);
                        insert.executeUpdate();
                        count++;
                    }
                }
                return count;
            }));
        }
        long[] latencies = new long[Math.max(16, rate * seconds * 2)];
        int measured = 0;
        long received = 0;
        long expected = Long.MAX_VALUE;
        long readUntil = end + 60_000;
        while (received < expected && System.currentTimeMillis() < readUntil) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                JsonNode row = JSON.readTree(new String(record.value(), StandardCharsets.UTF_8)).path("postStruct");
                long id = row.path("id").asLong();
                if (id < firstId) {
                    continue;
                }
                received++;
                long committed = row.path("t_ms").asLong();
                if (committed >= measureFrom && measured < latencies.length) {
                    latencies[measured++] = record.timestamp() - committed;
                }
            }
            if (expected == Long.MAX_VALUE && System.currentTimeMillis() >= end && written.stream().allMatch(Future::isDone)) {
                long sum = 0;
                for (Future<Long> f : written) {
                    sum += f.get();
                }
                expected = sum;
            }
        }
        stop.set(true);
        writers.shutdown();
        long total = 0;
        for (Future<Long> f : written) {
            total += f.get();
        }
        double achieved = total / (seconds * 1.0);
        long[] sorted = Arrays.copyOf(latencies, measured);
        Arrays.sort(sorted);
        Step step = new Step(achieved, percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1],
                received >= total);
        log.printf("bench live: target %,d changes/s, held %,.0f/s, %,d of %,d arrived, commit -> Kafka p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                rate, achieved, received, total, step.p50(), step.p99(), step.max());
        return step;
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static KafkaConsumer<String, byte[]> consumer(String brokers) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
        List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1), new TopicPartition(TOPIC, 2));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
