package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.google.common.util.concurrent.RateLimiter;
import io.obsync.sandbox.EmbeddedMariaDb;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task moved to another Binlog Service instance, which serves the same transactions under other
 * binlog file names and positions: the second instance is a MariaDB replica of the first (its own
 * server id and file names, the replicated transactions in its binlog with their GTIDs), and
 * {@link BinlogRelay} serves both with MySQL-style GTIDs ({@code gtid_mode=ON}), as OceanBase's
 * Binlog Service does. The task, killed with SIGKILL while writers commit, starts again against the
 * replica and resumes by GTID: every change arrives, every copy of a change carries its first copy's
 * id, and the duplicates stay within one batch per restart.
 */
class GtidSwitchoverIT {

    private static final UUID TENANT = UUID.fromString("3e11fa47-71ca-11e1-9e33-c80aa9429562");
    private static final String VERSION = "5.7.25-OceanBase_CE-v4.2.1.2-log";
    private static final int BATCH = 256;
    private static final int ROUNDS = 1_500;
    private static final String TOPIC = "Topic_gs_t";

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aTaskMovedToAnotherInstanceResumesByGtidWithNothingLostAndTheSameIds() throws Exception {
        try (Servers servers = Servers.start("gtid-switchover");
             EmbeddedMariaDb replica = EmbeddedMariaDb.startReplica(servers.work.resolve("replica"), 2, "replica-bin");
             BinlogRelay relay = BinlogRelay.start(servers.db.host(), servers.db.port())
                     .mysqlGtids(TENANT, VERSION, EmbeddedMariaDb.SERVER_ID, servers.db.user(), servers.db.password())
                     .heartbeatsInsideTransactions(0.3)) {
            servers.db.execute("CREATE DATABASE gs", "CREATE TABLE gs.t (id INT PRIMARY KEY, v BIGINT NOT NULL)");
            replica.execute("CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + servers.db.port() + ", MASTER_USER = 'root', "
                    + "MASTER_PASSWORD = '" + servers.db.password() + "', MASTER_USE_GTID = slave_pos, MASTER_SSL = 0", "START SLAVE");
            servers.kafka.createTopics(3, TOPIC);
            Map<String, String> p = Task.properties(servers, "gtid-switchover-it");
            p.put("obsync.source.hostname", relay.host());
            p.put("obsync.source.port", Integer.toString(relay.port()));
            p.put("obsync.source.databases", "gs");
            p.put("obsync.source.batch-size", Integer.toString(BATCH));

            AtomicInteger expected = new AtomicInteger();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(servers.db, expected));
            long firstRun;
            try (TaskProcess task = TaskProcess.start(servers.work, p, "task-primary.log")) {
                Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC), r -> r.size() >= 1_500, Duration.ofSeconds(180));
                task.kill();
                assertThat(task.isAlive()).isFalse();
            }
            firstRun = Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC), r -> r.size() >= 1_500, Duration.ofSeconds(30)).size();
            // the replica has what the primary had when the task died (a switchover goes to an instance that has it)
            String primaryAtKill = gtidPosition(servers.db);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> sequence(gtidPosition(replica)) >= sequence(primaryAtKill));
            relay.switchTo(replica.host(), replica.port());

            List<Records.Received> all;
            try (TaskProcess task = TaskProcess.start(servers.work, p, "task-replica.log")) {
                // then back to the first instance under the running task, the way obproxy switches: open connections
                // close, new ones reach the other instance, and the binlog client reconnects by GTID
                long before = firstRun;
                Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC), r -> r.size() >= before + 1_500, Duration.ofSeconds(180));
                relay.switchTo(servers.db.host(), servers.db.port());
                relay.closeConnections();
                writer.join();
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> sequence(gtidPosition(replica)) >= sequence(gtidPosition(servers.db)));
                all = Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC),
                        r -> r.stream().filter(m -> !"DDL".equals(m.header("obsync-operation"))).map(GtidSwitchoverIT::change).distinct().count()
                                >= expected.get(), Duration.ofSeconds(180));
                assertThat(task.isAlive()).isTrue();
            }
            all = all.stream().filter(r -> !"DDL".equals(r.header("obsync-operation"))).toList();

            Map<String, String> idOfChange = new HashMap<>();
            Map<String, String> changeOfId = new HashMap<>();
            for (Records.Received r : all) {
                String change = change(r);
                String id = r.header("obsync-event-id");
                // the transaction is named by its GTID, the same on both instances
                assertThat(id).startsWith(TENANT + ":");
                assertThat(idOfChange.putIfAbsent(change, id)).as("id of %s", change).isIn(null, id);
                assertThat(changeOfId.putIfAbsent(id, change)).as("change of %s", id).isIn(null, change);
            }
            assertThat(idOfChange).hasSize(expected.get());
            int duplicates = all.size() - idOfChange.size();
            System.out.printf("GTID-SWITCHOVER changes=%d first-run=%d messages=%d duplicates=%d batch=%d heartbeats=%d%n",
                    expected.get(), firstRun, all.size(), duplicates, BATCH, relay.heartbeatsSent());
            // the kill and the move under the running task may each send the batch they interrupted again
            assertThat(duplicates).isLessThanOrEqualTo(2 * BATCH);
            assertThat(consumerRows(all)).isEqualTo(sourceRows(servers.db));
        }
    }

    /** Rounds of a transaction inserting three rows and updating an earlier one, at a steady pace. */
    private static void write(EmbeddedMariaDb db, AtomicInteger expected) {
        RateLimiter pace = RateLimiter.create(100);
        AtomicLong v = new AtomicLong();
        try (Connection c = db.connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO gs.t VALUES (?, ?), (?, ?), (?, ?)");
             PreparedStatement update = c.prepareStatement("UPDATE gs.t SET v = ? WHERE id = ?")) {
            c.setAutoCommit(false);
            for (int round = 0; round < ROUNDS; round++) {
                pace.acquire();
                for (int i = 0; i < 3; i++) {
                    insert.setInt(2 * i + 1, 3 * round + i);
                    insert.setLong(2 * i + 2, v.incrementAndGet());
                }
                int changes = insert.executeUpdate();
                update.setLong(1, v.incrementAndGet());
                update.setInt(2, 3 * round);
                changes += update.executeUpdate();
                c.commit();
                expected.addAndGet(changes);
            }
        } catch (Exception e) {
            System.out.println("GTID-SWITCHOVER writer failed at " + java.time.Instant.now() + ": " + e);
            throw new IllegalStateException("writing failed", e);
        }
    }

    /** A message's change: operation, key and the unique value after it. */
    private static String change(Records.Received r) {
        return r.header("obsync-operation") + ":" + r.key() + ":" + r.json().path("postStruct").path("v").asText();
    }

    private static String gtidPosition(EmbeddedMariaDb db) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT @@global.gtid_binlog_pos")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static long sequence(String gtidPosition) {
        return gtidPosition == null || gtidPosition.isBlank() ? 0 : Long.parseLong(gtidPosition.substring(gtidPosition.lastIndexOf('-') + 1));
    }

    /** The table as a consumer rebuilds it: each id's last value, messages applied in partition order, repeated ids once. */
    private static Map<String, String> consumerRows(List<Records.Received> all) {
        List<Records.Received> ordered = new ArrayList<>(all);
        ordered.sort(java.util.Comparator.comparingInt(Records.Received::partition).thenComparingLong(Records.Received::offset));
        Map<String, String> rows = new java.util.TreeMap<>();
        java.util.Set<String> applied = new java.util.HashSet<>();
        for (Records.Received r : ordered) {
            if (applied.add(r.header("obsync-event-id"))) {
                rows.put(r.key(), r.json().path("postStruct").path("v").asText());
            }
        }
        return rows;
    }

    private static Map<String, String> sourceRows(EmbeddedMariaDb db) throws Exception {
        Map<String, String> rows = new java.util.TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, v FROM gs.t")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        }
        return rows;
    }
}
