package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.obsync.it.Records.Received;
import io.obsync.sandbox.FreePorts;
import org.apache.curator.test.TestingServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fencing: the active instance of a task is frozen (SIGSTOP) while it streams in Kafka transactions,
 * past its ZooKeeper lease; the standby takes over and streams; then the frozen one is thawed
 * (SIGCONT). The thawed instance stops reading without a message or a position getting through after
 * the takeover: the brokers refuse its transactional id, which the standby's start fenced, and the
 * election tells it it lost its role. A {@code read_committed} consumer's copy is the source's rows,
 * each exactly once, every source transaction whole.
 */
class FencingIT {

    private static final String TOPIC = "Topic_fence_items";
    private static final long LEASE_MS = 4000;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aFrozenInstanceThawedAfterTheTakeoverWritesNothing() throws Exception {
        try (Servers servers = Servers.start("fencing"); TestingServer zookeeper = new TestingServer(FreePorts.next(), true)) {
            servers.kafka.createTopics(3, TOPIC);
            servers.db.execute("CREATE DATABASE fence", String.format(TransactionWriter.CREATE, "fence"));
            int portA = FreePorts.next();
            int portB = FreePorts.next();
            Path dirA = Files.createDirectories(servers.work.resolve("instance-a"));
            Path dirB = Files.createDirectories(servers.work.resolve("instance-b"));
            TransactionWriter writer;
            boolean frozenInTransaction;
            String outcome;
            try (TaskProcess a = TaskProcess.start(dirA, instance(servers, zookeeper, "instance-a", portA), "task.log")) {
                StandbyIT.awaitRole(portA, "ACTIVE");
                try (TaskProcess b = TaskProcess.start(dirB, instance(servers, zookeeper, "instance-b", portB), "task.log")) {
                    StandbyIT.awaitRole(portB, "STANDBY");
                    writer = new TransactionWriter(servers, "fence");
                    try (writer) {
                        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                                .until(() -> TransactionWriter.committedRows(servers, TOPIC) >= 300);
                        ExactlyOnceIT.awaitOpenTransaction(servers);
                        a.freeze();
                        frozenInTransaction = TransactionWriter.transactionOpen(servers, TOPIC);
                        // past the lease: the standby is elected, fences the frozen one's transactional id and streams
                        StandbyIT.awaitRole(portB, "ACTIVE");
                        long taken = TransactionWriter.committedRows(servers, TOPIC);
                        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                                .until(() -> TransactionWriter.committedRows(servers, TOPIC) >= taken + 300);
                        a.thaw();
                        // the thawed instance learns it lost its role, or the brokers refuse it: it stops reading either way
                        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                                !a.isAlive() || a.output().contains("is now the standby one"));
                        outcome = a.isAlive() ? "standby" : "stopped";
                        // and the stream goes on through the new active instance meanwhile
                        long after = TransactionWriter.committedRows(servers, TOPIC);
                        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                                .until(() -> TransactionWriter.committedRows(servers, TOPIC) >= after + 300);
                    }
                    Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                            .until(() -> TransactionWriter.committedRows(servers, TOPIC) >= writer.rows());
                    assertThat(b.isAlive()).isTrue();
                }
                String thawed = a.output();
                boolean fenced = thawed.contains("fenced this instance's transactions");
                System.out.printf("FENCING-TEST rows=%d transactions=%d frozen_in_transaction=%s thawed=%s refused_by_brokers=%s%n",
                        writer.rows(), writer.transactions(), frozenInTransaction, outcome, fenced);
                assertThat(fenced || thawed.contains("is now the standby one")).as("the thawed instance stopped reading").isTrue();
            }
            List<Received> all = TransactionWriter.inserts(servers, TOPIC);
            Map<String, Long> copies = all.stream().collect(Collectors.groupingBy(Received::key, Collectors.counting()));
            assertThat(copies).hasSize(writer.rows()).allSatisfy((id, count) -> assertThat(count).as("copies of row %s", id).isEqualTo(1L));
            assertThat(writer.partial(servers, TOPIC)).isEmpty();
        }
    }

    private static Map<String, String> instance(Servers servers, TestingServer zookeeper, String name, int port) {
        Map<String, String> p = Task.properties(servers, "fencing-it");
        p.put("obsync.source.databases", "fence");
        p.put("obsync.delivery", "exactly-once");
        p.put("obsync.state.store", "kafka");
        p.put("obsync.state.kafka.replication-factor", "1");
        p.put("obsync.source.batch-size", "200");
        p.put("obsync.standby.cluster-service", "zookeeper");
        p.put("obsync.standby.zookeeper.nodes", zookeeper.getConnectString());
        p.put("obsync.standby.lease-ms", Long.toString(LEASE_MS));
        p.put("obsync.standby.instance-id", name);
        p.put("obsync.data-dir", servers.work.resolve(name).resolve("data").toString());
        p.put("camel.management.port", Integer.toString(port));
        return p;
    }
}
