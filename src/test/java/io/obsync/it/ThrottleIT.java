package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.obsync.manage.TaskStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Throttling, judged by what a limit promises: so many messages (or bytes) can never be acknowledged in
 * less time than the limit allows (one second's allowance may go at once), and the task still moves at
 * about the limit (within a factor of four, loose enough for two shared cores); a limit changed over JMX
 * takes effect while the task runs.
 */
@Timeout(300)
class ThrottleIT {

    private static final int ROWS = 15_000;

    @Test
    void recordsPerSecondHonouredAndChangedOverJmx() throws Exception {
        try (Servers servers = Servers.start("throttle")) {
            servers.db.execute("CREATE DATABASE th", "CREATE TABLE th.t (id INT PRIMARY KEY, pad VARCHAR(600))");
            servers.kafka.createTopics(3, "Topic_th_t");
            servers.forIds(1, ROWS, "INSERT INTO th.t VALUES (?, REPEAT('x', 500))");
            Map<String, String> p = Task.properties(servers, "throttle-it");
            p.put("obsync.source.databases", "th");
            p.put("obsync.throttle.incremental.records-per-second", "400");
            // row changes only, so that every message counted is one of the rows
            p.put("obsync.ddl.enabled", "false");
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("io.obsync:type=Task,name=" + ObjectName.quote("throttle-it"));
            try (Task task = Task.start(p)) {
                LongSupplier out = () -> outOf(task.status);
                double first = secondsFor(out, 1_200);
                assertThat(first).as("seconds for 1,200 messages at 400/s").isBetween(limited(1_200, 400), 4 * 1_200 / 400.0);

                jmx.setAttribute(name, new Attribute("ThrottleIncrementalRecordsPerSecond", 1_000L));
                assertThat(jmx.getAttribute(name, "ThrottleIncrementalRecordsPerSecond")).isEqualTo(1_000L);
                double second = secondsFor(out, 3_000);
                assertThat(second).as("seconds for 3,000 messages at 1,000/s").isBetween(limited(3_000, 1_000), 4 * 3_000 / 1_000.0);
                assertThat(3_000 / second).as("messages/s after the limit was raised, against %.0f before", 1_200 / first)
                        .isGreaterThan(1.5 * 1_200 / first);

                // no limit: the rest goes at full speed, nothing is lost
                jmx.setAttribute(name, new Attribute("ThrottleIncrementalRecordsPerSecond", 0L));
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> outOf(task.status) >= ROWS);
                assertThat(outOf(task.status)).isEqualTo(ROWS);
            }
        }
    }

    @Test
    void bytesPerSecondHonouredAndBadLimitsRefused() throws Exception {
        try (Servers servers = Servers.start("throttle-bytes")) {
            servers.db.execute("CREATE DATABASE tb", "CREATE TABLE tb.t (id INT PRIMARY KEY, pad VARCHAR(1100))");
            servers.kafka.createTopics(3, "Topic_tb_t");
            servers.forIds(1, 3_000, "INSERT INTO tb.t VALUES (?, REPEAT('y', 1000))");
            Map<String, String> p = Task.properties(servers, "throttle-bytes-it");
            p.put("obsync.source.databases", "tb");
            p.put("obsync.throttle.incremental.bytes-per-second", "300000");
            try (Task task = Task.start(p)) {
                double seconds = secondsFor(() -> outOf(task.status), 1_000);
                List<Records.Received> sample = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_tb_t"),
                        all -> all.size() >= 200, Duration.ofSeconds(30));
                double meanBytes = sample.stream().mapToInt(r -> r.value().getBytes(StandardCharsets.UTF_8).length).average().orElseThrow();
                double bytes = 1_000 * meanBytes;
                // the throttle counts bytes as marshalled, the sample as read back: a tenth of leeway
                assertThat(seconds).as("seconds for 1,000 messages of %.0f bytes at 300,000 bytes/s", meanBytes)
                        .isBetween(0.9 * (bytes - 300_000) / 300_000, 4 * bytes / 300_000);
            }
            p.put("obsync.throttle.incremental.bytes-per-second", "lots");
            assertThatThrownBy(() -> Task.start(p).close()).hasStackTraceContaining(
                    "obsync.throttle.incremental.bytes-per-second is 'lots': use a whole number (0 or more), or leave it empty for none.");
        }
    }

    @Test
    void fullSynchronizationHasItsOwnLimit() throws Exception {
        try (Servers servers = Servers.start("throttle-full")) {
            servers.db.execute("CREATE DATABASE tf", "CREATE TABLE tf.t (id INT PRIMARY KEY, pad VARCHAR(100))");
            servers.kafka.createTopics(3, "Topic_tf_t");
            servers.forIds(1, 7_000, "INSERT INTO tf.t VALUES (?, 'row')");
            Map<String, String> p = Task.properties(servers, "throttle-full-it");
            p.put("obsync.source.databases", "tf");
            p.put("obsync.source.snapshot-mode", "no_data");
            p.put("obsync.full-sync.enabled", "true");
            p.put("obsync.throttle.full.records-per-second", "500");
            // the incremental limit does not apply to the snapshot's rows
            p.put("obsync.throttle.incremental.records-per-second", "50");
            try (Task task = Task.start(p)) {
                double seconds = secondsFor(() -> outOf(task.status), 1_500);
                assertThat(task.status.getPhase()).isEqualTo(TaskStatus.Phase.FULL);
                // at the incremental limit (50/s) the rows would take 30 s
                assertThat(seconds).as("seconds for 1,500 rows of full synchronization at 500/s").isBetween(limited(1_500, 500), 4 * 1_500 / 500.0);
            }
        }
    }

    private static long outOf(TaskStatus status) {
        TaskStatus.Counts counts = status.topicCounts().get(status.topicCounts().keySet().stream().findFirst().orElse("none"));
        return counts == null ? 0 : counts.out();
    }

    /** The least time a limit allows for so many messages: all but one second's allowance at the limit. */
    private static double limited(int count, int perSecond) {
        return (count - perSecond) / (double) perSecond;
    }

    /** Seconds until so many more messages are acknowledged, counted once the first ones went (start-up is not measured). */
    private static double secondsFor(LongSupplier out, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> out.getAsLong() > 100);
        long from = out.getAsLong();
        long start = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> out.getAsLong() >= from + count);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("throttle: %d messages acknowledged in %.2f s = %.1f messages/s%n", count, seconds, count / seconds);
        return seconds;
    }
}
