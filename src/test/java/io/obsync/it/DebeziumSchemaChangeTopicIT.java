package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.obsync.it.Records.Received;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/** The Debezium family's schema-change topic: DDL in one topic named after the task, the tables' topics row changes only. */
class DebeziumSchemaChangeTopicIT {

    @Test
    void ddlGoesToTheTasksSchemaChangeTopicAndTablesKeepRowChangesOnly() throws Exception {
        try (Servers servers = Servers.start("schema-topic")) {
            servers.db.execute("CREATE DATABASE sc", "CREATE TABLE sc.items (id INT PRIMARY KEY, note VARCHAR(20))");
            Map<String, String> p = Task.properties(servers, "sctask");
            p.put("obsync.source.databases", "sc");
            p.put("obsync.format", "Debezium");
            p.put("obsync.format.debezium.schema-change-topic", "true");
            try (Task task = Task.start(p)) {
                servers.db.execute("INSERT INTO sc.items VALUES (1, 'a')", "ALTER TABLE sc.items ADD COLUMN qty INT",
                        "INSERT INTO sc.items VALUES (2, 'b', 5)", "TRUNCATE TABLE sc.items", "INSERT INTO sc.items VALUES (3, 'c', 6)");
                List<Received> rows = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_sc_items"),
                        r -> r.stream().anyMatch(x -> "3".equals(keyId(x))), Duration.ofSeconds(90));
                assertThat(rows).extracting(x -> x.header("obsync-operation")).containsOnly("INSERT");
                List<Received> ddl = Records.readUntil(servers.kafka.bootstrapServers(), List.of("sctask"),
                        r -> r.stream().anyMatch(x -> x.value().contains("TRUNCATE")), Duration.ofSeconds(60));
                // the CREATE (the sandbox reads from the oldest binlog), the ALTER and the TRUNCATE, in binlog order, in one partition
                assertThat(ddl).extracting(x -> x.header("obsync-operation")).containsOnly("DDL");
                assertThat(ddl).extracting(Received::partition).containsOnly(0);
                List<String> statements = ddl.stream().map(x -> x.json().path("payload").path("ddl").asText()).toList();
                assertThat(statements).hasSize(3);
                assertThat(statements.get(0)).startsWith("CREATE TABLE");
                assertThat(statements.get(1)).startsWith("ALTER TABLE");
                assertThat(statements.get(2)).startsWith("TRUNCATE");
                assertThat(ddl.get(1).json().path("payload").path("databaseName").asText()).isEqualTo("sc");
                assertThat(ddl.get(1).key()).contains("\"databaseName\":\"sc\"");
                try (Admin admin = servers.kafka.admin()) {
                    assertThat(admin.describeTopics(List.of("sctask")).allTopicNames().get().get("sctask").partitions()).hasSize(1);
                }
                assertThat(task.status.isFailed()).isFalse();
            }
        }
    }

    private static String keyId(Received r) {
        return r.key() == null ? null : r.json().isNull() ? null : r.key().replaceAll(".*\"id\":(\\d+).*", "$1");
    }
}
