package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.obsync.it.Records.Received;
import io.obsync.sink.Placement;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Schema synchronization: missing Kafka topics are created before their first message, with the configured shape. */
class SchemaSyncIT {

    /** tm.a's topic to create by its own rule; tm.b's named topic takes the task's method. */
    private static final String CREATE_AND_NAMED = """
            include:
              - table: tm.a
                topic: created_a
                topic-method: create
              - table: tm.b
                topic: created_b
            """;

    @Test
    void tablesCreatedWhileRunningGetTheirTopicsWithoutAFailedSendOrADuplicate() throws Exception {
        try (Servers servers = Servers.start("schema-sync-new")) {
            servers.db.execute("CREATE DATABASE fresh");
            Map<String, String> p = Task.properties(servers, "schema-sync-new-it");
            p.put("obsync.source.databases", "fresh");
            p.put("obsync.schema-sync.partitions", "4");
            try (Task task = Task.start(p)) {
                List<String> topics = new java.util.ArrayList<>();
                for (int t = 1; t <= 8; t++) {
                    // each new table's first changes arrive right after its topic is created
                    servers.db.execute("CREATE TABLE fresh.t" + t + " (id INT PRIMARY KEY)");
                    servers.forIds(1, 40, "INSERT INTO fresh.t" + t + " VALUES (?)");
                    topics.add("Topic_fresh_t" + t);
                }
                try (Admin admin = admin(servers)) {
                    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> admin.listTopics().names().get().containsAll(topics));
                }
                List<Received> rows = Records.readUntil(servers.kafka.bootstrapServers(), topics,
                        r -> r.stream().filter(x -> x.key() != null).count() >= 8 * 40, Duration.ofSeconds(90)).stream()
                        .filter(x -> x.key() != null).toList();
                assertThat(rows).hasSize(8 * 40);
                assertThat(rows.stream().map(x -> x.header("obsync-event-id")).distinct().count()).isEqualTo(8 * 40);
                assertThat(task.status.getFailedSends()).as("sends that failed on a new topic").isZero();
                assertThat(task.status.getResends()).isZero();
            }
        }
    }

    @Test
    void missingTopicsAreCreatedWithTheConfiguredPartitionsOrReportedWhenOff() throws Exception {
        try (Servers servers = Servers.start("schema-sync")) {
            servers.db.execute("CREATE DATABASE ss", "CREATE TABLE ss.t (id INT PRIMARY KEY)");
            Map<String, String> p = Task.properties(servers, "schema-sync-it");
            p.put("obsync.source.databases", "ss");
            p.put("obsync.schema-sync.partitions", "5");
            try (Task task = Task.start(p)) {
                servers.db.execute("INSERT INTO ss.t VALUES (1)", "INSERT INTO ss.t VALUES (2)", "INSERT INTO ss.t VALUES (3)");
                try (Admin admin = admin(servers)) {
                    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> admin.listTopics().names().get().contains("Topic_ss_t"));
                }
                List<Received> all = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_ss_t"),
                        r -> r.stream().filter(x -> x.key() != null).count() >= 3, Duration.ofSeconds(60));
                try (Admin admin = admin(servers)) {
                    assertThat(admin.describeTopics(List.of("Topic_ss_t")).allTopicNames().get().get("Topic_ss_t").partitions()).hasSize(5);
                }
                // the partition of each key is the hash over the created topic's five partitions
                assertThat(all).filteredOn(r -> r.key() != null)
                        .allSatisfy(r -> assertThat(r.partition()).isEqualTo(Placement.kafkaPartition(r.key(), 5)));
                assertThat(task.status.isFailed()).isFalse();
            }

            servers.db.execute("CREATE TABLE ss.u (id INT PRIMARY KEY)", "INSERT INTO ss.u VALUES (1)");
            Map<String, String> off = Task.properties(servers, "schema-sync-off-it");
            off.put("obsync.source.databases", "ss");
            off.put("obsync.schema-sync.enabled", "false");
            off.put("obsync.topic.pattern", "off_${Table Name}");
            try (Task task = Task.start(off)) {
                // nothing is lost: the sends fail with the fix and are retried until the topic exists
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> task.status.getLastError() != null);
                assertThat(task.status.getLastError()).containsPattern("Kafka topic 'off_[tu]' does not exist").contains("create it");
                try (Admin admin = admin(servers)) {
                    assertThat(admin.listTopics().names().get()).doesNotContain("off_t", "off_u");
                }
                servers.kafka.createTopics(1, "off_t", "off_u");
                Records.readUntil(servers.kafka.bootstrapServers(), List.of("off_u"),
                        r -> r.stream().anyMatch(x -> "1".equals(x.key())), Duration.ofSeconds(60));
            }
        }
    }

    @Test
    void mappingMethodsCreateAtStartRefuseMissingExistingTopicsAndConflicts() throws Exception {
        try (Servers servers = Servers.start("topic-methods")) {
            servers.db.execute("CREATE DATABASE tm", "CREATE TABLE tm.a (id INT PRIMARY KEY)", "CREATE TABLE tm.b (id INT PRIMARY KEY)");
            java.nio.file.Path objects = servers.work.resolve("objects.yaml");
            java.nio.file.Files.writeString(objects, CREATE_AND_NAMED);
            Map<String, String> p = Task.properties(servers, "topic-methods-it");
            p.put("obsync.source.databases", "tm");
            p.put("obsync.objects.file", objects.toString());
            p.put("obsync.topic.mapping-method", "create");
            try (Task task = Task.start(p); Admin admin = admin(servers)) {
                // created when the task started, before any change was made
                assertThat(admin.listTopics().names().get()).contains("created_a", "created_b");
                assertThat(admin.describeTopics(List.of("created_a")).allTopicNames().get().get("created_a").partitions()).hasSize(3);
                servers.db.execute("INSERT INTO tm.a VALUES (1)");
                Records.readUntil(servers.kafka.bootstrapServers(), List.of("created_a"), r -> r.stream().anyMatch(x -> "1".equals(x.key())),
                        Duration.ofSeconds(60));
            }

            // an existing topic that is missing is never created: the send error names it and the fix
            java.nio.file.Files.writeString(objects, """
                    include:
                      - table: tm.b
                        topic: absent_b
                    """);
            Map<String, String> existing = Task.properties(servers, "topic-existing-it");
            existing.put("obsync.source.databases", "tm");
            existing.put("obsync.objects.file", objects.toString());
            try (Task task = Task.start(existing); Admin admin = admin(servers)) {
                servers.db.execute("INSERT INTO tm.b VALUES (1)");
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> task.status.getLastError() != null);
                assertThat(task.status.getLastError()).contains("Kafka topic 'absent_b' does not exist")
                        .contains("is mapped as an existing topic: create it");
                assertThat(admin.listTopics().names().get()).doesNotContain("absent_b");
            }

            // create and existing in one task with schema sync on: refused at start-up
            java.nio.file.Files.writeString(objects, CREATE_AND_NAMED);
            Map<String, String> mixed = Task.properties(servers, "topic-mixed-it");
            mixed.put("obsync.source.databases", "tm");
            mixed.put("obsync.objects.file", objects.toString());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Task.start(mixed).close()).hasStackTraceContaining(
                    "Option conflict: topics [created_a] are mapped with the create method and [created_b] with the existing method while "
                            + "schema sync is on");
        }
    }

    private static Admin admin(Servers servers) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafka.bootstrapServers());
        return Admin.create(config);
    }
}
