package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.obsync.it.Records.Received;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the task in the middle of a stream of thousands of changes, then a restart: every
 * change must be in Kafka, and the duplicates are counted.
 */
class CrashRecoveryIT {

    private static final int ROWS = 3000;
    private static final String TOPIC = "Topic_crash_events";

    @Test
    void nothingIsLostWhenTheTaskIsKilledMidStream() throws Exception {
        try (Servers servers = Servers.start("crash")) {
            servers.kafka.createTopics(3, TOPIC);
            servers.db.execute("CREATE DATABASE crash", "CREATE TABLE crash.events (id INT PRIMARY KEY, n INT NOT NULL, note VARCHAR(64))");
            Map<String, String> p = Task.properties(servers, "crash-it");
            p.put("obsync.source.databases", "crash");
            // small batches so a kill lands between many committed positions
            p.put("obsync.source.batch-size", "256");

            CompletableFuture<Void> writer;
            int atKill;
            TaskProcess first = TaskProcess.start(servers.work, p, "task-1.log");
            try {
                writer = CompletableFuture.runAsync(() -> {
                    // ROWS inserts, then ROWS updates, each its own transaction
                    servers.forIds(1, ROWS, "INSERT INTO crash.events VALUES (?, 0, 'created')");
                    servers.forIds(1, ROWS, "UPDATE crash.events SET n = n + 1, note = 'updated' WHERE id = ?");
                });
                // kill once a good part of the stream, but not all of it, has arrived
                atKill = Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC), r -> r.size() >= ROWS / 2,
                        Duration.ofSeconds(120)).size();
                first.kill();
                assertThat(first.isAlive()).isFalse();
            } finally {
                first.close();
            }

            try (TaskProcess second = TaskProcess.start(servers.work, p, "task-2.log")) {
                writer.join();
                Set<String> expectedIds = new HashSet<>();
                List<Received> received = Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC), r -> {
                    expectedIds.clear();
                    r.stream().filter(CrashRecoveryIT::isRowChange).forEach(x -> expectedIds.add(x.header("obsync-event-id")));
                    return expectedIds.size() >= 2 * ROWS;
                }, Duration.ofSeconds(180));
                List<Received> all = received.stream().filter(CrashRecoveryIT::isRowChange).toList();

                Map<String, Integer> lastN = new HashMap<>();
                Map<String, Long> lastOffset = new HashMap<>();
                for (Received r : all) {
                    String key = r.key();
                    if (r.offset() >= lastOffset.getOrDefault(key, -1L)) {
                        lastOffset.put(key, r.offset());
                        lastN.put(key, r.json().get("postStruct").get("n").asInt());
                    }
                }
                try (Connection c = servers.db.connect(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT id, n FROM crash.events")) {
                    int rows = 0;
                    while (rs.next()) {
                        rows++;
                        assertThat(lastN.get(Integer.toString(rs.getInt(1)))).as("row %d", rs.getInt(1)).isEqualTo(rs.getInt(2));
                    }
                    assertThat(rows).isEqualTo(ROWS);
                }
                int duplicates = all.size() - expectedIds.size();
                System.out.printf("CRASH-TEST changes=%d messages=%d distinct=%d duplicates=%d seen-at-kill=%d%n",
                        2 * ROWS, all.size(), expectedIds.size(), duplicates, atKill);
                Files.writeString(servers.work.resolve("crash-result.txt"), "duplicates=" + duplicates + "\n");
                assertThat(atKill).as("the kill came in the middle of the stream").isLessThan(2 * ROWS);
                assertThat(expectedIds).hasSize(2 * ROWS);
                // at most the batches in flight at the moment of the kill are sent again
                assertThat(duplicates).isLessThanOrEqualTo(2 * 256);
            }
        }
    }

    private static boolean isRowChange(Received r) {
        return !"DDL".equals(r.header("obsync-operation"));
    }

}
