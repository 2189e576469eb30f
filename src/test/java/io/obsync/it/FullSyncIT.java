package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.obsync.manage.TaskStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Full synchronization: every row of tables with and without a primary key once as ROW messages,
 * then the changes, with no gap between, while writes go on. A consumer that applies the messages
 * in order ends with exactly the rows the source has.
 */
class FullSyncIT {

    private static final int KEYED_ROWS = 20_000;
    private static final int HEAP_ROWS = 5_000;

    @Test
    void everyRowOnceThenTheChangesWithNoGapWhileWritesGoOn() throws Exception {
        try (Servers servers = Servers.start("fullsync")) {
            servers.db.execute("CREATE DATABASE fs",
                    "CREATE TABLE fs.keyed (id INT PRIMARY KEY, v INT NOT NULL, note VARCHAR(40))",
                    "CREATE TABLE fs.heap (a INT, b VARCHAR(20))");
            SourceTables.fill(servers, "INSERT INTO fs.keyed VALUES ", KEYED_ROWS, i -> "(" + i + "," + i + ",'row " + i + "')");
            SourceTables.fill(servers, "INSERT INTO fs.heap VALUES ", HEAP_ROWS, i -> "(" + (i % 1000) + ",'h" + i + "')");
            Map<String, String> p = Task.properties(servers, "fullsync-it");
            p.put("obsync.source.databases", "fs");
            p.put("obsync.source.snapshot-mode", "no_data");
            p.put("obsync.full-sync.enabled", "true");

            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicBoolean heapWriting = new AtomicBoolean(false);
            AtomicLong keyedWrites = new AtomicLong();
            AtomicLong heapWrites = new AtomicLong();
            SourceTables.Writer keyedWriter = SourceTables.writer(servers, writing, keyedWrites, (statement, random) -> {
                int id = 1 + random.nextInt(KEYED_ROWS + 5_000);
                switch (random.nextInt(3)) {
                    case 0 -> statement.executeUpdate("UPDATE fs.keyed SET v = v + 1, note = 'u' WHERE id = " + id);
                    case 1 -> statement.executeUpdate("DELETE FROM fs.keyed WHERE id = " + id);
                    default -> statement.executeUpdate("INSERT IGNORE INTO fs.keyed VALUES (" + id + ", 0, 'new')");
                }
            });
            SourceTables.Writer heapWriter = SourceTables.writer(servers, heapWriting, heapWrites, (statement, random) -> {
                int a = random.nextInt(1000);
                switch (random.nextInt(3)) {
                    case 0 -> statement.executeUpdate("UPDATE fs.heap SET b = 'x" + random.nextInt(100) + "' WHERE a = " + a + " LIMIT 1");
                    case 1 -> statement.executeUpdate("DELETE FROM fs.heap WHERE a = " + a + " LIMIT 1");
                    default -> statement.executeUpdate("INSERT INTO fs.heap VALUES (" + a + ", 'n" + random.nextInt(100) + "')");
                }
            });
            keyedWriter.start();
            try (Task task = Task.start(p)) {
                // the heap table changes only once the snapshot has opened its view of the data, so that
                // no change of it is both in the snapshot and in the stream (see the README on duplicates)
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> task.status.getPhase() == TaskStatus.Phase.FULL
                        && task.status.fullSyncRows().values().stream().mapToLong(Long::longValue).sum() > 0
                        || task.status.getPhase() == TaskStatus.Phase.INCREMENTAL);
                heapWriting.set(true);
                heapWriter.start();
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> task.status.getPhase() == TaskStatus.Phase.INCREMENTAL);
                Thread.sleep(2_000);
                writing.set(false);
                heapWriting.set(false);
                keyedWriter.join();
                heapWriter.join();

                Map<Integer, String> keyedNow = keyed(servers);
                Map<String, Integer> heapNow = heap(servers);
                List<Records.Received> received = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_fs_keyed", "Topic_fs_heap"),
                        all -> applyKeyed(all).equals(keyedNow) && applyHeap(all).equals(heapNow), Duration.ofSeconds(120));

                // every row once in the snapshot: no id twice, and the heap's 5,000 rows exactly
                List<Records.Received> keyedRows = received.stream().filter(r -> r.topic().equals("Topic_fs_keyed") && type(r).equals("ROW")).toList();
                Set<Integer> ids = new HashSet<>();
                keyedRows.forEach(r -> assertThat(ids.add(r.json().path("postStruct").path("id").asInt())).as("ROW of id twice").isTrue());
                assertThat(received.stream().filter(r -> r.topic().equals("Topic_fs_heap") && type(r).equals("ROW"))).hasSize(HEAP_ROWS);
                assertThat(keyedWrites.get()).isGreaterThan(100);
                assertThat(heapWrites.get()).isGreaterThan(20);
                // progress as rows read per table, against the estimates
                assertThat(task.status.fullSyncRows()).containsEntry("fs.heap", (long) HEAP_ROWS);
                assertThat(task.status.fullSyncRows().get("fs.keyed")).isEqualTo(keyedRows.size());
                assertThat(task.status.fullSyncEstimates()).containsKeys("fs.keyed", "fs.heap");
                assertThat(task.status.tableCounts().get("fs.keyed").out()).isGreaterThanOrEqualTo(keyedRows.size());
            }
            // a restart streams on: no second full synchronization
            try (Task again = Task.start(p)) {
                servers.db.execute("INSERT INTO fs.keyed VALUES (999999, 1, 'after restart')");
                Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_fs_keyed"),
                        all -> all.stream().anyMatch(r -> "999999".equals(r.key())), Duration.ofSeconds(60));
                assertThat(again.status.getPhase()).isEqualTo(TaskStatus.Phase.INCREMENTAL);
                assertThat(again.status.fullSyncRows()).isEmpty();
            }
        }
    }

    @Test
    void onlyTheSelectedTablesAreRead() throws Exception {
        try (Servers servers = Servers.start("fullsync-selected")) {
            servers.db.execute("CREATE DATABASE fsel", "CREATE TABLE fsel.keep_1 (id INT PRIMARY KEY)", "CREATE TABLE fsel.skip_1 (id INT PRIMARY KEY)");
            servers.kafka.createTopics(1, "Topic_fsel_keep_1");
            servers.forIds(1, 300, "INSERT INTO fsel.keep_1 VALUES (?)");
            servers.forIds(1, 300, "INSERT INTO fsel.skip_1 VALUES (?)");
            java.nio.file.Path objects = servers.work.resolve("objects.yaml");
            java.nio.file.Files.writeString(objects, "include:\n  - table: fsel.keep_*\n");
            Map<String, String> p = Task.properties(servers, "fullsync-selected-it");
            p.put("obsync.source.databases", "fsel");
            p.put("obsync.source.snapshot-mode", "no_data");
            p.put("obsync.full-sync.enabled", "true");
            p.put("obsync.objects.file", objects.toString());
            try (Task task = Task.start(p)) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> task.status.getPhase() == TaskStatus.Phase.INCREMENTAL);
                List<Records.Received> rows = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_fsel_keep_1"),
                        all -> all.size() >= 300, Duration.ofSeconds(60));
                assertThat(rows).hasSize(300).allMatch(r -> type(r).equals("ROW"));
                // the other table's rows were not even read
                assertThat(task.status.fullSyncRows()).isEqualTo(Map.of("fsel.keep_1", 300L));
                assertThat(task.status.fullSyncEstimates()).containsOnlyKeys("fsel.keep_1");
                assertThat(task.status.tableCounts()).doesNotContainKey("fsel.skip_1");
            }
        }
    }

    @Test
    void pausedDuringFullSyncItStartsOverOnResumeAndLosesNothing() throws Exception {
        try (Servers servers = Servers.start("fullsync-pause")) {
            servers.db.execute("CREATE DATABASE fsp", "CREATE TABLE fsp.t (id INT PRIMARY KEY, v INT)");
            servers.kafka.createTopics(3, "Topic_fsp_t");
            SourceTables.fill(servers, "INSERT INTO fsp.t VALUES ", 10_000, i -> "(" + i + ", 0)");
            Map<String, String> p = Task.properties(servers, "fullsync-pause-it");
            p.put("obsync.source.databases", "fsp");
            p.put("obsync.source.snapshot-mode", "no_data");
            p.put("obsync.full-sync.enabled", "true");
            // slow enough to pause in the middle
            p.put("obsync.throttle.full.records-per-second", "2000");
            javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            javax.management.ObjectName name = new javax.management.ObjectName("io.obsync:type=Task,name="
                    + javax.management.ObjectName.quote("fullsync-pause-it"));
            try (Task task = Task.start(p)) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> task.status.fullSyncRows().getOrDefault("fsp.t", 0L) > 2_000);
                jmx.invoke(name, "pause", null, null);
                assertThat(jmx.getAttribute(name, "State")).isEqualTo("PAUSED");
                // changes while paused: after the pause, before the resume
                servers.db.execute("UPDATE fsp.t SET v = 1 WHERE id <= 10", "INSERT INTO fsp.t VALUES (10001, 1)");
                jmx.invoke(name, "resume", null, null);
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> task.status.getPhase() == TaskStatus.Phase.INCREMENTAL);
                Map<Integer, String> now = new HashMap<>();
                try (Connection c = servers.db.connect(); Statement st = c.createStatement(); ResultSet r = st.executeQuery("SELECT id, v FROM fsp.t")) {
                    while (r.next()) {
                        now.put(r.getInt(1), Integer.toString(r.getInt(2)));
                    }
                }
                Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_fsp_t"), all -> {
                    Map<Integer, String> applied = new HashMap<>();
                    for (Records.Received r : SourceTables.ordered(all, "Topic_fsp_t")) {
                        JsonNode m = r.json();
                        if (!m.path("postStruct").isMissingNode() && !m.path("postStruct").isNull()) {
                            applied.put(m.path("postStruct").path("id").asInt(), m.path("postStruct").path("v").asText());
                        }
                    }
                    return applied.equals(now);
                }, Duration.ofSeconds(90));
                // the second pass read every row again, from the first one
                assertThat(task.status.fullSyncRows().get("fsp.t")).isGreaterThanOrEqualTo(10_000L);
            }
        }
    }

    @Test
    void fullSyncWithAStartTimeIsRefused() throws Exception {
        try (Servers servers = Servers.start("fullsync-time")) {
            Map<String, String> p = Task.properties(servers, "fullsync-time-it");
            p.put("obsync.full-sync.enabled", "true");
            p.put("obsync.source.start-time", "2026-01-01T00:00:00Z");
            assertThatThrownBy(() -> Task.start(p).close())
                    .hasStackTraceContaining("obsync.full-sync.enabled is true and obsync.source.start-time is '2026-01-01T00:00:00Z'");
        }
    }

    private static String type(Records.Received r) {
        return r.json().path("recordType").asText();
    }

    private static Map<Integer, String> keyed(Servers servers) throws Exception {
        Map<Integer, String> rows = new HashMap<>();
        try (Connection c = servers.db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id, v, note FROM fs.keyed")) {
            while (r.next()) {
                rows.put(r.getInt(1), r.getInt(2) + "|" + r.getString(3));
            }
        }
        return rows;
    }

    private static Map<String, Integer> heap(Servers servers) throws Exception {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection c = servers.db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT a, b FROM fs.heap")) {
            while (r.next()) {
                rows.merge(r.getInt(1) + "|" + r.getString(2), 1, Integer::sum);
            }
        }
        return rows;
    }

    /** The keyed table as a consumer that applies every message in order ends up with (upsert by key). */
    private static Map<Integer, String> applyKeyed(List<Records.Received> all) {
        Map<Integer, String> rows = new HashMap<>();
        for (Records.Received r : SourceTables.ordered(all, "Topic_fs_keyed")) {
            JsonNode m = r.json();
            switch (m.path("recordType").asText()) {
                case "ROW", "INSERT", "UPDATE" -> rows.put(m.path("postStruct").path("id").asInt(),
                        m.path("postStruct").path("v").asInt() + "|" + m.path("postStruct").path("note").asText());
                case "DELETE" -> rows.remove(m.path("prevStruct").path("id").asInt());
                default -> { }
            }
        }
        return rows;
    }

    /** The heap table as a multiset of rows: a table without a key cannot take a message twice. */
    private static Map<String, Integer> applyHeap(List<Records.Received> all) {
        Map<String, Integer> rows = new HashMap<>();
        for (Records.Received r : SourceTables.ordered(all, "Topic_fs_heap")) {
            JsonNode m = r.json();
            String type = m.path("recordType").asText();
            if (type.equals("UPDATE") || type.equals("DELETE")) {
                rows.merge(m.path("prevStruct").path("a").asInt() + "|" + m.path("prevStruct").path("b").asText(), -1, Integer::sum);
            }
            if (type.equals("UPDATE") || type.equals("INSERT") || type.equals("ROW")) {
                rows.merge(m.path("postStruct").path("a").asInt() + "|" + m.path("postStruct").path("b").asText(), 1, Integer::sum);
            }
        }
        rows.values().removeIf(n -> n == 0);
        return rows;
    }
}
