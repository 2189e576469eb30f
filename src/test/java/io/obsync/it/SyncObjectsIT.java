package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.obsync.it.Records.Received;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The objects file through real MariaDB and Kafka: rules with wildcards, exclusions, row filters, columns, DML subset. */
class SyncObjectsIT {

    private static Servers servers;

    @BeforeAll
    static void start() throws Exception {
        servers = Servers.start("objects");
        servers.kafka.createTopics(1, "big_orders", "Topic_sel_line_a", "Topic_sel_line_b", "Topic_sel_line_tmp", "Topic_sel_other",
                "Topic_sel_orders", "Topic_bad_orders");
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    private static Path objects(String yaml) throws Exception {
        Path file = Files.createTempFile(servers.work, "objects", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void onlySelectedTablesRowsAndColumnsTravel() throws Exception {
        servers.db.execute("CREATE DATABASE sel",
                "CREATE TABLE sel.orders (id INT PRIMARY KEY, amount DECIMAL(10,2), status VARCHAR(10), note VARCHAR(20))",
                "CREATE TABLE sel.line_a (id INT PRIMARY KEY)",
                "CREATE TABLE sel.line_tmp (id INT PRIMARY KEY)",
                "CREATE TABLE sel.other (id INT PRIMARY KEY)");
        Map<String, String> p = Task.properties(servers, "objects-it");
        p.put("obsync.source.databases", "sel");
        p.put("obsync.dml", "INSERT,UPDATE");
        p.put("obsync.objects.file", objects("""
                include:
                  - table: sel.orders
                    topic: big_orders
                    filter: "amount > 100 AND `status` <> 'draft'"
                    columns: [id, amount, status]
                  - table: sel.line_*
                exclude:
                  - sel.line_tmp
                """).toString());
        try (Task task = Task.start(p)) {
            servers.db.execute(
                    "INSERT INTO sel.orders VALUES (1, 50, 'new', 'small')",
                    "INSERT INTO sel.orders VALUES (2, 500, 'paid', 'big')",
                    "INSERT INTO sel.orders VALUES (3, 500, 'draft', 'draft')",
                    "UPDATE sel.orders SET amount = 200 WHERE id = 1",
                    "UPDATE sel.orders SET amount = 10 WHERE id = 2",
                    "DELETE FROM sel.orders WHERE id = 2",
                    "INSERT INTO sel.line_a VALUES (1)",
                    "INSERT INTO sel.line_tmp VALUES (1)",
                    "INSERT INTO sel.other VALUES (1)",
                    // a table created while the task runs joins through its wildcard rule
                    "CREATE TABLE sel.line_b (id INT PRIMARY KEY)",
                    "INSERT INTO sel.line_b VALUES (7)");
            List<Received> all = Records.readUntil(servers.kafka.bootstrapServers(),
                    List.of("big_orders", "Topic_sel_line_a", "Topic_sel_line_b", "Topic_sel_line_tmp", "Topic_sel_other", "Topic_sel_orders"),
                    r -> r.stream().anyMatch(x -> x.topic().equals("Topic_sel_line_b") && "INSERT".equals(x.header("obsync-operation"))),
                    Duration.ofSeconds(60));
            List<Received> orders = Records.inOrder(all, "big_orders").stream().filter(r -> !"DDL".equals(r.header("obsync-operation"))).toList();
            // 1 and 3 fail the filter; 1's update enters it, 2's update leaves it (before matches); the delete is not synced
            assertThat(orders).extracting(r -> r.header("obsync-operation") + ":" + r.key())
                    .containsExactly("INSERT:2", "UPDATE:1", "UPDATE:2");
            for (Received r : orders) {
                JsonNode post = r.json().get("postStruct");
                assertThat(post.fieldNames()).toIterable().containsExactly("id", "amount", "status");
            }
            assertThat(orders.get(2).json().at("/prevStruct/amount").asText()).isEqualTo("500.00");
            assertThat(all).noneMatch(r -> "DELETE".equals(r.header("obsync-operation")));
            assertThat(Records.inOrder(all, "Topic_sel_line_a")).anyMatch(r -> "INSERT".equals(r.header("obsync-operation")));
            assertThat(Records.inOrder(all, "Topic_sel_line_b")).anyMatch(r -> "7".equals(r.key()));
            assertThat(Records.inOrder(all, "Topic_sel_line_tmp")).isEmpty();
            assertThat(Records.inOrder(all, "Topic_sel_other")).isEmpty();
            assertThat(Records.inOrder(all, "Topic_sel_orders")).isEmpty();
            assertThat(task.status.isFailed()).isFalse();
        }
    }

    @Test
    void aFilterOnAColumnTheTableLacksStopsTheTaskNamingIt() throws Exception {
        servers.db.execute("CREATE DATABASE bad", "CREATE TABLE bad.orders (id INT PRIMARY KEY, amount INT)");
        Map<String, String> p = Task.properties(servers, "objects-bad-it");
        p.put("obsync.source.databases", "bad");
        p.put("obsync.objects.file", objects("""
                include:
                  - table: bad.orders
                    filter: "price > 1"
                """).toString());
        try (Task task = Task.start(p)) {
            servers.db.execute("INSERT INTO bad.orders VALUES (1, 5)");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(task.status::isFailed);
            assertThat(task.status.getLastError()).contains("The row filter of bad.orders 'price > 1' names column 'price', which the table does not have");
        }
    }
}
