package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
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

/**
 * Throttling: the measured rate of acknowledged messages (and bytes) stays within 10 % of the limit
 * over a window of several seconds, and a limit changed over JMX takes effect while the task runs.
 */
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
                double first = measuredRate(out, 4_000);
                assertThat(first).as("messages/s at 400").isBetween(360.0, 440.0);

                jmx.setAttribute(name, new Attribute("ThrottleIncrementalRecordsPerSecond", 1_000L));
                assertThat(jmx.getAttribute(name, "ThrottleIncrementalRecordsPerSecond")).isEqualTo(1_000L);
                Thread.sleep(500);
                double second = measuredRate(out, 4_000);
                assertThat(second).as("messages/s at 1000").isBetween(900.0, 1_100.0);

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
                double messages = measuredRate(() -> outOf(task.status), 4_000);
                List<Records.Received> sample = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_tb_t"),
                        all -> all.size() >= 200, Duration.ofSeconds(30));
                double meanBytes = sample.stream().mapToInt(r -> r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).average().orElseThrow();
                assertThat(messages * meanBytes).as("bytes/s at 300000 (%.0f messages/s of %.0f bytes)", messages, meanBytes)
                        .isBetween(270_000.0, 330_000.0);
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
                double rate = measuredRate(() -> outOf(task.status), 6_000);
                assertThat(task.status.getPhase()).isEqualTo(TaskStatus.Phase.FULL);
                assertThat(rate).as("rows/s of full synchronization at 500").isBetween(450.0, 550.0);
            }
        }
    }

    private static long outOf(TaskStatus status) {
        TaskStatus.Counts counts = status.topicCounts().get(status.topicCounts().keySet().stream().findFirst().orElse("none"));
        return counts == null ? 0 : counts.out();
    }

    /** Messages per second acknowledged over a window, after the first ones went (start-up is not measured). */
    private static double measuredRate(LongSupplier out, long windowMillis) throws InterruptedException {
        // past the start: the first second's allowance goes at once (a rate limiter's burst) and the
        // producer's first acknowledgements come late; the window measures the steady rate
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> out.getAsLong() > 100);
        Thread.sleep(2_500);
        long from = out.getAsLong();
        long start = System.nanoTime();
        Thread.sleep(windowMillis);
        long to = out.getAsLong();
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = (to - from) / seconds;
        System.out.printf("throttle: %d messages acknowledged in %.2f s = %.1f messages/s%n", to - from, seconds, rate);
        return rate;
    }
}
