package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.obsync.it.Records.Received;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code obsync.delivery=exactly-once}: a writer commits multi-row transactions while the task is
 * killed (SIGKILL) again and again. After each kill a {@code read_committed} consumer sees every
 * source transaction whole or not at all, and at the end every row exactly once, under one id. Kills
 * are aimed at a Kafka transaction in flight (the topic's last stable offset lagging its high
 * watermark) and counted when they hit one. A source transaction larger than the task holds is
 * committed in parts, each part once.
 */
class ExactlyOnceIT {

    private static final String TOPIC = "Topic_eo_items";
    private static final int KILLS = Integer.getInteger("obsync.eos.kills", 3);

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void everyRowArrivesOnceAndEverySourceTransactionWholeThroughRepeatedKills() throws Exception {
        try (Servers servers = Servers.start("exactly-once")) {
            servers.kafka.createTopics(3, TOPIC);
            servers.db.execute("CREATE DATABASE eo", String.format(TransactionWriter.CREATE, "eo"));
            Map<String, String> p = properties(servers);
            int inFlight = 0;
            TransactionWriter writer = new TransactionWriter(servers, "eo");
            try (writer) {
                for (int kill = 1; kill <= KILLS; kill++) {
                    try (TaskProcess task = TaskProcess.start(servers.work, p, "task-" + kill + ".log")) {
                        long before = TransactionWriter.committedRows(servers, TOPIC);
                        Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                                .until(() -> TransactionWriter.committedRows(servers, TOPIC) >= before + 400);
                        awaitOpenTransaction(servers);
                        task.kill();
                    }
                    // the killed producer's open transaction keeps the last stable offset behind the high watermark
                    if (TransactionWriter.transactionOpen(servers, TOPIC)) {
                        inFlight++;
                    }
                    assertThat(writer.partial(servers, TOPIC)).as("source transactions a read_committed consumer sees in part").isEmpty();
                }
            }
            try (TaskProcess task = TaskProcess.start(servers.work, p, "task-last.log")) {
                Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                        .until(() -> TransactionWriter.committedRows(servers, TOPIC) >= writer.rows());
            }
            List<Received> all = TransactionWriter.inserts(servers, TOPIC);
            Map<String, Long> copies = all.stream().collect(Collectors.groupingBy(Received::key, Collectors.counting()));
            System.out.printf("EXACTLY-ONCE-TEST rows=%d transactions=%d kills=%d kills_in_flight=%d messages=%d duplicates=%d%n",
                    writer.rows(), writer.transactions(), KILLS, inFlight, all.size(), all.size() - copies.size());
            // every row exactly once, each under its own id
            assertThat(copies).hasSize(writer.rows()).allSatisfy((id, count) -> assertThat(count).as("copies of row %s", id).isEqualTo(1L));
            assertThat(all.stream().map(r -> r.header("obsync-event-id")).distinct().count()).isEqualTo(writer.rows());
            assertThat(writer.partial(servers, TOPIC)).isEmpty();
            assertThat(inFlight).as("kills that hit an open Kafka transaction").isPositive();
        }
    }

    /** Waits (a while) until a Kafka transaction is open, so that the kill lands inside one. */
    static void awaitOpenTransaction(Servers servers) {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> TransactionWriter.transactionOpen(servers, TOPIC));
        } catch (ConditionTimeoutException e) {
            // none seen open: the kill lands between two transactions, which the count after it tells
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aSourceTransactionLargerThanTheTaskHoldsIsCommittedInPartsEachOnce() throws Exception {
        try (Servers servers = Servers.start("exactly-once-large")) {
            servers.kafka.createTopics(3, TOPIC);
            servers.db.execute("CREATE DATABASE eo", String.format(TransactionWriter.CREATE, "eo"));
            Map<String, String> p = properties(servers);
            p.put("obsync.source.transaction-buffer-changes", "50");
            try (TaskProcess task = TaskProcess.start(servers.work, p, "task.log")) {
                try (Connection c = servers.db.connect(); Statement s = c.createStatement()) {
                    c.setAutoCommit(false);
                    for (int id = 1; id <= 130; id++) {
                        s.executeUpdate("INSERT INTO eo.items VALUES (" + id + ", 1, 130)");
                    }
                    c.commit();
                    for (int id = 131; id <= 140; id++) {
                        s.executeUpdate("INSERT INTO eo.items VALUES (" + id + ", " + id + ", 1)");
                        c.commit();
                    }
                }
                Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> TransactionWriter.committedRows(servers, TOPIC) >= 140);
                assertThat(task.output()).contains("has more than 50 row changes (obsync.source.transaction-buffer-changes): it is "
                        + "committed to Kafka in parts");
            }
            List<Received> all = TransactionWriter.inserts(servers, TOPIC);
            assertThat(all.stream().collect(Collectors.groupingBy(Received::key, Collectors.counting())))
                    .hasSize(140).allSatisfy((id, count) -> assertThat(count).isEqualTo(1L));
        }
    }

    private static Map<String, String> properties(Servers servers) {
        Map<String, String> p = Task.properties(servers, "exactly-once-it");
        p.put("obsync.source.databases", "eo");
        p.put("obsync.delivery", "exactly-once");
        p.put("obsync.state.store", "kafka");
        p.put("obsync.state.kafka.replication-factor", "1");
        p.put("obsync.source.batch-size", "200");
        p.put("obsync.pipeline.lanes", "2");
        p.put("camel.management.port", "0");
        return p;
    }
}
