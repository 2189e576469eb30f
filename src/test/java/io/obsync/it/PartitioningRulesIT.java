package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.obsync.it.Records.Received;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Table and One partitioning rules, named topic mapping and heartbeats, against a real broker. */
class PartitioningRulesIT {

    private static Servers servers;

    @BeforeAll
    static void start() throws Exception {
        servers = Servers.start("rules");
        servers.kafka.createTopics(4, "by_table", "all_in_one", "obsync_heartbeats");
        servers.db.execute(
                "CREATE DATABASE rules",
                "CREATE TABLE rules.a (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE rules.b (id INT PRIMARY KEY, v INT)");
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    private static Map<String, String> task(String name, String rule, String topic) {
        Map<String, String> p = Task.properties(servers, name);
        p.put("obsync.source.databases", "rules");
        p.put("obsync.kafka.partitioning", rule);
        p.put("obsync.topic.mapping", "rules.a=" + topic + ",rules.b=" + topic);
        return p;
    }

    private static List<Received> rows(List<Received> all, String table) {
        return all.stream().filter(r -> table.equals(r.header("obsync-table")) && !"DDL".equals(r.header("obsync-operation"))).toList();
    }

    @Test
    void tableRuleKeepsEachTableInTheHashOfItsName() throws Exception {
        try (Task task = Task.start(task("rules-table", "table", "by_table"))) {
            for (int i = 1; i <= 20; i++) {
                servers.db.execute("INSERT INTO rules.a VALUES (" + i + ", 0)", "INSERT INTO rules.b VALUES (" + i + ", 0)");
            }
            List<Received> all = Records.settled(servers.kafka.bootstrapServers(), List.of("by_table"),
                    r -> rows(r, "a").size() >= 20 && rows(r, "b").size() >= 20, Duration.ofSeconds(60));
            int a = Utils.toPositive(Utils.murmur2("rules.a".getBytes(StandardCharsets.UTF_8))) % 4;
            int b = Utils.toPositive(Utils.murmur2("rules.b".getBytes(StandardCharsets.UTF_8))) % 4;
            assertThat(rows(all, "a")).extracting(Received::partition).containsOnly(a);
            assertThat(rows(all, "b")).extracting(Received::partition).containsOnly(b);
            // the record key is still the row's key, for consumers that look
            assertThat(rows(all, "a")).extracting(Received::key).contains("1", "20");
            assertThat(task.status.isFailed()).isFalse();
        }
    }

    @Test
    void oneRulePutsEverythingInTheChosenPartitionInCommitOrder() throws Exception {
        Map<String, String> p = task("rules-one", "one", "all_in_one");
        p.put("obsync.kafka.partition", "2");
        try (Task task = Task.start(p)) {
            servers.db.execute("INSERT INTO rules.a VALUES (101, 0)", "INSERT INTO rules.b VALUES (101, 0)",
                    "BEGIN", "UPDATE rules.a SET v = 1 WHERE id = 101", "UPDATE rules.b SET v = 1 WHERE id = 101", "COMMIT",
                    "UPDATE rules.a SET v = 2 WHERE id = 101", "ALTER TABLE rules.b ADD COLUMN w INT NULL",
                    "UPDATE rules.b SET v = 2, w = 9 WHERE id = 101");
            List<Received> all = Records.settled(servers.kafka.bootstrapServers(), List.of("all_in_one"),
                    r -> r.stream().anyMatch(x -> x.value().contains("\"w\":9")), Duration.ofSeconds(60));
            assertThat(all).extracting(Received::partition).containsOnly(2);
            List<String> updates = all.stream().filter(r -> "UPDATE".equals(r.header("obsync-operation")) || "DDL".equals(r.header("obsync-operation")))
                    .filter(r -> !r.value().contains("CREATE TABLE"))
                    .map(r -> r.header("obsync-table") + ":" + r.header("obsync-operation")).toList();
            assertThat(updates).containsSubsequence("a:UPDATE", "b:UPDATE", "a:UPDATE", "b:DDL", "b:UPDATE");
            List<String> ids = all.stream().filter(r -> r.key() != null && r.key().equals("101")).map(r -> r.header("obsync-operation")).toList();
            assertThat(ids).containsExactly("INSERT", "INSERT", "UPDATE", "UPDATE", "UPDATE", "UPDATE");
            // a DDL under the One rule is one message, not one per partition
            assertThat(all.stream().filter(r -> r.value().contains("ADD COLUMN w")).count()).isEqualTo(1);
        }
    }

    @Test
    void heartbeatsReachTheirTopicWhenOneIsSet() throws Exception {
        Map<String, String> p = task("rules-heartbeat", "hash", "by_table");
        p.put("obsync.heartbeat.interval-ms", "500");
        p.put("obsync.heartbeat.topic", "obsync_heartbeats");
        try (Task task = Task.start(p)) {
            // heartbeats follow the source's progress; keep a little traffic going
            servers.db.execute("INSERT INTO rules.a VALUES (202, 0)");
            for (int i = 0; i < 10; i++) {
                servers.db.execute("UPDATE rules.a SET v = v + 1 WHERE id = 202");
                Thread.sleep(300);
            }
            List<Received> beats = Records.readUntil(servers.kafka.bootstrapServers(), List.of("obsync_heartbeats"),
                    r -> r.size() >= 4, Duration.ofSeconds(60));
            Received beat = beats.get(0);
            assertThat(beat.header("obsync-operation")).isEqualTo("HEARTBEAT");
            JsonNode json = beat.json();
            assertThat(json.get("recordType").textValue()).isEqualTo("HEARTBEAT");
            assertThat(json.get("prevStruct").isNull()).isTrue();
            assertThat(json.get("postStruct").isNull()).isTrue();
            assertThat(json.get("allMetaData").get("dbType").textValue()).isEqualTo("OB_MYSQL");
            // under the Hash rule a heartbeat goes to every partition, so every consumer sees progress
            assertThat(beats).extracting(Received::partition).contains(0, 1, 2, 3);
        }
    }
}
