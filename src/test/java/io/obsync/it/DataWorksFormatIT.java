package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.obsync.it.Records.Received;
import org.junit.jupiter.api.Test;

/** DataWorks through real MariaDB and Kafka: rows, DDL, skipped TRUNCATE PARTITION, MHEARTBEAT, business system id. */
class DataWorksFormatIT {

    @Test
    void dataWorksRecordsForRowsDdlAndHeartbeats() throws Exception {
        try (Servers servers = Servers.start("dataworks")) {
            servers.kafka.createTopics(1, "Topic_dw_items", "dw_heartbeats");
            servers.db.execute("CREATE DATABASE dw",
                    "CREATE TABLE dw.items (id INT PRIMARY KEY, price DECIMAL(38,10), at DATETIME(3), photo VARBINARY(4), vip BIT(1))"
                            + " PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN (100), PARTITION p1 VALUES LESS THAN MAXVALUE)");
            Map<String, String> p = Task.properties(servers, "dataworks-it");
            p.put("obsync.source.databases", "dw");
            p.put("obsync.format", "dataworks_v2");
            p.put("obsync.format.business-system-id", "erp-7");
            p.put("obsync.format.time-zone", "+08:00");
            p.put("obsync.heartbeat.interval-ms", "500");
            p.put("obsync.heartbeat.topic", "dw_heartbeats");
            try (Task task = Task.start(p)) {
                servers.db.execute(
                        "INSERT INTO dw.items VALUES (1, 12345678901234567890.0123456789, '2026-11-21 08:00:00.250', X'01FF', b'1')",
                        "UPDATE dw.items SET price = 0.5 WHERE id = 1",
                        "ALTER TABLE dw.items TRUNCATE PARTITION p1",
                        "ALTER TABLE dw.items ADD COLUMN qty INT NULL",
                        "DELETE FROM dw.items WHERE id = 1");
                List<Received> all = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_dw_items", "dw_heartbeats"),
                        r -> r.stream().anyMatch(x -> "DELETE".equals(x.header("obsync-operation")))
                                && r.stream().anyMatch(x -> x.topic().equals("dw_heartbeats")), Duration.ofSeconds(60));
                List<JsonNode> items = Records.inOrder(all, "Topic_dw_items").stream().map(Received::json).toList();
                assertThat(items).extracting(m -> m.at("/payload/op").asText()).containsExactly("CREATE", "INSERT", "UPDATE_AFTER", "ALTER", "DELETE");

                // the TRUNCATE PARTITION between UPDATE and ALTER was skipped (logged and counted), not sent half-formed
                JsonNode insert = items.get(1);
                assertThat(insert.get("version").asText()).isEqualTo("1.0");
                assertThat(insert.at("/schema/primaryKey/0").asText()).isEqualTo("id");
                assertThat(insert.at("/schema/dataColumn").findValuesAsText("type")).containsExactly("LONG", "STRING", "DATE", "BYTES", "BOOLEAN");
                assertThat(insert.at("/schema/source/tableName").asText()).isEqualTo("items");
                assertThat(insert.at("/schema/source/businessSystemId").asText()).isEqualTo("erp-7");
                JsonNode after = insert.at("/payload/after/dataColumn");
                assertThat(after.get("price").asText()).isEqualTo("12345678901234567890.0123456789");
                // 08:00:00.250 on the wall clock of +08:00 is 00:00:00.250 UTC
                assertThat(after.get("at").asLong()).isEqualTo(java.time.Instant.parse("2026-11-21T00:00:00.250Z").toEpochMilli());
                assertThat(after.get("photo").asText()).isEqualTo("Af8=");
                assertThat(after.get("vip").asBoolean()).isTrue();
                assertThat(insert.at("/payload/before").isNull()).isTrue();

                JsonNode update = items.get(2);
                assertThat(update.at("/payload/before/dataColumn/price").asText()).isEqualTo("12345678901234567890.0123456789");
                assertThat(update.at("/payload/after/dataColumn/price").asText()).isEqualTo("0.5000000000");
                assertThat(items).extracting(m -> m.at("/payload/sequenceId").asLong()).isSorted();
                assertThat(items.get(3).at("/payload/ddl").asText()).contains("ADD COLUMN qty");
                assertThat(items.get(4).at("/payload/before/dataColumn").has("qty")).isTrue();

                assertThat(all).allSatisfy(r -> assertThat(r.header("obsync-business-system-id")).isEqualTo("erp-7"));
                JsonNode beat = all.stream().filter(r -> r.topic().equals("dw_heartbeats")).map(Received::json).findFirst().orElseThrow();
                assertThat(beat.at("/payload/op").asText()).isEqualTo("MHEARTBEAT");
                assertThat(task.status.isFailed()).isFalse();
            }
        }
    }

}
