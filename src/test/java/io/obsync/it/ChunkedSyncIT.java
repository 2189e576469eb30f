package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.obsync.cli.ObsyncCommand;
import io.obsync.manage.TaskStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Tables read in key chunks between watermarks while the changes stream on (obsync.source.signal-table):
 * full synchronization with writers active that resumes at the next chunk after a restart, a table the
 * objects file adds to a running task, and resync over JMX and the command line.
 */
class ChunkedSyncIT {

    private static final int KEYED_ROWS = 30_000;
    private static final int HEAP_ROWS = 2_000;

    @Test
    void fullSyncInChunksWhileWritersRunResumesAtTheNextChunkAfterARestart() throws Exception {
        try (Servers servers = Servers.start("chunked")) {
            servers.db.execute("CREATE DATABASE cs",
                    "CREATE TABLE cs.keyed (id INT PRIMARY KEY, v INT NOT NULL, note VARCHAR(40))",
                    "CREATE TABLE cs.heap (a INT, b VARCHAR(20))");
            servers.kafka.createTopics(3, "Topic_cs_keyed", "Topic_cs_heap");
            SourceTables.fill(servers, "INSERT INTO cs.keyed VALUES ", KEYED_ROWS, i -> "(" + i + "," + i + ",'row " + i + "')");
            SourceTables.fill(servers, "INSERT INTO cs.heap VALUES ", HEAP_ROWS, i -> "(" + i + ",'h" + i + "')");
            Map<String, String> p = Task.properties(servers, "chunked-it");
            p.put("obsync.source.databases", "cs");
            p.put("obsync.full-sync.enabled", "true");
            p.put("obsync.source.signal-table", "obsync_signals.requests");
            p.put("obsync.full-sync.chunk-size", "1000");
            // slow enough to stop in the middle
            p.put("obsync.throttle.full.records-per-second", "4000");

            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong writes = new AtomicLong();
            SourceTables.Writer writer = SourceTables.writer(servers, writing, writes, (statement, random) -> {
                SourceTables.changeRandomRow(statement, random, "cs.keyed", KEYED_ROWS + 3_000);
                Thread.sleep(2);
            });
            writer.start();
            long firstRun;
            try (Task task = Task.start(p)) {
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> task.status.fullSyncRows().getOrDefault("cs.keyed", 0L) > 8_000);
                assertThat(task.status.getPhase()).isEqualTo(TaskStatus.Phase.FULL);
                firstRun = task.status.fullSyncRows().get("cs.keyed");
                // the table without a key was read first, in one pass
                assertThat(task.status.fullSyncRows()).containsEntry("cs.heap", (long) HEAP_ROWS);
            }
            long writesDuringFirstRun = writes.get();
            try (Task again = Task.start(p)) {
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> again.status.getPhase() == TaskStatus.Phase.INCREMENTAL);
                // the second run went on at the chunk after the last one acknowledged, not from the first row
                long secondRun = again.status.fullSyncRows().getOrDefault("cs.keyed", 0L);
                assertThat(secondRun).isLessThan(KEYED_ROWS + 3_000 - firstRun + 2_000).isGreaterThan(0);
                writing.set(false);
                writer.join();
                assertThat(writes.get()).isGreaterThan(writesDuringFirstRun).isGreaterThan(200);

                Map<Integer, String> now = SourceTables.rows(servers, "cs.keyed", "v", "note");
                List<Records.Received> received = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_cs_keyed", "Topic_cs_heap"),
                        all -> SourceTables.applied(all, "Topic_cs_keyed", "v", "note").equals(now)
                                && all.stream().filter(r -> r.topic().equals("Topic_cs_heap")).count() >= HEAP_ROWS, Duration.ofSeconds(120));
                // the stream went on while the chunks were read: changes sit between the snapshot rows
                List<Records.Received> keyed = SourceTables.ordered(received, "Topic_cs_keyed");
                int lastRow = -1;
                int changesBeforeLastRow = 0;
                for (int i = 0; i < keyed.size(); i++) {
                    if (keyed.get(i).partition() == 0 && keyed.get(i).json().path("recordType").asText().equals("ROW")) {
                        lastRow = i;
                    }
                }
                for (int i = 0; i < lastRow; i++) {
                    changesBeforeLastRow += keyed.get(i).partition() == 0 && !keyed.get(i).json().path("recordType").asText().equals("ROW") ? 1 : 0;
                }
                assertThat(changesBeforeLastRow).as("changes streamed between the chunks").isGreaterThan(10);
                // the table without a key: each row once
                assertThat(received.stream().filter(r -> r.topic().equals("Topic_cs_heap") && r.json().path("recordType").asText().equals("ROW")))
                        .hasSize(HEAP_ROWS);
                // the signal table's rows are obsync's own
                assertThat(again.status.tableCounts()).doesNotContainKey("obsync_signals.requests");
            }
        }
    }

    @Test
    void killedDuringTheChunksNothingIsLostAndEachRestartReadsOnlyWhatWasNotAcknowledged() throws Exception {
        int rows = 20_000;
        int chunk = 1_000;
        try (Servers servers = Servers.start("chunked-kill")) {
            servers.db.execute("CREATE DATABASE ck", "CREATE TABLE ck.t (id INT PRIMARY KEY, v INT NOT NULL)");
            servers.kafka.createTopics(3, "Topic_ck_t");
            SourceTables.fill(servers, "INSERT INTO ck.t VALUES ", rows, i -> "(" + i + ", 0)");
            Map<String, String> p = Task.properties(servers, "chunked-kill-it");
            p.put("obsync.source.databases", "ck");
            p.put("obsync.full-sync.enabled", "true");
            p.put("obsync.source.signal-table", "ck.obsync_signals");
            p.put("obsync.full-sync.chunk-size", Integer.toString(chunk));
            p.put("obsync.source.batch-size", "256");
            p.put("obsync.throttle.full.records-per-second", "3000");
            p.put("camel.management.port", "0");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong writes = new AtomicLong();
            SourceTables.Writer writer = SourceTables.writer(servers, writing, writes, (statement, random) -> {
                int id = 1 + random.nextInt(rows + 1_000);
                if (random.nextInt(4) == 0) {
                    statement.executeUpdate("DELETE FROM ck.t WHERE id = " + id);
                } else {
                    statement.executeUpdate("INSERT INTO ck.t VALUES (" + id + ", 1) ON DUPLICATE KEY UPDATE v = v + 1");
                }
                Thread.sleep(3);
            });
            writer.start();
            int kills = 2;
            for (int kill = 1; kill <= kills; kill++) {
                int atLeast = kill * 6_000;
                try (TaskProcess task = TaskProcess.start(servers.work, p, "chunked-" + kill + ".log")) {
                    Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_ck_t"), all -> all.stream()
                            .filter(r -> r.json().path("recordType").asText().equals("ROW")).count() >= atLeast, Duration.ofSeconds(120));
                    task.kill();
                }
            }
            try (TaskProcess last = TaskProcess.start(servers.work, p, "chunked-last.log")) {
                // every row of the table read once the last run reached the end of the key range
                Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_ck_t"), all -> SourceTables.applied(all, "Topic_ck_t", "v")
                        .keySet().containsAll(List.of(1, rows / 2, rows - 1)), Duration.ofSeconds(180));
                writing.set(false);
                writer.join();
                Map<Integer, String> now = SourceTables.rows(servers, "ck.t", "v");
                List<Records.Received> all = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_ck_t"),
                        r -> SourceTables.applied(r, "Topic_ck_t", "v").equals(now), Duration.ofSeconds(180));
                long rowMessages = all.stream().filter(r -> r.json().path("recordType").asText().equals("ROW")).count();
                System.out.printf("CHUNKED-KILL rows=%d writes=%d row-messages=%d kills=%d%n", rows, writes.get(), rowMessages, kills);
                // each restart read on at the chunk after the last acknowledged one: at most a chunk and a batch again,
                // where a one-pass full synchronization would have started over (another 20,000 rows per kill)
                assertThat(rowMessages).isLessThan(rows + 1_000 + kills * (2L * chunk + 256));
                assertThat(writes.get()).isGreaterThan(200);
            }
        }
    }

    @Test
    void aTableAddedToTheObjectsFileGetsItsRowsAndResyncReadsATableAgain() throws Exception {
        try (Servers servers = Servers.start("chunked-add")) {
            servers.db.execute("CREATE DATABASE ca", "CREATE TABLE ca.t1 (id INT PRIMARY KEY, v INT)", "CREATE TABLE ca.t2 (id INT PRIMARY KEY, v INT)");
            servers.kafka.createTopics(1, "Topic_ca_t1", "Topic_ca_t2", "Topic_ca_t3");
            SourceTables.fill(servers, "INSERT INTO ca.t1 VALUES ", 500, i -> "(" + i + ", 1)");
            SourceTables.fill(servers, "INSERT INTO ca.t2 VALUES ", 700, i -> "(" + i + ", 2)");
            Path objects = servers.work.resolve("objects.yaml");
            Files.writeString(objects, "include:\n  - table: ca.t1\n");
            Map<String, String> p = Task.properties(servers, "chunked-add-it");
            p.put("obsync.source.databases", "ca");
            p.put("obsync.source.signal-table", "ca.obsync_signals");
            p.put("obsync.full-sync.chunk-size", "100");
            p.put("obsync.objects.file", objects.toString());
            p.put("obsync.objects.reload-interval-ms", "200");
            try (Task task = Task.start(p)) {
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> task.status.getState() == TaskStatus.State.RUNNING);
                servers.db.execute("UPDATE ca.t1 SET v = 10 WHERE id = 1");
                Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_ca_t1"), all -> all.size() >= 1, Duration.ofSeconds(60));

                // added while running: its 700 rows arrive, and its changes go on streaming in order
                Files.writeString(objects, "include:\n  - table: ca.t1\n  - table: ca.t2\n");
                AtomicBoolean writing = new AtomicBoolean(true);
                AtomicLong writes = new AtomicLong();
                SourceTables.Writer writer = SourceTables.writer(servers, writing, writes, (statement, random) -> {
                    statement.executeUpdate("UPDATE ca.t2 SET v = v + 1 WHERE id = " + (1 + random.nextInt(800)));
                    statement.executeUpdate("INSERT IGNORE INTO ca.t2 VALUES (" + (700 + random.nextInt(100)) + ", 0)");
                    Thread.sleep(5);
                });
                writer.start();
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> task.status.fullSyncRows().getOrDefault("ca.t2", 0L) >= 700);
                writing.set(false);
                writer.join();
                Map<Integer, String> t2 = SourceTables.rows(servers, "ca.t2", "v");
                List<Records.Received> added = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_ca_t2"),
                        all -> SourceTables.applied(all, "Topic_ca_t2", "v").equals(t2), Duration.ofSeconds(60));
                assertThat(added.stream().filter(r -> r.json().path("recordType").asText().equals("ROW")).count()).isGreaterThanOrEqualTo(700);
                assertThat(writes.get()).isGreaterThan(20);

                // resync over JMX: t1's rows once more, while nothing else changes
                MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
                ObjectName name = new ObjectName("io.obsync:type=Task,name=" + ObjectName.quote("chunked-add-it"));
                Object id = jmx.invoke(name, "resync", new Object[] {"ca.t1"}, new String[] {String.class.getName()});
                assertThat(String.valueOf(id)).startsWith("obsync-resync-");
                Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_ca_t1"),
                        all -> all.stream().filter(r -> r.json().path("recordType").asText().equals("ROW")).count() >= 500, Duration.ofSeconds(60));
                // a table the task does not sync is refused in one line
                assertThatThrownBy(() -> jmx.invoke(name, "resync", new Object[] {"ca.nope"}, new String[] {String.class.getName()}))
                        .hasStackTraceContaining("Table 'ca.nope' is not one the task syncs");

                // added while the task is paused: requested then, read once it resumes (and requested once only)
                servers.db.execute("CREATE TABLE ca.t3 (id INT PRIMARY KEY, v INT)");
                SourceTables.fill(servers, "INSERT INTO ca.t3 VALUES ", 300, i -> "(" + i + ", 3)");
                jmx.invoke(name, "pause", null, null);
                jmx.invoke(name, "resume", null, null);
                jmx.invoke(name, "pause", null, null);
                Files.writeString(objects, "include:\n  - table: ca.t1\n  - table: ca.t2\n  - table: ca.t3\n");
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                    try (java.sql.Connection c = servers.db.connect(); java.sql.Statement st = c.createStatement();
                         java.sql.ResultSet r = st.executeQuery("SELECT COUNT(*) FROM ca.obsync_signals WHERE data LIKE '%ca.t3%'")) {
                        return r.next() && r.getInt(1) > 0;
                    }
                });
                jmx.invoke(name, "resume", null, null);
                // (the inserts themselves may come as INSERT messages too: the stream may read them again after the resume,
                // now with ca.t3 selected)
                Map<Integer, String> t3Now = SourceTables.rows(servers, "ca.t3", "v");
                List<Records.Received> t3 = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_ca_t3"),
                        all -> SourceTables.applied(all, "Topic_ca_t3", "v").equals(t3Now)
                                && all.stream().filter(r -> r.json().path("recordType").asText().equals("ROW")).count() >= 300, Duration.ofSeconds(60));
                assertThat(t3.stream().filter(r -> r.json().path("recordType").asText().equals("ROW"))).as("rows of ca.t3 read once").hasSize(300);
                try (java.sql.Connection c = servers.db.connect(); java.sql.Statement st = c.createStatement();
                     java.sql.ResultSet r = st.executeQuery("SELECT COUNT(*) FROM ca.obsync_signals WHERE data LIKE '%ca.t3%'")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getInt(1)).as("requests for ca.t3").isEqualTo(1);
                }

                // resync from the command line, with the task's configuration
                Path config = servers.work.resolve("resync.properties");
                java.util.Properties properties = new java.util.Properties();
                properties.load(Files.newBufferedReader(Path.of("application.properties")));
                properties.putAll(p);
                try (var out = Files.newBufferedWriter(config)) {
                    properties.store(out, null);
                }
                java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
                int exit = ObsyncCommand.execute(new java.io.PrintStream(err, true), "resync", "--config", config.toString(), "ca.t1");
                assertThat(exit).as(err.toString()).isZero();
                Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_ca_t1"),
                        all -> all.stream().filter(r -> r.json().path("recordType").asText().equals("ROW")).count() >= 1_000, Duration.ofSeconds(60));
                assertThat(ObsyncCommand.execute(new java.io.PrintStream(err, true), "resync", "--config", config.toString(), "ca.t4")).isEqualTo(2);
                assertThat(err.toString()).contains("Table 'ca.t4' is not one the task syncs");
            }
        }
    }
}
