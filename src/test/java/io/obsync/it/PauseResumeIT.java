package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.obsync.it.Records.Received;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Paused over JMX in the middle of a multi-row transaction that spans several batches, then resumed:
 * reading starts again at the transaction's first event, the changes delivered before the pause are
 * held back, and every change keeps the event id it had.
 */
class PauseResumeIT {

    private static final String TOPIC = "Topic_pause_t";
    private static final int ROWS = 60;

    @Test
    void pausedInTheMiddleOfATransactionEveryChangeKeepsItsId() throws Exception {
        try (Servers servers = Servers.start("pause")) {
            servers.db.execute("CREATE DATABASE pause", "CREATE TABLE pause.t (id INT PRIMARY KEY, v INT)");
            servers.kafka.createTopics(1, TOPIC);
            Map<String, String> p = Task.properties(servers, "pause-it");
            p.put("obsync.source.databases", "pause");
            // a transaction of 60 rows spans several batches of 8, delivered slowly enough to pause in between
            p.put("obsync.source.batch-size", "8");
            p.put("obsync.throttle.incremental.records-per-second", "20");
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("io.obsync:type=Task,name=" + ObjectName.quote("pause-it"));
            try (Task task = Task.start(p)) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jmx.isRegistered(name));
                StringBuilder insert = new StringBuilder("INSERT INTO pause.t VALUES ");
                for (int i = 1; i <= ROWS; i++) {
                    insert.append(i == 1 ? "" : ", ").append("(").append(i).append(", 0)");
                }
                // one transaction: 60 inserts in one statement, then 60 updates in another
                try (var c = servers.db.connect()) {
                    c.setAutoCommit(false);
                    c.createStatement().executeUpdate(insert.toString());
                    c.createStatement().executeUpdate("UPDATE pause.t SET v = 1");
                    c.commit();
                }
                Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC), r -> r.size() >= 32, Duration.ofSeconds(60));
                jmx.invoke(name, "pause", null, null);
                int beforeResume = Records.settled(servers.kafka.bootstrapServers(), List.of(TOPIC), r -> r.size() >= 30,
                        Duration.ofSeconds(30)).size();
                assertThat(beforeResume).as("paused inside the transaction").isLessThan(2 * ROWS);
                jmx.invoke(name, "resume", null, null);

                Map<String, Set<String>> idsPerChange = new HashMap<>();
                List<Received> all = Records.settled(servers.kafka.bootstrapServers(), List.of(TOPIC), r -> {
                    idsPerChange.clear();
                    r.stream().filter(x -> !"DDL".equals(x.header("obsync-operation"))).forEach(x -> idsPerChange.computeIfAbsent(x.header("obsync-operation") + " " + x.key(), k -> new HashSet<>())
                            .add(x.header("obsync-event-id")));
                    return idsPerChange.size() >= 2 * ROWS;
                }, Duration.ofSeconds(120));
                // the table's CREATE statement (the sandbox reads from the oldest binlog) is not a row change
                all = all.stream().filter(x -> !"DDL".equals(x.header("obsync-operation"))).toList();
                assertThat(idsPerChange).hasSize(2 * ROWS);
                // every copy of a change has its first copy's id, and the 120 changes have 120 ids of one transaction
                assertThat(idsPerChange.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
                Set<String> ids = new HashSet<>();
                idsPerChange.values().forEach(ids::addAll);
                assertThat(ids).hasSize(2 * ROWS);
                assertThat(ids.stream().map(id -> id.substring(0, id.indexOf(':', id.indexOf(':') + 1))).distinct()).hasSize(1);
                // what was delivered before the pause is not sent again: at most the batch in flight
                System.out.printf("PAUSE-RESUME changes=%d messages=%d duplicates=%d delivered-before-resume=%d%n",
                        2 * ROWS, all.size(), all.size() - 2 * ROWS, beforeResume);
                assertThat(all.size() - 2 * ROWS).isLessThanOrEqualTo(8);
                assertThat(task.status.isFailed()).isFalse();
            }
        }
    }
}
