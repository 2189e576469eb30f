package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            List<Received> all = Records.settled(servers.kafka.bootstrapServers(),
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
    void ddlIsOffByDefaultAndWhenOnEveryKindOfTheListArrivesTruncateIncluded() throws Exception {
        servers.db.execute("CREATE DATABASE ddl", "CREATE TABLE ddl.t (id INT PRIMARY KEY, v INT)");
        String[] statements = {
            "INSERT INTO ddl.t VALUES (1, 1)",
            "ALTER TABLE ddl.t ADD COLUMN w INT NULL",
            "CREATE INDEX ix_v ON ddl.t (v)",
            "DROP INDEX ix_v ON ddl.t",
            "TRUNCATE TABLE ddl.t",
            "CREATE TABLE ddl.p (id INT PRIMARY KEY) PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN MAXVALUE)",
            "ALTER TABLE ddl.p TRUNCATE PARTITION p1",
            "RENAME TABLE ddl.p TO ddl.p2",
            "DROP TABLE ddl.p2",
            "INSERT INTO ddl.t VALUES (2, 2, 2)"};
        servers.db.execute(statements);
        for (boolean on : new boolean[] {false, true}) {
            Map<String, String> p = Task.properties(servers, "ddl-" + on);
            p.put("obsync.source.databases", "ddl");
            p.put("obsync.topic.pattern", "ddl_" + on + "_${Table Name}");
            p.put("obsync.kafka.partitioning", "one");
            if (on) {
                p.put("obsync.ddl.enabled", "true");
            } else {
                p.remove("obsync.ddl.enabled");
            }
            servers.kafka.createTopics(1, "ddl_" + on + "_t", "ddl_" + on + "_p", "ddl_" + on + "_p2");
            try (Task task = Task.start(p)) {
                List<Received> all = Records.settled(servers.kafka.bootstrapServers(),
                        List.of("ddl_" + on + "_t", "ddl_" + on + "_p", "ddl_" + on + "_p2"),
                        r -> r.stream().anyMatch(x -> "2".equals(x.key()))
                                && (!on || r.stream().anyMatch(x -> x.topic().endsWith("_p2") && x.value().contains("DROP_TABLE"))),
                        Duration.ofSeconds(60));
                List<String> ddl = Records.inOrder(all, "ddl_" + on + "_t").stream().filter(r -> "DDL".equals(r.header("obsync-operation")))
                        .map(r -> r.json().at("/allMetaData/ddlType").asText()).toList();
                List<String> partitioned = java.util.stream.Stream.concat(Records.inOrder(all, "ddl_" + on + "_p").stream(),
                        Records.inOrder(all, "ddl_" + on + "_p2").stream()).map(r -> r.json().at("/allMetaData/ddlType").asText()).toList();
                if (on) {
                    assertThat(ddl).containsExactly("CREATE_TABLE", "ALTER_TABLE", "CREATE_INDEX", "DROP_INDEX", "TRUNCATE_TABLE");
                    // a renamed table's statements go to the topic of its new name
                    assertThat(partitioned).containsExactly("CREATE_TABLE", "TRUNCATE_PARTITION", "RENAME_TABLE", "DROP_TABLE");
                } else {
                    assertThat(ddl).isEmpty();
                    assertThat(partitioned).isEmpty();
                }
                assertThat(Records.inOrder(all, "ddl_" + on + "_t")).filteredOn(r -> "INSERT".equals(r.header("obsync-operation"))).hasSize(2);
                assertThat(task.status.isFailed()).isFalse();
            }
        }
    }

    @Test
    void anObjectCanBeRenamedAndShardedByItsOwnColumns() throws Exception {
        servers.db.execute("CREATE DATABASE ren", "CREATE TABLE ren.items (id INT PRIMARY KEY, customer_id INT, qty INT)");
        servers.kafka.createTopics(4, "Topic_ren_copy_items_v2");
        Map<String, String> p = Task.properties(servers, "objects-rename-it");
        p.put("obsync.source.databases", "ren");
        p.put("obsync.objects.file", objects("""
                include:
                  - table: ren.items
                    target: ren_copy.items_v2
                    sharding: [customer_id]
                """).toString());
        try (Task task = Task.start(p)) {
            servers.db.execute("INSERT INTO ren.items VALUES (1, 77, 1)", "INSERT INTO ren.items VALUES (2, 77, 5)",
                    "UPDATE ren.items SET qty = 2 WHERE id = 1");
            List<Received> all = Records.settled(servers.kafka.bootstrapServers(), List.of("Topic_ren_copy_items_v2"),
                    r -> r.stream().anyMatch(x -> "UPDATE".equals(x.header("obsync-operation"))), Duration.ofSeconds(60));
            List<Received> rows = all.stream().filter(r -> !"DDL".equals(r.header("obsync-operation"))).toList();
            assertThat(rows).hasSize(3).allSatisfy(r -> {
                // the names in messages and headers are the new ones; the key is the customer, so the customer's rows share a partition
                assertThat(r.header("obsync-database")).isEqualTo("ren_copy");
                assertThat(r.json().at("/allMetaData/table_name").asText()).isEqualTo("items_v2");
                assertThat(r.json().at("/allMetaData/db").asText()).isEqualTo("t1.ren_copy");
                assertThat(r.key()).isEqualTo("77");
            });
            assertThat(rows).extracting(Received::partition).containsOnly(rows.get(0).partition());
            assertThat(task.status.isFailed()).isFalse();
        }
    }

    @Test
    void editingTheObjectsFileWhileRunningAddsATableWithoutLossOrRepeatsForTheOthers() throws Exception {
        servers.db.execute("CREATE DATABASE hot", "CREATE TABLE hot.a (id INT PRIMARY KEY)", "CREATE TABLE hot.b (id INT PRIMARY KEY)");
        servers.kafka.createTopics(1, "Topic_hot_a", "Topic_hot_b");
        Path file = objects("include:\n  - table: hot.a\n");
        Map<String, String> p = Task.properties(servers, "objects-hot-it");
        p.put("obsync.source.databases", "hot");
        p.put("obsync.objects.file", file.toString());
        p.put("obsync.objects.reload-interval-ms", "200");
        List<String> topics = List.of("Topic_hot_a", "Topic_hot_b");
        try (Task task = Task.start(p)) {
            int id = 0;
            for (; id < 300; id++) {
                servers.db.execute("INSERT INTO hot.a VALUES (" + id + ")", "INSERT INTO hot.b VALUES (" + id + ")");
            }
            // the selection applies to what the task reads from now on: let it catch up first
            Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_hot_a"), r -> r.stream().anyMatch(x -> "299".equals(x.key())),
                    Duration.ofSeconds(60));
            Files.writeString(file, "include:\n  - table: hot.a\n  - table: hot.b\n");
            // keep writing until the new selection shows, then some more
            int switchedAt = -1;
            long deadline = System.currentTimeMillis() + 30_000;
            while (switchedAt < 0 && System.currentTimeMillis() < deadline) {
                for (int i = 0; i < 20; i++, id++) {
                    servers.db.execute("INSERT INTO hot.a VALUES (" + id + ")", "INSERT INTO hot.b VALUES (" + id + ")");
                }
                try {
                    Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_hot_b"),
                            r -> r.stream().anyMatch(x -> x.key() != null), Duration.ofSeconds(2));
                    switchedAt = id;
                } catch (AssertionError notYet) {
                    // the file is checked every 200 ms; write on
                }
            }
            assertThat(switchedAt).as("the edited file was picked up").isPositive();
            for (int i = 0; i < 100; i++, id++) {
                servers.db.execute("INSERT INTO hot.a VALUES (" + id + ")", "INSERT INTO hot.b VALUES (" + id + ")");
            }
            int last = id - 1;
            List<Received> all = Records.settled(servers.kafka.bootstrapServers(), topics,
                    r -> r.stream().anyMatch(x -> x.topic().equals("Topic_hot_b") && String.valueOf(last).equals(x.key())), Duration.ofSeconds(60));
            List<Integer> a = Records.inOrder(all, "Topic_hot_a").stream().filter(r -> r.key() != null).map(r -> Integer.parseInt(r.key())).toList();
            List<Integer> b = Records.inOrder(all, "Topic_hot_b").stream().filter(r -> r.key() != null).map(r -> Integer.parseInt(r.key())).toList();
            // the untouched table: every row once, in order
            assertThat(a).isEqualTo(java.util.stream.IntStream.rangeClosed(0, last).boxed().toList());
            // the added table: nothing from before the edit, then every row from the moment it took effect, once
            assertThat(b).isNotEmpty().allMatch(x -> x >= 300);
            assertThat(b).isEqualTo(java.util.stream.IntStream.rangeClosed(b.get(0), last).boxed().toList());
            assertThat(task.status.isFailed()).isFalse();
        }
    }

    @Test
    void aRouteCanSendRowsElsewhereWithAChoiceOnTheWhereLanguage() throws Exception {
        servers.db.execute("CREATE DATABASE cbr", "CREATE TABLE cbr.orders (id INT PRIMARY KEY, amount INT)",
                "CREATE TABLE cbr.notes (id INT PRIMARY KEY, body VARCHAR(10))");
        servers.kafka.createTopics(1, "Topic_cbr_orders", "Topic_cbr_notes", "vip_orders");
        // the user's copy of the shipped routes, with one choice added after the topic is chosen
        Path routes = Files.createTempDirectory(servers.work, "routes");
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Path pipeline = routes.resolve("pipeline.camel.yaml");
        String shipped = Files.readString(pipeline);
        String edited = shipped.replace("""
                        - process:
                            id: topic-mapping
                            ref: topicMapping
                """, """
                        - process:
                            id: topic-mapping
                            ref: topicMapping
                        - choice:
                            id: vip
                            when:
                              - expression:
                                  language:
                                    language: where
                                    expression: "amount >= 1000"
                                steps:
                                  - setHeader:
                                      name: CamelObsyncTopic
                                      constant: vip_orders
                """);
        assertThat(edited).isNotEqualTo(shipped);
        Files.writeString(pipeline, edited);
        Map<String, String> p = Task.properties(servers, "objects-cbr-it");
        p.put("obsync.source.databases", "cbr");
        // a route that decides per row takes one change per exchange
        p.put("obsync.pipeline.batch-events", "1");
        try (Task task = Task.start(p, routes)) {
            servers.db.execute("INSERT INTO cbr.orders VALUES (1, 5)", "INSERT INTO cbr.orders VALUES (2, 5000)",
                    "INSERT INTO cbr.notes VALUES (3, 'x')");
            List<String> topics = List.of("Topic_cbr_orders", "Topic_cbr_notes", "vip_orders");
            List<Received> all = Records.settled(servers.kafka.bootstrapServers(), topics,
                    r -> r.stream().filter(x -> x.key() != null).count() >= 3, Duration.ofSeconds(60));
            // the big order went to the route's topic; the table without an amount column was not affected
            assertThat(all).filteredOn(r -> r.key() != null).extracting(r -> r.topic() + ":" + r.key())
                    .containsExactlyInAnyOrder("Topic_cbr_orders:1", "vip_orders:2", "Topic_cbr_notes:3");
            assertThat(task.status.isFailed()).isFalse();
        }
    }

    @Test
    void aFilterOnAColumnTheTableLacksIsRefusedAtStartUpOrAtTheTablesFirstChange() throws Exception {
        servers.db.execute("CREATE DATABASE bad", "CREATE TABLE bad.orders (id INT PRIMARY KEY, amount INT)");
        Map<String, String> p = Task.properties(servers, "objects-bad-it");
        p.put("obsync.source.databases", "bad");
        p.put("obsync.objects.file", objects("""
                include:
                  - table: bad.orders
                    filter: "price > 1"
                """).toString());
        // the table exists: refused before anything is read
        assertThatThrownBy(() -> Task.start(p)).hasStackTraceContaining(
                "The row filter of bad.orders for table bad.orders 'price > 1' names column 'price', which the table does not have");

        // a table created later is checked at its first change: the task stops there with the same message
        servers.kafka.createTopics(1, "Topic_bad_later");
        p.put("obsync.objects.file", objects("""
                include:
                  - table: bad.later
                    columns: [id, price]
                """).toString());
        try (Task task = Task.start(p)) {
            servers.db.execute("CREATE TABLE bad.later (id INT PRIMARY KEY, amount INT)", "INSERT INTO bad.later VALUES (1, 5)");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(task.status::isFailed);
            assertThat(task.status.getLastError()).contains("Object bad.later selects column 'price', which table bad.later does not have");
        }
    }
}
