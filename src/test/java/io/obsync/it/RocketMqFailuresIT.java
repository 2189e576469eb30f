package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.obsync.it.Records.Received;
import io.obsync.manage.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The RocketMQ broker restarted mid-stream, and the task killed with SIGKILL mid-stream: nothing is lost. */
class RocketMqFailuresIT {

    private static Servers servers;

    @BeforeAll
    static void start() throws Exception {
        servers = Servers.startWithRocketMq("rocketmq-failures");
        servers.rocketmq.createTopics(4, "rmq_restart", "rmq_crash");
        // one database per test: each task reads only its own
        servers.db.execute(
                "CREATE DATABASE rmq_restart",
                "CREATE TABLE rmq_restart.events (id INT PRIMARY KEY, note VARCHAR(32))",
                "CREATE DATABASE rmq_crash",
                "CREATE TABLE rmq_crash.events (id INT PRIMARY KEY, n INT NOT NULL)");
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    private static Map<String, String> task(String name, String database, String topic) {
        Map<String, String> p = Task.properties(servers, name);
        p.put("obsync.source.databases", database);
        p.put("obsync.target", "rocketmq");
        p.put("obsync.topic.mapping", database + ".events=" + topic);
        p.put("obsync.rocketmq.namesrv", servers.rocketmq.namesrvAddress());
        return p;
    }

    private static Set<String> ids(List<Received> all, String operation) {
        Set<String> ids = new HashSet<>();
        all.stream().filter(x -> operation.equals(x.header("obsync-operation")))
                .forEach(x -> ids.add(x.header("obsync-event-id")));
        return ids;
    }

    /** Every copy of a change (an operation on a key; each key is inserted and updated once) carries one event id. */
    private static void assertOneIdPerChange(List<Received> all) {
        Map<String, Set<String>> idsPerChange = new java.util.HashMap<>();
        all.stream().filter(x -> !"DDL".equals(x.header("obsync-operation")))
                .forEach(x -> idsPerChange.computeIfAbsent(x.header("obsync-operation") + " " + x.key(), k -> new HashSet<>())
                        .add(x.header("obsync-event-id")));
        assertThat(idsPerChange.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
    }

    @Test
    void brokerRestartMidStreamLosesNothing() throws Exception {
        int rows = 1500;
        Map<String, String> p = task("rmq-restart", "rmq_restart", "rmq_restart");
        p.put("obsync.rocketmq.send-timeout-ms", "2000");
        p.put("obsync.delivery.retry-backoff-ms", "200");
        try (Task task = Task.start(p)) {
            // a third of the stream with the broker up, a third while it is down, a third after it is back
            String sql = "INSERT INTO rmq_restart.events VALUES (?, 'created')";
            servers.forIds(1, rows / 3, sql);
            Records.readUntil(Records.rocketmq(servers.rocketmq.namesrvAddress()), List.of("rmq_restart"),
                    r -> ids(r, "INSERT").size() >= rows / 3, Duration.ofSeconds(60));
            servers.rocketmq.stopBroker();
            servers.forIds(rows / 3 + 1, 2 * rows / 3, sql);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> task.status.getFailedSends() > 0);
            // the error says the broker is away, not that the topic is missing
            assertThat(task.status.getLastError()).contains("broker").doesNotContain("partition-ordered");
            assertThat(task.status.getState()).isNotEqualTo(TaskStatus.State.FAILED);
            servers.rocketmq.startBroker();
            servers.forIds(2 * rows / 3 + 1, rows, sql);
            Set<String> seen = new HashSet<>();
            List<Received> all = Records.readUntil(Records.rocketmq(servers.rocketmq.namesrvAddress()), List.of("rmq_restart"), r -> {
                seen.clear();
                seen.addAll(ids(r, "INSERT"));
                return seen.size() >= rows;
            }, Duration.ofSeconds(180));
            Set<String> keys = new HashSet<>();
            all.stream().filter(x -> "INSERT".equals(x.header("obsync-operation"))).forEach(x -> keys.add(x.key()));
            for (int i = 1; i <= rows; i++) {
                assertThat(keys).contains(Integer.toString(i));
            }
            long inserts = all.stream().filter(x -> "INSERT".equals(x.header("obsync-operation"))).count();
            System.out.printf("ROCKETMQ-BROKER-RESTART changes=%d messages=%d duplicates=%d failed-sends=%d resends=%d state=%s%n",
                    rows, inserts, inserts - seen.size(), task.status.getFailedSends(), task.status.getResends(), task.status.getState());
            assertThat(task.status.getResends()).as("the restart made the source resend").isPositive();
            assertOneIdPerChange(all);
            assertThat(task.status.getState()).isEqualTo(TaskStatus.State.RUNNING);
        }
    }

    @Test
    void taskKilledMidStreamLosesNothing() throws Exception {
        int rows = 2000;
        Map<String, String> p = task("rmq-crash", "rmq_crash", "rmq_crash");
        p.put("obsync.source.batch-size", "256");
        CompletableFuture<Void> writer;
        List<Received> atKill;
        TaskProcess first = TaskProcess.start(servers.work, p, "rmq-task-1.log");
        try {
            writer = CompletableFuture.runAsync(() -> {
                servers.forIds(1, rows, "INSERT INTO rmq_crash.events VALUES (?, 0)");
                servers.forIds(1, rows, "UPDATE rmq_crash.events SET n = n + 1 WHERE id = ?");
            });
            Records.readUntil(Records.rocketmq(servers.rocketmq.namesrvAddress()), List.of("rmq_crash"), r -> r.size() >= rows / 2,
                    Duration.ofSeconds(120));
            first.kill();
            // what the killed task had stored, every queue read to its end: nothing more can come from it
            atKill = Records.readToEnd(Records.rocketmq(servers.rocketmq.namesrvAddress()), List.of("rmq_crash"), Duration.ofSeconds(60));
        } finally {
            first.close();
        }
        try (TaskProcess second = TaskProcess.start(servers.work, p, "rmq-task-2.log")) {
            writer.join();
            Set<String> seen = new HashSet<>();
            Records.readUntil(Records.rocketmq(servers.rocketmq.namesrvAddress()), List.of("rmq_crash"), r -> {
                seen.clear();
                seen.addAll(ids(r, "INSERT"));
                seen.addAll(ids(r, "UPDATE"));
                return seen.size() >= 2 * rows;
            }, Duration.ofSeconds(180));
            List<Received> all = Records.readToEnd(Records.rocketmq(servers.rocketmq.namesrvAddress()), List.of("rmq_crash"), Duration.ofSeconds(60));
            seen.clear();
            seen.addAll(ids(all, "INSERT"));
            seen.addAll(ids(all, "UPDATE"));
            long rowMessages = all.stream().filter(x -> !"DDL".equals(x.header("obsync-operation"))).count();
            // the restart's messages (not stored at the kill) that carry an id the killed task had already delivered
            Set<String> storedAtKill = new HashSet<>();
            atKill.forEach(r -> storedAtKill.add(r.partition() + "/" + r.offset()));
            Set<String> idsAtKill = new HashSet<>(ids(atKill, "INSERT"));
            idsAtKill.addAll(ids(atKill, "UPDATE"));
            long resent = all.stream().filter(r -> !storedAtKill.contains(r.partition() + "/" + r.offset()))
                    .filter(r -> !"DDL".equals(r.header("obsync-operation"))).filter(r -> idsAtKill.contains(r.header("obsync-event-id"))).count();
            System.out.printf("ROCKETMQ-CRASH-TEST changes=%d messages=%d distinct=%d duplicates=%d delivered-at-kill=%d resent-by-restart=%d%n",
                    2 * rows, rowMessages, seen.size(), rowMessages - seen.size(), idsAtKill.size(), resent);
            // the kill hit work in flight: the killed task had delivered part of the changes, not all
            assertThat(idsAtKill.size()).as("changes delivered when the task was killed").isBetween(rows / 2, 2 * rows - 1);
            assertThat(seen).hasSize(2 * rows);
            // every duplicate is the restart sending again what the killed task had delivered, at most the batch in flight,
            // each copy with its first copy's id
            assertThat(rowMessages - seen.size()).isEqualTo(resent).isLessThanOrEqualTo(256);
            assertOneIdPerChange(all);
        }
    }

}
