package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import io.obsync.it.Records.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A RocketMQ name server and broker as processes, Kafka and MariaDB, the shipped routes. */
class RocketMqPipelineIT {

    private static final int QUEUES = 4;
    private static Servers servers;
    private static Task task;

    @BeforeAll
    static void start() throws Exception {
        servers = Servers.startWithRocketMq("rocketmq");
        servers.rocketmq.createTopics(QUEUES, "rmq_orders", "rmq_ddl");
        servers.kafka.createTopics(3, "kafka_audit");
        servers.db.execute(
                "CREATE DATABASE rmq",
                "CREATE TABLE rmq.orders (id INT PRIMARY KEY, n INT NOT NULL)",
                "CREATE TABLE rmq.audit (id INT PRIMARY KEY, note VARCHAR(32))",
                "CREATE TABLE rmq.ddl_t (id INT PRIMARY KEY, v INT)");
        Map<String, String> p = Task.properties(servers, "rocketmq-it");
        p.put("obsync.source.databases", "rmq");
        p.put("obsync.topic.mapping", "rmq.orders=rocketmq:rmq_orders,rmq.audit=kafka:kafka_audit,rmq.ddl_t=rocketmq:rmq_ddl");
        p.put("obsync.rocketmq.namesrv", servers.rocketmq.namesrvAddress());
        task = Task.start(p);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (task != null) {
                task.close();
            }
        } finally {
            if (servers != null) {
                servers.close();
            }
        }
    }

    private static List<Received> rocketmq(List<String> topics, Predicate<List<Received>> done) {
        return Records.readUntil(Records.rocketmq(servers.rocketmq.namesrvAddress()), topics, done, Duration.ofSeconds(90));
    }

    private static boolean isRow(Received r) {
        return !"DDL".equals(r.header("obsync-operation"));
    }

    /** RocketMQ's SelectMessageQueueByHash, recomputed: the index of the queue in the topic's queue list. */
    private static int queueOf(String key) {
        int value = key.hashCode() % QUEUES;
        return value < 0 ? Math.abs(value) : value;
    }

    @Test
    void eachTableGoesToItsTargetSystem() throws Exception {
        for (int i = 1; i <= 10; i++) {
            servers.db.execute("INSERT INTO rmq.orders VALUES (" + i + ", 0)", "INSERT INTO rmq.audit VALUES (" + i + ", 'seen')");
        }
        List<Received> orders = rocketmq(List.of("rmq_orders"), r -> r.stream().filter(x -> isRow(x) && x.key().matches("\\d|10")).count() >= 10);
        List<Received> audit = Records.readUntil(servers.kafka.bootstrapServers(), List.of("kafka_audit"),
                r -> r.stream().filter(RocketMqPipelineIT::isRow).count() >= 10, Duration.ofSeconds(60));
        assertThat(orders).filteredOn(RocketMqPipelineIT::isRow).extracting(r -> r.header("obsync-table")).containsOnly("orders");
        assertThat(audit).filteredOn(RocketMqPipelineIT::isRow).extracting(r -> r.header("obsync-table")).containsOnly("audit");
        Received first = orders.stream().filter(x -> "1".equals(x.key()) && isRow(x)).findFirst().orElseThrow();
        assertThat(first.json().get("postStruct").get("id").asInt()).isEqualTo(1);
        assertThat(first.json().get("allMetaData").get("db").textValue()).isEqualTo("t1.rmq");
        assertThat(first.header("obsync-event-id")).startsWith("mariadb-bin.");
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    void everyAcknowledgedChangeIsInItsQueueReadToTheEnd() throws Exception {
        // four writers commit 2,000 single-row transactions at once; once the task says every one is acknowledged, each
        // queue read from its start to its end offset holds every one of them, once
        int rows = 2000;
        long before = task.status.getRowChangesAcknowledged();
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int first = 1000 + w;
            writers.add(CompletableFuture.runAsync(() -> {
                try (java.sql.Connection c = servers.db.connect(); java.sql.Statement s = c.createStatement()) {
                    for (int id = first; id < 1000 + rows; id += 4) {
                        s.executeUpdate("INSERT INTO rmq.orders VALUES (" + id + ", 0)");
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        writers.forEach(CompletableFuture::join);
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2))
                .until(() -> task.status.getRowChangesAcknowledged() - before >= rows);
        List<Received> all = Records.readToEnd(Records.rocketmq(servers.rocketmq.namesrvAddress()), List.of("rmq_orders"), Duration.ofMinutes(2));
        java.util.Set<Integer> ids = new java.util.TreeSet<>();
        int messages = 0;
        for (Received r : all) {
            if ("INSERT".equals(r.header("obsync-operation")) && r.key().matches("\\d{4}")) {
                int id = Integer.parseInt(r.key());
                assertThat(r.partition()).as("queue of key %s", r.key()).isEqualTo(queueOf(r.key()));
                ids.add(id);
                messages++;
            }
        }
        assertThat(messages).as("messages of the 2,000 rows (no failure happened, so none twice)").isEqualTo(rows);
        assertThat(ids).hasSize(rows).first().isEqualTo(1000);
        assertThat(ids).last().isEqualTo(1000 + rows - 1);
    }

    @Test
    void queueIsRocketMqsHashOfTheShardingValue() throws Exception {
        for (int i = 100; i < 140; i++) {
            servers.db.execute("INSERT INTO rmq.orders VALUES (" + i + ", 0)");
        }
        List<Received> all = rocketmq(List.of("rmq_orders"), r -> r.stream().filter(x -> isRow(x) && x.key().matches("1[0-3]\\d")).count() >= 40);
        List<Received> rows = all.stream().filter(x -> isRow(x) && x.key().matches("1[0-3]\\d")).toList();
        // 40 keys spread over every queue
        assertThat(rows.stream().map(Received::partition).distinct().sorted().toList()).containsExactly(0, 1, 2, 3);
        for (Received r : rows) {
            assertThat(r.partition()).as("queue of key %s", r.key()).isEqualTo(queueOf(r.key()));
        }
    }

    @Test
    void changesOfOneKeyArriveInCommitOrderWhileOtherKeysAreWrittenConcurrently() throws Exception {
        int keys = 12;
        int updates = 25;
        for (int k = 0; k < keys; k++) {
            servers.db.execute("INSERT INTO rmq.orders VALUES (" + (300 + k) + ", 0)");
        }
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int writer = w;
            writers.add(CompletableFuture.runAsync(() -> {
                try {
                    for (int n = 1; n <= updates; n++) {
                        for (int k = writer; k < keys; k += 3) {
                            servers.db.execute("UPDATE rmq.orders SET n = " + n + " WHERE id = " + (300 + k));
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        writers.forEach(CompletableFuture::join);
        Predicate<Received> counted = x -> "UPDATE".equals(x.header("obsync-operation")) && x.key().matches("3(0\\d|1[01])");
        List<Received> all = rocketmq(List.of("rmq_orders"), r -> r.stream().filter(counted).count() >= (long) keys * updates);
        Map<String, List<Integer>> perKey = new HashMap<>();
        all.stream().filter(counted).sorted(Comparator.comparingLong(Received::offset))
                .forEach(r -> perKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.json().get("postStruct").get("n").asInt()));
        assertThat(perKey).hasSize(keys);
        List<Integer> expected = new ArrayList<>();
        for (int n = 1; n <= updates; n++) {
            expected.add(n);
        }
        perKey.forEach((key, values) -> assertThat(values).as("key %s", key).isEqualTo(expected));
    }

    @Test
    void ddlReachesEveryQueueOfItsTopicInOrder() throws Exception {
        servers.db.execute(
                "INSERT INTO rmq.ddl_t VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0)",
                "ALTER TABLE rmq.ddl_t ADD COLUMN note VARCHAR(16) NULL",
                "INSERT INTO rmq.ddl_t VALUES (11, 0, 'after'), (12, 0, 'after'), (13, 0, 'after'), (14, 0, 'after'),"
                        + " (15, 0, 'after'), (16, 0, 'after'), (17, 0, 'after'), (18, 0, 'after')");
        Predicate<Received> isAlter = r -> !isRow(r) && r.value().contains("ADD COLUMN note");
        List<Received> all = rocketmq(List.of("rmq_ddl"), r -> r.stream().filter(isAlter).count() == QUEUES
                && r.stream().filter(x -> x.value().contains("\"note\":\"after\"")).count() == 8);
        List<Received> alters = all.stream().filter(isAlter).toList();
        assertThat(alters).extracting(Received::partition).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(alters.get(0).json().get("allMetaData").get("ddlType").textValue()).isEqualTo("ALTER_TABLE");
        Map<Integer, Long> alterOffset = new HashMap<>();
        alters.forEach(r -> alterOffset.put(r.partition(), r.offset()));
        for (Received r : all.stream().filter(RocketMqPipelineIT::isRow).toList()) {
            boolean after = Integer.parseInt(r.key()) > 10;
            assertThat(r.offset() > alterOffset.get(r.partition())).as("%s vs DDL", r).isEqualTo(after);
        }
    }

    @Test
    void precheckFindsEveryRocketMqTopicOfTheTablesAndNamesTheMissingOnes() {
        Map<String, String> config = Task.properties(servers, "rocketmq-precheck");
        config.put("obsync.source.databases", "rmq");
        config.put("obsync.rocketmq.namesrv", servers.rocketmq.namesrvAddress());
        config.put("obsync.topic.mapping", "rmq.orders=rocketmq:rmq_orders,rmq.audit=kafka:kafka_audit,rmq.ddl_t=rocketmq:rmq_ddl");
        java.util.List<io.obsync.precheck.Precheck.Item> items = io.obsync.precheck.Precheck.run(config::get, java.util.Set.of());
        assertThat(items).contains(new io.obsync.precheck.Precheck.Item("rocketmq-topics", io.obsync.precheck.Precheck.Status.PASS,
                "topics exist: [rmq_ddl, rmq_orders]"));
        // a table whose RocketMQ topic was never created
        config.put("obsync.topic.mapping", "rmq.orders=rocketmq:rmq_orders,rmq.audit=rocketmq:rmq_absent,rmq.ddl_t=rocketmq:rmq_ddl");
        items = io.obsync.precheck.Precheck.run(config::get, java.util.Set.of());
        assertThat(items).contains(new io.obsync.precheck.Precheck.Item("rocketmq-topics", io.obsync.precheck.Precheck.Status.FAIL,
                "missing [rmq_absent] (RocketMQ topics are never created): create each as a partition-ordered topic, e.g. mqadmin updateTopic -n "
                        + servers.rocketmq.namesrvAddress() + " -c <cluster> -t <topic> -o true"));
    }
}
