package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.obsync.it.Records.Received;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped routes between a real MariaDB binlog and a real Kafka broker, Hash partitioning, Default format. */
class KafkaPipelineIT {

    private static final List<String> TOPICS = List.of("Topic_it_types", "Topic_it_lines", "Topic_it_counter", "Topic_it_moves", "Topic_it_ddl_lines");
    private static Servers servers;
    private static Task task;

    @BeforeAll
    static void start() throws Exception {
        servers = Servers.start("pipeline");
        servers.kafka.createTopics(3, TOPICS.toArray(String[]::new));
        servers.db.execute(
                "CREATE DATABASE it",
                "CREATE TABLE it.types (id INT PRIMARY KEY, dec38 DECIMAL(38,10), dt DATETIME(6), ts TIMESTAMP(6) NULL, dt3 DATETIME(3), dt0 DATETIME,"
                        + " d DATE, t TIME(3), y YEAR, blb BLOB, vb VARBINARY(8), bits BIT(12), ubig BIGINT UNSIGNED,"
                        + " js JSON, txt VARCHAR(100) CHARACTER SET utf8mb4, nul VARCHAR(10) NULL, dbl DOUBLE)",
                "CREATE TABLE it.lines (order_id BIGINT, line_no INT, qty INT, PRIMARY KEY (order_id, line_no))",
                "CREATE TABLE it.counter (id INT PRIMARY KEY, n INT)",
                "CREATE TABLE it.moves (order_id BIGINT, line_no INT, qty INT, PRIMARY KEY (order_id, line_no))",
                "CREATE TABLE it.ddl_lines (order_id BIGINT, line_no INT, qty INT, PRIMARY KEY (order_id, line_no))");
        Map<String, String> p = Task.properties(servers, "pipeline-it");
        p.put("obsync.source.databases", "it");
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

    private static List<Received> await(Predicate<List<Received>> done) {
        return Records.readUntil(servers.kafka.bootstrapServers(), TOPICS, done, Duration.ofSeconds(60));
    }

    private static List<Received> rows(List<Received> all, String topic, String operation) {
        return all.stream().filter(r -> r.topic().equals(topic) && operation.equals(r.header("obsync-operation"))).toList();
    }

    private static int kafkaPartition(String key, int partitions) {
        // what Kafka's default partitioner computes for a keyed record
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Test
    void insertUpdateDeleteCarryExactValuesOfEveryType() throws Exception {
        servers.db.execute(
                "SET time_zone = '+00:00'",
                "INSERT INTO it.types VALUES (1, 12345678901234567890123456.0123456789, '2026-01-02 03:04:05.123456',"
                        + " '2026-01-02 03:04:05.654321', '2026-01-02 03:04:05.100', '2026-01-02 03:04:05', '2026-01-02', '-12:34:56.789', 2026, x'00FF10', x'CAFE',"
                        + " b'101000000011', 18446744073709551615, '{\"a\": [1, 2]}', 'grüße 🙂', NULL, 2.5)",
                "UPDATE it.types SET txt = 'changed', nul = 'set' WHERE id = 1",
                "DELETE FROM it.types WHERE id = 1");
        List<Received> all = await(r -> rows(r, "Topic_it_types", "DELETE").size() == 1);

        JsonNode insert = rows(all, "Topic_it_types", "INSERT").get(0).json();
        assertThat(insert.get("prevStruct").isNull()).isTrue();
        JsonNode row = insert.get("postStruct");
        assertThat(row.get("id").asInt()).isEqualTo(1);
        assertThat(row.get("dec38").textValue()).isEqualTo("12345678901234567890123456.0123456789");
        assertThat(row.get("dt").textValue()).isEqualTo("2026-01-02 03:04:05.123456");
        assertThat(row.get("ts").textValue()).isEqualTo("1767323045.654321");
        assertThat(row.get("d").textValue()).isEqualTo("2026-01-02");
        // fractional seconds as MySQL prints them: as many digits as the column declares
        assertThat(row.get("dt3").textValue()).isEqualTo("2026-01-02 03:04:05.100");
        assertThat(row.get("dt0").textValue()).isEqualTo("2026-01-02 03:04:05");
        assertThat(row.get("t").textValue()).isEqualTo("-12:34:56.789");
        assertThat(row.get("y").asInt()).isEqualTo(2026);
        assertThat(row.get("blb").textValue()).isEqualTo("AP8Q");
        assertThat(row.get("vb").textValue()).isEqualTo("yv4=");
        assertThat(row.get("bits").textValue()).isEqualTo("CgM=");
        assertThat(row.get("ubig").textValue()).isEqualTo("18446744073709551615");
        assertThat(row.get("js").textValue()).isEqualTo("{\"a\": [1, 2]}");
        assertThat(row.get("txt").textValue()).isEqualTo("grüße 🙂");
        assertThat(row.get("nul").isNull()).isTrue();
        assertThat(row.get("dbl").asDouble()).isEqualTo(2.5);

        JsonNode meta = insert.get("allMetaData");
        assertThat(insert.get("recordType").textValue()).isEqualTo("INSERT");
        assertThat(meta.get("db").textValue()).isEqualTo("t1.it");
        assertThat(meta.get("table_name").textValue()).isEqualTo("types");
        assertThat(meta.get("dbType").textValue()).isEqualTo("OB_MYSQL");
        assertThat(meta.get("record_primary_key").textValue()).isEqualTo("id");
        assertThat(meta.get("record_primary_value").textValue()).isEqualTo("1");
        assertThat(meta.get("clusterId").textValue()).isEqualTo("c1");
        assertThat(meta.get("source_identity").textValue()).isEqualTo("pipeline-it");
        assertThat(meta.get("checkpoint").textValue()).isEqualTo(meta.get("timestamp").textValue());
        long seconds = Long.parseLong(meta.get("timestamp").textValue());
        assertThat(meta.get("storeDataSequence").asLong() / 100_000L).isEqualTo(seconds);
        assertThat(meta.get("transId").textValue()).isEqualTo(meta.get("uniqueId").textValue()).startsWith("mariadb-bin.");

        JsonNode update = rows(all, "Topic_it_types", "UPDATE").get(0).json();
        assertThat(update.get("prevStruct").get("txt").textValue()).isEqualTo("grüße 🙂");
        assertThat(update.get("prevStruct").get("nul").isNull()).isTrue();
        assertThat(update.get("postStruct").get("txt").textValue()).isEqualTo("changed");
        assertThat(update.get("postStruct").get("nul").textValue()).isEqualTo("set");

        Received delete = rows(all, "Topic_it_types", "DELETE").get(0);
        assertThat(delete.json().get("postStruct").isNull()).isTrue();
        assertThat(delete.json().get("prevStruct").get("txt").textValue()).isEqualTo("changed");
        for (Received r : all.stream().filter(r -> r.topic().equals("Topic_it_types") && "1".equals(r.key())).toList()) {
            assertThat(r.partition()).isEqualTo(kafkaPartition("1", 3));
        }
    }

    @Test
    void multiRowTransactionWithCompositeKeysSharesOneTransactionId() throws Exception {
        servers.db.execute(
                "BEGIN",
                "INSERT INTO it.lines VALUES (7, 1, 10), (7, 2, 20)",
                "INSERT INTO it.lines VALUES (8, 1, 30)",
                "COMMIT");
        List<Received> all = await(r -> rows(r, "Topic_it_lines", "INSERT").size() >= 3);
        List<Received> inserts = rows(all, "Topic_it_lines", "INSERT");
        assertThat(inserts).extracting(Received::key).containsExactlyInAnyOrder("7\u00011", "7\u00012", "8\u00011");
        Set<String> transactions = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (Received r : inserts) {
            assertThat(r.partition()).isEqualTo(kafkaPartition(r.key(), 3));
            JsonNode meta = r.json().get("allMetaData");
            assertThat(meta.get("record_primary_key").textValue()).isEqualTo("order_id\u0001line_no");
            assertThat(meta.get("record_primary_value").textValue()).isEqualTo(r.key());
            transactions.add(meta.get("transId").textValue());
            ids.add(r.header("obsync-event-id"));
        }
        assertThat(transactions).hasSize(1);
        assertThat(ids).hasSize(3);
    }

    @Test
    void manyUpdatesOfOneKeyArriveInCommitOrder() throws Exception {
        List<String> statements = new ArrayList<>();
        statements.add("INSERT INTO it.counter VALUES (1, 0)");
        for (int i = 1; i <= 500; i++) {
            statements.add("UPDATE it.counter SET n = " + i + " WHERE id = 1");
        }
        servers.db.execute(statements.toArray(String[]::new));
        Predicate<Received> keyOne = r -> "1".equals(r.key()) && "UPDATE".equals(r.header("obsync-operation"));
        List<Received> all = await(r -> r.stream().filter(x -> x.topic().equals("Topic_it_counter")).filter(keyOne).count() >= 500);
        List<Received> updates = all.stream().filter(x -> x.topic().equals("Topic_it_counter")).filter(keyOne).toList();
        assertThat(updates).extracting(Received::partition).containsOnly(kafkaPartition("1", 3));
        List<Integer> seen = updates.stream().sorted(Comparator.comparingLong(Received::offset))
                .map(r -> r.json().get("postStruct").get("n").asInt()).toList();
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            expected.add(i);
        }
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void updateThatChangesTheKeyIsDeleteUnderOldKeyAndInsertUnderNewKey() throws Exception {
        servers.db.execute(
                "INSERT INTO it.moves VALUES (20, 1, 5)",
                "UPDATE it.moves SET order_id = 21 WHERE order_id = 20 AND line_no = 1");
        List<Received> all = await(r -> r.stream().anyMatch(x -> "21\u00011".equals(x.key())));
        List<Received> oldKey = all.stream().filter(r -> "20\u00011".equals(r.key()))
                .sorted(Comparator.comparingLong(Received::offset)).toList();
        Received moved = all.stream().filter(r -> "21\u00011".equals(r.key())).findFirst().orElseThrow();
        assertThat(oldKey).extracting(r -> r.header("obsync-operation")).containsExactly("INSERT", "DELETE");
        assertThat(oldKey).extracting(Received::partition).containsOnly(kafkaPartition("20\u00011", 3));
        assertThat(moved.header("obsync-operation")).isEqualTo("INSERT");
        assertThat(moved.partition()).isEqualTo(kafkaPartition("21\u00011", 3));
        assertThat(moved.json().get("postStruct").get("order_id").asLong()).isEqualTo(21);
        Received delete = oldKey.get(1);
        assertThat(delete.header("obsync-event-id")).endsWith(":key-moved-delete");
        assertThat(moved.header("obsync-event-id")).endsWith(":key-moved-insert")
                .startsWith(delete.header("obsync-event-id").replace(":key-moved-delete", ""));
    }

    @Test
    void ddlReachesEveryPartitionOfItsTableTopicInOrder() throws Exception {
        servers.db.execute(
                "INSERT INTO it.ddl_lines VALUES (30, 1, 1), (31, 1, 1), (32, 1, 1), (33, 1, 1)",
                "ALTER TABLE it.ddl_lines ADD COLUMN note VARCHAR(20) NULL",
                "INSERT INTO it.ddl_lines VALUES (30, 2, 1, 'after'), (31, 2, 1, 'after'), (32, 2, 1, 'after'), (33, 2, 1, 'after')");
        String ddl = "ALTER TABLE it.ddl_lines ADD COLUMN note VARCHAR(20) NULL";
        Predicate<Received> isAlter = r -> "DDL".equals(r.header("obsync-operation")) && r.value().contains("ADD COLUMN note");
        List<Received> all = await(r -> r.stream().filter(isAlter).count() == 3
                && r.stream().filter(x -> x.value() != null && x.value().contains("\"note\":\"after\"")).count() == 4);
        List<Received> alters = all.stream().filter(isAlter).toList();
        assertThat(alters).extracting(Received::partition).containsExactlyInAnyOrder(0, 1, 2);
        for (Received r : alters) {
            JsonNode json = r.json();
            assertThat(json.get("recordType").textValue()).isEqualTo("DDL");
            assertThat(json.get("postStruct").get("ddl").textValue()).isEqualTo(ddl);
            assertThat(json.get("allMetaData").get("ddlType").textValue()).isEqualTo("ALTER_TABLE");
            assertThat(r.topic()).isEqualTo("Topic_it_ddl_lines");
        }
        // in each partition, rows before the DDL come before it and rows after it come after it
        Map<Integer, Long> alterOffset = new HashMap<>();
        alters.forEach(r -> alterOffset.put(r.partition(), r.offset()));
        for (Received r : all) {
            if (!r.topic().equals("Topic_it_ddl_lines") || r.key() == null) {
                continue;
            }
            boolean after = r.key().endsWith("\u00012");
            assertThat(r.offset() > alterOffset.get(r.partition())).as("%s vs DDL", r).isEqualTo(after);
        }
    }

    @Test
    void ddlOfTablesOutsideTheSelectionIsNotSent() throws Exception {
        // issued with no default database, as a migration tool would: Debezium hands such DDL over for every database
        servers.db.execute(
                "CREATE DATABASE other",
                "CREATE TABLE other.unrelated (id INT PRIMARY KEY)",
                "ALTER TABLE other.unrelated ADD COLUMN c INT",
                "INSERT INTO it.counter VALUES (777, 1)");
        await(r -> r.stream().anyMatch(x -> "777".equals(x.key())));
        // every topic the broker holds, each partition to its end: the statements went to none of them
        List<Received> all = Records.readToEnd(servers.kafka.bootstrapServers(), Records.allTopics(servers.kafka.bootstrapServers()),
                Duration.ofSeconds(60));
        assertThat(all).anyMatch(r -> "777".equals(r.key()));
        assertThat(all).extracting(r -> r.header("obsync-database")).doesNotContain("other");
        assertThat(all).noneMatch(r -> r.value() != null && r.value().contains("other.unrelated"));
        assertThat(task.status.isFailed()).isFalse();
    }

    @Test
    void everyPartitionHoldsEventsInBinlogOrder() throws Exception {
        servers.db.execute("INSERT INTO it.counter VALUES (900, 1)", "UPDATE it.counter SET n = 2 WHERE id = 900");
        List<Received> all = await(r -> r.stream().anyMatch(x -> "900".equals(x.key()) && "UPDATE".equals(x.header("obsync-operation"))));
        Map<String, List<Received>> byPartition = new HashMap<>();
        all.forEach(r -> byPartition.computeIfAbsent(r.topic() + "-" + r.partition(), k -> new ArrayList<>()).add(r));
        for (List<Received> partition : byPartition.values()) {
            partition.sort(Comparator.comparingLong(Received::offset));
            for (int i = 1; i < partition.size(); i++) {
                assertThat(position(partition.get(i))).as("order in %s", partition.get(i))
                        .isGreaterThanOrEqualTo(position(partition.get(i - 1)));
            }
        }
    }

    /** (transaction start, event, row) from the event id, comparable within one binlog file. */
    private static long position(Received r) {
        String[] parts = r.header("obsync-event-id").split(":");
        return Long.parseLong(parts[1]) * 1_000_000L + Long.parseLong(parts[2]) * 1_000L + Long.parseLong(parts[3]);
    }
}
