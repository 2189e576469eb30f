package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.obsync.it.Records.Received;
import io.obsync.sandbox.FreePorts;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hot standby: the same task on two instances, one reading the binlog while the other waits.
 * The active instance is killed (SIGKILL) while a writer commits rows; the standby takes over within
 * the lease and resumes from the shared state: 0 rows lost, every copy of a change under the id of its
 * first copy. Once with a real ZooKeeper server (Curator's TestingServer) and the state in Kafka, once
 * with a file lock in a shared folder and the state in that shared data folder. The metrics endpoint
 * of each instance says its role throughout. Each run prints the measured takeover time.
 */
class StandbyIT {

    private static final String TOPIC = "Topic_standby_items";
    private static final long LEASE_MS = 4000;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aStandbyElectedThroughZooKeeperTakesOverFromAKilledInstanceAndLosesNothing() throws Exception {
        try (Servers servers = Servers.start("standby-zk"); TestingServer zookeeper = new TestingServer(FreePorts.next(), true)) {
            Map<String, String> common = new HashMap<>();
            common.put("obsync.standby.cluster-service", "zookeeper");
            common.put("obsync.standby.zookeeper.nodes", zookeeper.getConnectString());
            common.put("obsync.state.store", "kafka");
            common.put("obsync.state.kafka.replication-factor", "1");
            takeOver(servers, "zookeeper", common, true);
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aStandbyElectedThroughAFileLockTakesOverFromAKilledInstanceAndLosesNothing() throws Exception {
        try (Servers servers = Servers.start("standby-file")) {
            Map<String, String> common = new HashMap<>();
            common.put("obsync.standby.cluster-service", "file");
            // both instances see the same folder, as on shared storage: the lock and the task's state files
            common.put("obsync.data-dir", servers.work.resolve("shared").toString());
            takeOver(servers, "file", common, false);
        }
    }

    private static void takeOver(Servers servers, String service, Map<String, String> common, boolean ownDataDirs) throws Exception {
        servers.kafka.createTopics(3, TOPIC);
        servers.db.execute("CREATE DATABASE standby", "CREATE TABLE standby.items (id INT PRIMARY KEY, note VARCHAR(20))");
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        Map<String, String> a = instance(servers, common, "instance-a", portA, ownDataDirs);
        Map<String, String> b = instance(servers, common, "instance-b", portB, ownDataDirs);
        Path dirA = Files.createDirectories(servers.work.resolve("instance-a"));
        Path dirB = Files.createDirectories(servers.work.resolve("instance-b"));

        AtomicBoolean writing = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        SourceTables.Writer writer = SourceTables.writer(servers, writing, written, (statement, random) -> {
            statement.executeUpdate("INSERT INTO standby.items VALUES (" + (written.get() + 1) + ", 'row')");
            Thread.sleep(2);
        });
        writer.start();
        try (TaskProcess first = TaskProcess.start(dirA, a, "task.log"); TaskProcess second = startWhenActive(portA, dirB, b)) {
            awaitRole(portB, "STANDBY");
            writing.set(true);
            // the active instance has delivered part of the stream, and the writer goes on: the kill hits work in flight
            Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC), r -> r.size() >= 500, Duration.ofSeconds(120));
            long writtenAtKill = written.get();
            long killed = System.nanoTime();
            first.kill();
            awaitRole(portB, "ACTIVE");
            long electedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            awaitAcknowledged(portB);
            long takeoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            writing.set(false);
            writer.join(30_000);
            long total = written.get();
            assertThat(total).as("rows written after the kill").isGreaterThan(writtenAtKill);
            Set<String> wanted = java.util.stream.LongStream.rangeClosed(1, total).mapToObj(Long::toString).collect(Collectors.toSet());
            Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC),
                    r -> r.stream().map(Received::key).collect(Collectors.toSet()).containsAll(wanted), Duration.ofSeconds(180));
            List<Received> all = Records.readToEnd(servers.kafka.bootstrapServers(), List.of(TOPIC), Duration.ofSeconds(60));
            // 0 lost, and every copy of a row's INSERT carries the same id
            Map<String, Set<String>> idsByRow = all.stream().filter(r -> "INSERT".equals(r.header("obsync-operation")))
                    .collect(Collectors.groupingBy(Received::key, Collectors.mapping(r -> r.header("obsync-event-id"), Collectors.toSet())));
            assertThat(idsByRow.keySet()).containsAll(wanted);
            assertThat(idsByRow.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
            long inserts = all.stream().filter(r -> "INSERT".equals(r.header("obsync-operation"))).count();
            System.out.printf("STANDBY-TEST service=%s lease_ms=%d elected_ms=%d takeover_ms=%d rows=%d written_at_kill=%d duplicates=%d%n",
                    service, LEASE_MS, electedMs, takeoverMs, total, writtenAtKill, inserts - total);
            assertThat(second.output()).contains("is now the active one");
        } finally {
            writing.set(false);
            writer.join(30_000);
        }
    }

    private static Map<String, String> instance(Servers servers, Map<String, String> common, String name, int port, boolean ownDataDir) {
        Map<String, String> p = Task.properties(servers, "standby-it");
        p.put("obsync.source.databases", "standby");
        p.put("obsync.standby.lease-ms", Long.toString(LEASE_MS));
        p.put("obsync.standby.instance-id", name);
        p.put("camel.management.port", Integer.toString(port));
        p.putAll(common);
        if (ownDataDir) {
            p.put("obsync.data-dir", servers.work.resolve(name).resolve("data").toString());
        }
        return p;
    }

    /** Starts the second instance once the first one is active, so that the second is the standby. */
    private static TaskProcess startWhenActive(int activePort, Path dir, Map<String, String> properties) throws Exception {
        awaitRole(activePort, "ACTIVE");
        return TaskProcess.start(dir, properties, "task.log");
    }

    /** Waits until an instance's metrics say it has the role. */
    static void awaitRole(int port, String role) {
        HttpClient http = HttpClient.newHttpClient();
        URI metrics = URI.create("http://127.0.0.1:" + port + "/observe/metrics");
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            String body = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().anyMatch(l -> l.startsWith("obsync_role{") && l.contains("role=\"" + role + "\"") && l.endsWith(" 1.0"));
        });
    }

    /** Waits until the instance acknowledged its first message: the standby delivers. */
    private static void awaitAcknowledged(int port) {
        HttpClient http = HttpClient.newHttpClient();
        URI metrics = URI.create("http://127.0.0.1:" + port + "/observe/metrics");
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
            String body = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith("obsync_events_acknowledged_total{"))
                    .anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) > 0);
        });
    }
}
