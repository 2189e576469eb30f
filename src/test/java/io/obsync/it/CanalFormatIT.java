package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.alibaba.otter.canal.protocol.FlatMessage;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.obsync.it.Records.Received;
import org.junit.jupiter.api.Test;

/** The Canal format through real MariaDB and Kafka, every message read with Canal's own FlatMessage. */
class CanalFormatIT {

    private static final ObjectMapper CANAL = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    @Test
    void canalConsumersReadEveryOperation() throws Exception {
        try (Servers servers = Servers.start("canal")) {
            servers.kafka.createTopics(3, "Topic_fmt_items");
            servers.db.execute("CREATE DATABASE fmt",
                    "CREATE TABLE fmt.items (id INT PRIMARY KEY, price DECIMAL(10,2), note VARCHAR(20), at DATETIME(3))");
            Map<String, String> p = Task.properties(servers, "canal-it");
            p.put("obsync.source.databases", "fmt");
            // the wire name, as OceanBase's tooling spells it
            p.put("obsync.format", "CANAL");
            try (Task task = Task.start(p)) {
                servers.db.execute(
                        "INSERT INTO fmt.items VALUES (1, 9.90, 'new', '2026-11-21 10:00:00.5')",
                        "UPDATE fmt.items SET note = 'sold' WHERE id = 1",
                        "ALTER TABLE fmt.items ADD COLUMN qty INT NULL",
                        "DELETE FROM fmt.items WHERE id = 1");
                List<Received> all = Records.settled(servers.kafka.bootstrapServers(), List.of("Topic_fmt_items"),
                        r -> r.stream().anyMatch(x -> "DELETE".equals(x.header("obsync-operation"))), Duration.ofSeconds(60));
                List<FlatMessage> rows = all.stream().filter(r -> "1".equals(r.key()))
                        .sorted(Comparator.comparingLong(Received::offset)).map(CanalFormatIT::read).toList();
                assertThat(rows).extracting(FlatMessage::getType).containsExactly("INSERT", "UPDATE", "DELETE");

                FlatMessage insert = rows.get(0);
                assertThat(insert.getDatabase()).isEqualTo("fmt");
                assertThat(insert.getTable()).isEqualTo("items");
                assertThat(insert.getPkNames()).containsExactly("id");
                assertThat(insert.getIsDdl()).isFalse();
                assertThat(insert.getData().get(0)).containsEntry("id", "1").containsEntry("price", "9.90")
                        .containsEntry("note", "new").containsEntry("at", "2026-11-21 10:00:00.500");
                assertThat(insert.getMysqlType()).containsEntry("price", "decimal(10,2)").containsEntry("at", "datetime(3)");
                assertThat(insert.getOld()).isNull();

                FlatMessage update = rows.get(1);
                assertThat(update.getData().get(0)).containsEntry("note", "sold");
                assertThat(update.getOld().get(0)).containsOnly(Map.entry("note", "new"));

                FlatMessage delete = rows.get(2);
                assertThat(delete.getData().get(0)).containsEntry("note", "sold").containsKey("qty");

                List<FlatMessage> alters = all.stream().filter(r -> "DDL".equals(r.header("obsync-operation")))
                        .map(CanalFormatIT::read).filter(m -> m.getSql().contains("ADD COLUMN qty")).toList();
                assertThat(alters).hasSize(3).allSatisfy(m -> {
                    assertThat(m.getIsDdl()).isTrue();
                    assertThat(m.getType()).isEqualTo("ALTER");
                    assertThat(m.getData()).isNull();
                });
                assertThat(task.status.isFailed()).isFalse();
            }
        }
    }

    private static FlatMessage read(Received r) {
        try {
            return CANAL.readValue(r.value(), FlatMessage.class);
        } catch (Exception e) {
            throw new AssertionError("Canal's FlatMessage cannot read " + r.value(), e);
        }
    }
}
