package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.obsync.manage.TaskStatus;
import io.obsync.sandbox.EmbeddedMariaDb;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Tables read in key chunks without writing to the source, where the source has GTIDs: the stand-in
 * behind {@link BinlogRelay} with MySQL-style GTIDs, no signal table. Full synchronization runs in
 * chunks while a writer changes the table, stops in the middle and goes on after a restart; the
 * consumer's copy equals the table, and the source's binlog holds exactly the writer's transactions.
 */
class ReadOnlyChunksIT {

    private static final UUID TENANT = UUID.fromString("5f0e3a5c-4d1b-11ef-9a7c-0242ac120002");
    private static final int ROWS = 12_000;
    private static final int BATCH = 1_000;
    private static final String TOPIC = "Topic_ro_t";

    @Test
    void fullSynchronizationInChunksWritesNothingToTheSource() throws Exception {
        try (Servers servers = Servers.start("read-only-chunks");
             BinlogRelay relay = BinlogRelay.start(servers.db.host(), servers.db.port())
                     .mysqlGtids(TENANT, "5.7.25-OceanBase_CE-v4.2.1.2-log", EmbeddedMariaDb.SERVER_ID, servers.db.user(), servers.db.password())) {
            servers.db.execute("CREATE DATABASE ro", "CREATE TABLE ro.t (id INT PRIMARY KEY, v INT NOT NULL, note VARCHAR(40))");
            servers.kafka.createTopics(3, TOPIC);
            SourceTables.fill(servers, "INSERT INTO ro.t VALUES ", ROWS, i -> "(" + i + "," + i + ",'row " + i + "')");
            Map<String, String> p = Task.properties(servers, "read-only-chunks-it");
            p.put("obsync.source.hostname", relay.host());
            p.put("obsync.source.port", Integer.toString(relay.port()));
            p.put("obsync.source.databases", "ro");
            p.put("obsync.full-sync.enabled", "true");
            p.put("obsync.full-sync.chunk-size", "500");
            p.put("obsync.throttle.full.records-per-second", "3000");
            // a stop sends at most the unacknowledged batch again: small batches make a read from the first row stand out
            p.put("obsync.source.batch-size", Integer.toString(BATCH));

            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong writes = new AtomicLong();
            // statements that changed a row: each is one transaction in the binlog (one that changes none writes nothing)
            AtomicLong changed = new AtomicLong();
            SourceTables.Writer writer = SourceTables.writer(servers, writing, writes, (statement, random) -> {
                changed.addAndGet(SourceTables.changeRandomRow(statement, random, "ro.t", ROWS + 1_000) > 0 ? 1 : 0);
                Thread.sleep(3);
            });
            long transactionsBefore = sequence(servers.db);
            writer.start();
            long firstRun;
            long secondRun;
            try (Task task = Task.start(p)) {
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> task.status.fullSyncRows().getOrDefault("ro.t", 0L) > 1_000);
                // obproxy drops a connection asked for its binlog status (the chunks' watermarks) now and then: once, then twice
                // in a row (the second while the source starts again); each time the source reads on from the saved position
                java.util.regex.Pattern status = java.util.regex.Pattern.compile("(?i)SHOW\\s+MASTER\\s+STATUS");
                relay.dropConnectionOn(status, 1);
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                        .until(() -> relay.dropped() == 1 || task.status.isFailed());
                long atDrop = task.status.fullSyncRows().getOrDefault("ro.t", 0L);
                // armed before the source starts again (a second after the drop): the engine reads its chunks into its queue
                // far ahead of the throttled sends, so a later arming could find every watermark already asked for
                relay.dropConnectionOn(status, 2);
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> relay.dropped() == 3 || task.status.isFailed());
                // the rows counted since the last start (the count starts again with each): the read went on after the drops
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> task.status.fullSyncRows()
                        .getOrDefault("ro.t", 0L) > atDrop + 2_000 || task.status.isFailed());
                // the task read on after the drops: Debezium restarted its task from the saved position
                assertThat(task.status.isFailed()).as(String.valueOf(task.status.getLastError())).isFalse();
                assertThat(relay.dropped()).isEqualTo(3);
                assertThat(task.status.getPhase()).isEqualTo(TaskStatus.Phase.FULL);
                firstRun = task.status.fullSyncRows().get("ro.t");
            }
            // the saved position carries Debezium's read: the next run goes on from a chunk, not from the first row
            String saved = new String(java.nio.file.Files.readAllBytes(servers.work.resolve("data/read-only-chunks-it/offsets.dat")),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(saved).contains("\"incremental_snapshot_primary_key\"").doesNotContain("obsync_full_sync");
            try (Task again = Task.start(p)) {
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> again.status.getPhase() == TaskStatus.Phase.INCREMENTAL);
                // the second run went on at the next chunk, not from the first row
                secondRun = again.status.fullSyncRows().getOrDefault("ro.t", 0L);
                // the second run went on where the first stopped: both read the table's keys once, and again at most the batch that
                // was read but not acknowledged when the first stopped (reading from the first row would read thousands more)
                assertThat(secondRun).isGreaterThan(0);
                assertThat(firstRun + secondRun).isLessThanOrEqualTo(ROWS + 1_000 + BATCH);
                writing.set(false);
                writer.join();
                assertThat(writes.get()).isGreaterThan(200);
                Map<Integer, String> now = SourceTables.rows(servers, "ro.t", "v", "note");
                List<Records.Received> synced = Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC),
                        all -> SourceTables.applied(all, TOPIC, "v", "note").equals(now), Duration.ofSeconds(120));
                long rowsBefore = synced.stream().filter(r -> r.json().path("recordType").asText().equals("ROW")).count();

                // a resync over JMX goes to the running task, read-only too
                var jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
                var name = new javax.management.ObjectName("io.obsync:type=Task,name=" + javax.management.ObjectName.quote("read-only-chunks-it"));
                Object id = jmx.invoke(name, "resync", new Object[] {"ro.t"}, new String[] {String.class.getName()});
                assertThat(String.valueOf(id)).startsWith("obsync-resync-");
                Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC), all -> all.stream()
                        .filter(r -> r.json().path("recordType").asText().equals("ROW")).count() >= rowsBefore + now.size(), Duration.ofSeconds(120));
                // obsync resync from outside cannot reach a task that reads read-only: one line naming the way
                java.nio.file.Path config = servers.work.resolve("resync.properties");
                java.util.Properties properties = new java.util.Properties();
                properties.load(java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("application.properties")));
                properties.putAll(p);
                try (var out = java.nio.file.Files.newBufferedWriter(config)) {
                    properties.store(out, null);
                }
                java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
                assertThat(io.obsync.cli.ObsyncCommand.execute(new java.io.PrintStream(err, true), "resync", "--config", config.toString(), "ro.t"))
                        .isEqualTo(2);
                assertThat(err.toString()).contains("reads tables in chunks read-only (the source has GTIDs)").contains("JMX operation resync");
            }
            // nothing but the writer's statements reached the source's binlog: no signal table, no watermark rows
            assertThat(sequence(servers.db) - transactionsBefore).isEqualTo(changed.get());
            try (Connection c = servers.db.connect(); Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'obsync%'")) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
            System.out.printf("READ-ONLY-CHUNKS rows=%d first-run=%d second-run=%d writes=%d%n", ROWS, firstRun, secondRun, writes.get());
        }
    }

    /** The GTID sequence number the stand-in reached: one per transaction written to its binlog. */
    private static long sequence(EmbeddedMariaDb db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT @@global.gtid_binlog_pos")) {
            rows.next();
            String position = rows.getString(1);
            return position == null || position.isBlank() ? 0 : Long.parseLong(position.substring(position.lastIndexOf('-') + 1));
        }
    }
}
