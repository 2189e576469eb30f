package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.util.concurrent.RateLimiter;
import io.obsync.it.Records.Received;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code kill -9} of the real {@code obsync run} process, again and again, while writers change a
 * table with a key, one with a composite key and one without a key, in single-row and multi-row
 * transactions (some changing a key). Every change must arrive; every copy of a change must carry
 * the event id of its first copy; the duplicates of each restart must stay within one batch
 * ({@code obsync.source.batch-size}); and a consumer that applies the messages, dropping repeated
 * ids, must end with exactly the source's rows.
 */
class CrashRecoveryIT {

    private static final int BATCH = 256;
    private static final int KILLS = Integer.getInteger("obsync.crash.kills", 5);
    private static final int ROUNDS = Integer.getInteger("obsync.crash.rounds", 3000);
    private static final List<String> TOPICS = List.of("Topic_crash_single", "Topic_crash_composite", "Topic_crash_keyless");

    /** A change as the writer made it: table, operation and the unique values of its images (each row version has its own v). */
    record Change(String table, String operation, long before, long after) {
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void killedAgainAndAgainNothingIsLostIdsStayAndDuplicatesStayWithinABatch() throws Exception {
        try (Servers servers = Servers.start("crash")) {
            killAgainAndAgain(servers, KILLS, ROUNDS, servers.db.host(), servers.db.port());
        }
    }

    /**
     * The same through a relay that sends HEARTBEAT events between the row events of transactions, at
     * other places each time a transaction is read, as the Binlog Service's dumper does whenever its
     * file stops growing: Debezium counts them among a transaction's events, so a coordinate built on
     * that count would differ between reads and a restart could hold back a change it never sent.
     */
    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void heartbeatsInsideTransactionsNeitherLoseChangesNorChangeIds() throws Exception {
        try (Servers servers = Servers.start("crash-heartbeats");
             BinlogRelay relay = BinlogRelay.start(servers.db.host(), servers.db.port()).heartbeatsInsideTransactions(0.5)) {
            killAgainAndAgain(servers, Math.max(2, KILLS - 2), ROUNDS / 2, relay.host(), relay.port());
            System.out.printf("CRASH-TEST heartbeats inside transactions: %d after %d row events%n",
                    relay.heartbeatsSent(), relay.rowEventsSeen());
            assertThat(relay.heartbeatsSent()).isGreaterThan(100);
        }
    }

    private void killAgainAndAgain(Servers servers, int kills, int rounds, String sourceHost, int sourcePort) throws Exception {
        {
            servers.kafka.createTopics(3, TOPICS.toArray(String[]::new));
            servers.db.execute("CREATE DATABASE crash",
                    "CREATE TABLE crash.single (id INT PRIMARY KEY, v BIGINT NOT NULL)",
                    "CREATE TABLE crash.composite (a INT NOT NULL, v BIGINT NOT NULL, b INT NOT NULL, PRIMARY KEY (b, a))",
                    "CREATE TABLE crash.keyless (k INT, v BIGINT)");
            Map<String, String> p = Task.properties(servers, "crash-it");
            p.put("obsync.source.databases", "crash");
            p.put("obsync.source.batch-size", Integer.toString(BATCH));
            // with lanes: the guarantees must not depend on which thread sent a message
            p.put("obsync.pipeline.lanes", "2");
            p.put("camel.management.port", "0");
            p.put("obsync.source.hostname", sourceHost);
            p.put("obsync.source.port", Integer.toString(sourcePort));

            AtomicInteger expected = new AtomicInteger();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(servers, expected, rounds));
            List<Map<TopicPartition, Long>> runEnds = new ArrayList<>();
            for (int kill = 1; kill <= kills; kill++) {
                try (TaskProcess task = TaskProcess.start(servers.work, p, "task-" + kill + ".log")) {
                    int seen = runEnds.isEmpty() ? 0 : (int) total(runEnds.get(runEnds.size() - 1));
                    // kill once this run delivered a good part of a batch's worth and more
                    Records.readUntil(servers.kafka.bootstrapServers(), TOPICS, r -> r.size() >= seen + 1500, Duration.ofSeconds(180));
                    task.kill();
                    assertThat(task.isAlive()).isFalse();
                }
                runEnds.add(endOffsets(servers));
            }
            writer.join();
            List<Received> all;
            try (TaskProcess last = TaskProcess.start(servers.work, p, "task-last.log")) {
                all = Records.readUntil(servers.kafka.bootstrapServers(), TOPICS,
                        r -> distinctChanges(r).size() >= expected.get(), Duration.ofSeconds(300));
            }
            // the tables' CREATE statements (the sandbox reads from the oldest binlog) are not row changes
            all = all.stream().filter(r -> !"DDL".equals(r.header("obsync-operation"))).toList();

            // 0 lost: every change the writer made arrived
            Map<Change, String> firstId = new HashMap<>();
            Map<String, Change> changeOfId = new HashMap<>();
            for (Received r : all) {
                Change change = change(r);
                String id = r.header("obsync-event-id");
                String earlier = firstId.putIfAbsent(change, id);
                // every copy of a change carries its first copy's id, and no two changes share an id
                assertThat(id).as("id of %s", change).isEqualTo(earlier == null ? id : earlier);
                Change owner = changeOfId.putIfAbsent(id, change);
                assertThat(owner == null ? change : owner).as("change with id %s", id).isEqualTo(change);
            }
            assertThat(firstId).hasSize(expected.get());

            // duplicates of each restart: messages of a later run whose change an earlier run delivered
            List<Integer> perRestart = duplicatesPerRestart(all, runEnds);
            int duplicates = all.size() - firstId.size();
            System.out.printf("CRASH-TEST changes=%d kills=%d messages=%d duplicates=%d per-restart=%s batch=%d ids-stable=true%n",
                    expected.get(), kills, all.size(), duplicates, perRestart, BATCH);
            assertThat(perRestart).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(BATCH));
            // every duplicate is one a restart sent again, and the kills hit work in flight: some restart had to
            // send again what the run it replaced delivered without saving its position (none would if no kill did)
            assertThat(perRestart.stream().mapToInt(Integer::intValue).sum()).as("duplicates, the sum of the restarts'").isEqualTo(duplicates);
            assertThat(perRestart).as("restarts that sent again what a killed run had delivered").hasSize(kills).anyMatch(d -> d > 0);

            // a consumer that applies the messages in order, dropping repeated ids, has the source's rows
            assertThat(rebuilt(all)).isEqualTo(sourceRows(servers));
            // and obsync verify, reading the topics through the task's format, proves the same
            java.util.Properties shipped = new java.util.Properties();
            try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("application.properties"))) {
                shipped.load(in);
            }
            List<io.obsync.verify.Verify.TableResult> verified = io.obsync.verify.Verify.run(
                    key -> p.getOrDefault(key, shipped.getProperty(key)), Duration.ofSeconds(30));
            System.out.println("CRASH-TEST verify: " + verified);
            assertThat(verified).hasSize(3).allSatisfy(r -> assertThat(r.equal()).as(r.toString()).isTrue());
        }
    }

    /** The writer: rounds of a multi-row transaction over all three tables, a single-row one and a keyless one. */
    private static void write(Servers servers, AtomicInteger expected, int rounds) {
        RateLimiter pace = RateLimiter.create(150); // rounds per second: the kills land while writing goes on
        AtomicLong v = new AtomicLong();
        try (Connection c = servers.db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement insertSingle = c.prepareStatement("INSERT INTO crash.single VALUES (?, ?), (?, ?), (?, ?)");
                 PreparedStatement updateSingle = c.prepareStatement("UPDATE crash.single SET v = ? WHERE id = ?");
                 PreparedStatement moveSingle = c.prepareStatement("UPDATE crash.single SET id = ?, v = ? WHERE id = ?");
                 PreparedStatement upsertComposite = c.prepareStatement(
                         "INSERT INTO crash.composite (a, b, v) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v)");
                 PreparedStatement insertKeyless = c.prepareStatement("INSERT INTO crash.keyless VALUES (?, ?), (?, ?)");
                 PreparedStatement deleteKeyless = c.prepareStatement("DELETE FROM crash.keyless WHERE v = ?");
                 PreparedStatement updateKeyless = c.prepareStatement("UPDATE crash.keyless SET v = ? WHERE v = ?")) {
                for (int round = 0; round < rounds; round++) {
                    pace.acquire();
                    int changes = 0;
                    // a multi-row transaction: 3 inserts in one statement, 2 composite-key rows, 2 keyless inserts
                    for (int i = 0; i < 3; i++) {
                        insertSingle.setInt(2 * i + 1, 3 * round + i);
                        insertSingle.setLong(2 * i + 2, v.incrementAndGet());
                    }
                    changes += insertSingle.executeUpdate();
                    for (int i = 0; i < 2; i++) {
                        upsertComposite.setInt(1, round % 50);
                        upsertComposite.setInt(2, i);
                        upsertComposite.setLong(3, v.incrementAndGet());
                        changes += upsertComposite.executeUpdate() > 0 ? 1 : 0;
                    }
                    long k1 = v.incrementAndGet();
                    long k2 = v.incrementAndGet();
                    insertKeyless.setInt(1, round);
                    insertKeyless.setLong(2, k1);
                    insertKeyless.setInt(3, round);
                    insertKeyless.setLong(4, k2);
                    changes += insertKeyless.executeUpdate();
                    c.commit();
                    // a single-row transaction, every tenth one moving its row to another key
                    if (round % 10 == 5) {
                        moveSingle.setInt(1, 1_000_000 + round);
                        moveSingle.setLong(2, v.incrementAndGet());
                        moveSingle.setInt(3, 3 * round);
                        changes += moveSingle.executeUpdate() * 2; // a DELETE under the old key and an INSERT under the new one
                    } else {
                        updateSingle.setLong(1, v.incrementAndGet());
                        updateSingle.setInt(2, 3 * round + 1);
                        changes += updateSingle.executeUpdate();
                    }
                    c.commit();
                    // keyless: one row deleted, the other changed
                    deleteKeyless.setLong(1, k1);
                    changes += deleteKeyless.executeUpdate();
                    updateKeyless.setLong(1, v.incrementAndGet());
                    updateKeyless.setLong(2, k2);
                    changes += updateKeyless.executeUpdate();
                    c.commit();
                    expected.addAndGet(changes);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("writing failed", e);
        }
    }

    /** A message's change: the table, the operation and the unique values of its images. */
    private static Change change(Received r) {
        JsonNode json = r.json();
        if (!json.has("prevStruct") || (json.get("postStruct") != null && !json.get("postStruct").isNull() && !json.get("postStruct").has("v"))
                || (json.get("prevStruct") != null && !json.get("prevStruct").isNull() && !json.get("prevStruct").has("v"))) {
            throw new AssertionError("not a row change of the test's tables: " + r);
        }
        JsonNode before = json.get("prevStruct");
        JsonNode after = json.get("postStruct");
        return new Change(r.header("obsync-table"), r.header("obsync-operation"),
                before == null || before.isNull() ? -1 : before.get("v").asLong(),
                after == null || after.isNull() ? -1 : after.get("v").asLong());
    }

    private static Set<Change> distinctChanges(List<Received> received) {
        Set<Change> changes = new HashSet<>();
        for (Received r : received) {
            if (!"DDL".equals(r.header("obsync-operation"))) {
                changes.add(change(r));
            }
        }
        return changes;
    }

    private static Map<TopicPartition, Long> endOffsets(Servers servers) throws Exception {
        try (Admin admin = servers.kafka.admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : TOPICS) {
                for (int partition = 0; partition < 3; partition++) {
                    latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
                }
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }
    }

    private static long total(Map<TopicPartition, Long> ends) {
        return ends.values().stream().mapToLong(Long::longValue).sum();
    }

    /** For each restart, how many messages it sent of changes that earlier runs had delivered already. */
    private static List<Integer> duplicatesPerRestart(List<Received> all, List<Map<TopicPartition, Long>> runEnds) {
        List<Integer> duplicates = new ArrayList<>();
        for (int run = 1; run <= runEnds.size(); run++) {
            Set<Change> before = new HashSet<>();
            int count = 0;
            for (Received r : all) {
                if (runOf(r, runEnds) < run) {
                    before.add(change(r));
                }
            }
            for (Received r : all) {
                if (runOf(r, runEnds) == run && before.contains(change(r))) {
                    count++;
                }
            }
            duplicates.add(count);
        }
        return duplicates;
    }

    /** The run (0 for the first task, k for the task started after the k-th kill) that sent a message. */
    private static int runOf(Received r, List<Map<TopicPartition, Long>> runEnds) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        for (int run = 0; run < runEnds.size(); run++) {
            if (r.offset() < runEnds.get(run).getOrDefault(tp, 0L)) {
                return run;
            }
        }
        return runEnds.size();
    }

    /** Every table's rows as a consumer rebuilds them: messages applied in each partition's order, repeated ids dropped. */
    private static Map<String, List<String>> rebuilt(List<Received> all) {
        Map<String, Map<String, String>> keyed = new TreeMap<>();
        List<String> keyless = new ArrayList<>();
        Set<String> applied = new HashSet<>();
        List<Received> ordered = new ArrayList<>(all);
        ordered.sort(java.util.Comparator.comparing(Received::topic).thenComparingInt(Received::partition).thenComparingLong(Received::offset));
        for (Received r : ordered) {
            if (!applied.add(r.header("obsync-event-id"))) {
                continue;
            }
            String table = r.header("obsync-table");
            String operation = r.header("obsync-operation");
            JsonNode json = r.json();
            JsonNode before = json.get("prevStruct");
            JsonNode after = json.get("postStruct");
            if (table.equals("keyless")) {
                if (before != null && !before.isNull()) {
                    assertThat(keyless.remove(row(table, before))).as("a keyless row to %s exists", operation).isTrue();
                }
                if (after != null && !after.isNull()) {
                    keyless.add(row(table, after));
                }
                continue;
            }
            Map<String, String> rows = keyed.computeIfAbsent(table, t -> new TreeMap<>());
            if (operation.equals("DELETE")) {
                rows.remove(r.key());
            } else {
                rows.put(r.key(), row(table, after));
            }
        }
        Map<String, List<String>> tables = new TreeMap<>();
        keyed.forEach((table, rows) -> tables.put(table, rows.values().stream().sorted().toList()));
        tables.put("keyless", keyless.stream().sorted().toList());
        return tables;
    }

    private static String row(String table, JsonNode image) {
        return switch (table) {
            case "single" -> image.get("id").asText() + "," + image.get("v").asText();
            case "composite" -> image.get("a").asText() + "," + image.get("b").asText() + "," + image.get("v").asText();
            default -> image.get("k").asText() + "," + image.get("v").asText();
        };
    }

    private static Map<String, List<String>> sourceRows(Servers servers) throws Exception {
        Map<String, List<String>> tables = new TreeMap<>();
        Map<String, String> queries = Map.of(
                "single", "SELECT CONCAT(id, ',', v) FROM crash.single",
                "composite", "SELECT CONCAT(a, ',', b, ',', v) FROM crash.composite",
                "keyless", "SELECT CONCAT(k, ',', v) FROM crash.keyless");
        try (Connection c = servers.db.connect(); Statement s = c.createStatement()) {
            for (Map.Entry<String, String> query : queries.entrySet()) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery(query.getValue())) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
                tables.put(query.getKey(), rows.stream().sorted().toList());
            }
        }
        return tables;
    }
}
