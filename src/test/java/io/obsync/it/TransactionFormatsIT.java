package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.obsync.it.Records.Received;
import org.junit.jupiter.api.Test;

/**
 * Maxwell and SharePlex number rows within their transaction: through real MariaDB and Kafka, with
 * multi-table transactions, one bigger than the transaction buffer, in one task (Maxwell for the
 * task, SharePlex for one topic by override).
 */
class TransactionFormatsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rowsKnowTheirPlaceInTheirTransaction() throws Exception {
        try (Servers servers = Servers.start("transactions")) {
            servers.kafka.createTopics(1, "Topic_tx_orders", "Topic_tx_lines");
            servers.db.execute("CREATE DATABASE tx",
                    "CREATE TABLE tx.orders (id INT PRIMARY KEY, total DECIMAL(10,2))",
                    "CREATE TABLE tx.lines (order_id INT, line_no INT, qty INT, PRIMARY KEY (order_id, line_no))");
            Map<String, String> p = Task.properties(servers, "transactions-it");
            p.put("obsync.source.databases", "tx");
            p.put("obsync.format", "Maxwell");
            p.put("obsync.format.topics", "Topic_tx_lines=SHAREPLEX");
            p.put("obsync.format.shareplex.transaction-sequence", "true");
            p.put("obsync.source.transaction-buffer-changes", "6");
            p.put("obsync.heartbeat.interval-ms", "500");
            try (Task task = Task.start(p)) {
                try (Connection c = servers.db.connect(); Statement s = c.createStatement()) {
                    c.setAutoCommit(false);
                    // five row changes: order, three lines, the order's total
                    s.executeUpdate("INSERT INTO tx.orders VALUES (1, 0)");
                    s.executeUpdate("INSERT INTO tx.lines VALUES (1, 1, 5), (1, 2, 6), (1, 3, 7)");
                    s.executeUpdate("UPDATE tx.orders SET total = 18.00 WHERE id = 1");
                    c.commit();
                    // ten row changes, more than the buffer of six
                    for (int i = 2; i <= 10; i++) {
                        s.executeUpdate("INSERT INTO tx.orders VALUES (" + i + ", " + i + ")");
                    }
                    s.executeUpdate("DELETE FROM tx.orders WHERE id = 1");
                    c.commit();
                }
                List<Received> all = Records.settled(servers.kafka.bootstrapServers(), List.of("Topic_tx_orders", "Topic_tx_lines"),
                        r -> r.stream().anyMatch(x -> "DELETE".equals(x.header("obsync-operation"))), Duration.ofSeconds(60));
                List<JsonNode> orders = Records.inOrder(all, "Topic_tx_orders").stream().map(Received::json)
                        .filter(m -> m.has("xid")).toList();
                List<JsonNode> lines = Records.inOrder(all, "Topic_tx_lines").stream().map(Received::json)
                        .filter(m -> m.at("/meta/op").asText().equals("ins")).toList();

                // first transaction: Maxwell rows 0 and 4 of five, commit on the last; SharePlex rows 2..4 of 5
                assertThat(orders.subList(0, 2)).extracting(m -> m.get("xoffset").asInt()).containsExactly(0, 4);
                assertThat(orders.get(0).has("commit")).isFalse();
                assertThat(orders.get(1).get("commit").asBoolean()).isTrue();
                assertThat(orders.get(1).get("type").asText()).isEqualTo("update");
                assertThat(orders.get(1).at("/old/total").decimalValue()).isEqualByComparingTo("0");
                assertThat(orders.get(1).at("/data/total").decimalValue()).isEqualByComparingTo("18.00");
                assertThat(lines).extracting(m -> m.at("/meta/idx").asText()).containsExactly("2/5", "3/5", "4/5");
                assertThat(lines).extracting(m -> m.at("/meta/trans").asText()).containsOnly(lines.get(0).at("/meta/trans").asText());
                assertThat(orders.get(0).get("xid").asLong()).isEqualTo(orders.get(1).get("xid").asLong());

                // second transaction: larger than the buffer, yet complete, in order, and its last row says commit
                List<JsonNode> big = orders.subList(2, orders.size());
                assertThat(big).hasSize(10);
                assertThat(big).extracting(m -> m.get("xoffset").asInt()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
                assertThat(big).filteredOn(m -> m.has("commit")).hasSize(1);
                assertThat(big.get(9).get("commit").asBoolean()).isTrue();
                assertThat(big.get(9).get("type").asText()).isEqualTo("delete");
                assertThat(big.get(0).get("xid").asLong()).isGreaterThan(orders.get(0).get("xid").asLong());
                // Maxwell's Kafka key
                Received firstOrder = all.stream().filter(r -> r.topic().equals("Topic_tx_orders") && r.value().contains("\"xoffset\":0"))
                        .findFirst().orElseThrow();
                assertThat(JSON.readTree(firstOrder.key())).isEqualTo(JSON.readTree("{\"database\":\"tx\",\"table\":\"orders\",\"pk.id\":1}"));
                assertThat(task.status.isFailed()).isFalse();
            }
        }
    }

}
