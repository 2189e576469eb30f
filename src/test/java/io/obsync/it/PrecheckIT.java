package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.obsync.precheck.Precheck;
import io.obsync.precheck.Precheck.Item;
import io.obsync.precheck.Precheck.Status;
import io.obsync.sandbox.EmbeddedMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The precheck against real servers: everything right, then one thing wrong at a time. */
class PrecheckIT {

    private static Servers servers;

    @BeforeAll
    static void start() throws Exception {
        servers = Servers.start("precheck");
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    /** The shipped application.properties with the test servers and the given changes. */
    private static Map<String, String> config(String... changes) throws Exception {
        Properties shipped = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("application.properties"))) {
            shipped.load(in);
        }
        Map<String, String> p = new HashMap<>();
        shipped.forEach((k, v) -> p.put((String) k, (String) v));
        p.putAll(Task.properties(servers, "precheck-it"));
        for (int i = 0; i < changes.length; i += 2) {
            p.put(changes[i], changes[i + 1]);
        }
        return p;
    }

    private static List<Item> run(Map<String, String> config, String... skip) {
        return Precheck.run(config::get, Set.of(skip));
    }

    private static Item item(List<Item> items, String name) {
        return items.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aRightSetupPassesEveryItemThatApplies() throws Exception {
        List<Item> items = run(config());
        assertThat(items).extracting(Item::name).containsExactlyElementsOf(Precheck.ITEMS);
        for (String name : List.of("options", "source-connection", "binlog", "binlog-format", "binlog-row-image", "server-id", "kafka", "kafka-topics")) {
            assertThat(item(items, name).status()).as(item(items, name).toString()).isEqualTo(Status.PASS);
        }
        // the embedded server runs without grant tables: it cannot show grants
        assertThat(item(items, "privileges").status()).isIn(Status.PASS, Status.SKIPPED);
        assertThat(item(items, "rocketmq")).isEqualTo(new Item("rocketmq", Status.SKIPPED, "no table goes to RocketMQ"));
        assertThat(Precheck.mayStart(items)).isTrue();
    }

    @Test
    void statementFormatAndMinimalImageFailWithTheFixUnlessSkipped() throws Exception {
        servers.db.execute("SET GLOBAL binlog_format = 'STATEMENT'", "SET GLOBAL binlog_row_image = 'MINIMAL'");
        try {
            List<Item> items = run(config());
            assertThat(item(items, "binlog-format")).isEqualTo(new Item("binlog-format", Status.FAIL,
                    "binlog_format is STATEMENT: set binlog_format=ROW"));
            assertThat(item(items, "binlog-row-image")).isEqualTo(new Item("binlog-row-image", Status.FAIL,
                    "binlog_row_image is MINIMAL: set binlog_row_image=FULL"));
            assertThat(Precheck.mayStart(items)).isFalse();
            List<Item> skipped = run(config(), "binlog-format", "binlog-row-image");
            assertThat(item(skipped, "binlog-format")).isEqualTo(new Item("binlog-format", Status.SKIPPED, "skipped by --skip binlog-format"));
            assertThat(Precheck.mayStart(skipped)).isTrue();
        } finally {
            servers.db.execute("SET GLOBAL binlog_format = 'ROW'", "SET GLOBAL binlog_row_image = 'FULL'");
        }
    }

    @Test
    void theStandInIsNamedAndItsGeneratedColumnsThatAreNotStoredAreWarnedOf() throws Exception {
        servers.db.execute("CREATE DATABASE gen", "CREATE TABLE gen.t (id INT PRIMARY KEY, price INT, "
                + "doubled INT AS (price * 2) VIRTUAL, tripled INT AS (price * 3) STORED)");
        try {
            List<Item> items = run(config("obsync.source.databases", "gen"));
            assertThat(item(items, "source-kind").status()).isEqualTo(Status.PASS);
            assertThat(item(items, "source-kind").detail()).contains("MariaDB").contains("not OceanBase");
            assertThat(item(items, "login").status()).isEqualTo(Status.PASS);
            // MariaDB has GTIDs of its own, not the MySQL-style ones Debezium resumes by
            assertThat(item(items, "gtid-mode").status()).isEqualTo(Status.SKIPPED);
            assertThat(item(items, "generated-columns")).isEqualTo(new Item("generated-columns", Status.WARN, "[gen.t.doubled] is a generated "
                    + "column not marked STORED, which the OceanBase Binlog Service sends as NULL (obsync does not invent values): make them "
                    + "STORED, or leave them out of the columns synced"));
            assertThat(Precheck.mayStart(items)).isTrue();
            // a table the task does not sync is not named
            assertThat(item(run(config("obsync.source.databases", "crm")), "generated-columns").status()).isEqualTo(Status.PASS);
        } finally {
            servers.db.execute("DROP DATABASE gen");
        }
    }

    @Test
    void anOceanBaseSourceIsRecognisedAndAskedForWhatOnlyItNeeds() throws Exception {
        try (EmbeddedMariaDb oceanBase = EmbeddedMariaDb.startReporting(Files.createTempDirectory(servers.work, "ob"), "5.7.25-OceanBase_CE-v4.2.1.2")) {
            List<Item> items = run(config("obsync.source.port", String.valueOf(oceanBase.port())));
            assertThat(item(items, "source-kind")).isEqualTo(new Item("source-kind", Status.PASS, "OceanBase CE 4.2.1 (the Binlog Service needs "
                    + "4.2.1 or later); not checked from SQL: obproxy >= 4.2.1 and oblogproxy >= 2.0.0 (see their own version commands)"));
            assertThat(item(items, "login")).isEqualTo(new Item("login", Status.WARN, "the login root names no tenant: through obproxy log in "
                    + "as user@tenant#cluster (or user@tenant)"));
            assertThat(item(items, "gtid-mode").status()).isEqualTo(Status.WARN);
            assertThat(item(items, "gtid-mode").detail()).contains("turn GTID mode on");
            List<Item> otherTenant = run(config("obsync.source.port", String.valueOf(oceanBase.port()), "obsync.source.user", "root@t9#c1"));
            assertThat(item(otherTenant, "login")).isEqualTo(new Item("login", Status.WARN, "the login root@t9#c1 names tenant t9 but "
                    + "obsync.source.tenant is t1, which the db field will show: set it to t9 unless that is meant"));
            assertThat(Precheck.mayStart(items)).isTrue();
        }
    }

    @Test
    void aSourceWithoutBinaryLogFails() throws Exception {
        try (EmbeddedMariaDb noBinlog = EmbeddedMariaDb.start(Files.createTempDirectory(servers.work, "nobinlog"), false)) {
            List<Item> items = run(config("obsync.source.port", String.valueOf(noBinlog.port())));
            assertThat(item(items, "source-connection").status()).isEqualTo(Status.PASS);
            assertThat(item(items, "binlog")).isEqualTo(new Item("binlog", Status.FAIL,
                    "log_bin is OFF: turn the binary log on (log_bin; for OceanBase, enable the Binlog Service for the tenant)"));
            assertThat(Precheck.mayStart(items)).isFalse();
        }
    }

    @Test
    void wrongServerIdUnreachableTargetsAndBadOptionsFailEachWithTheFix() throws Exception {
        List<Item> items = run(config("obsync.source.server-id", String.valueOf(EmbeddedMariaDb.SERVER_ID),
                "obsync.kafka.brokers", "127.0.0.1:1",
                "obsync.topic.mapping", "shop.orders=rocketmq:orders", "obsync.rocketmq.namesrv", "127.0.0.1:1"));
        assertThat(item(items, "server-id").detail()).isEqualTo("obsync.source.server-id 1 is the source's own server_id: choose another number");
        assertThat(item(items, "kafka").status()).isEqualTo(Status.FAIL);
        assertThat(item(items, "kafka").detail()).startsWith("Kafka at 127.0.0.1:1 does not answer")
                .endsWith("check obsync.kafka.brokers, obsync.kafka.security-protocol (PLAINTEXT) and that the broker is up");
        assertThat(item(items, "rocketmq")).isEqualTo(new Item("rocketmq", Status.FAIL,
                "name server(s) [127.0.0.1:1] do not accept connections: check obsync.rocketmq.namesrv and that they run"));

        List<Item> wrong = run(config("obsync.format", "Avro", "obsync.source.port", "1"));
        assertThat(item(wrong, "options").status()).isEqualTo(Status.FAIL);
        assertThat(item(wrong, "options").detail()).startsWith("obsync.format is 'Avro', which is not a serialization method");
        assertThat(item(wrong, "source-connection").detail()).startsWith("cannot connect to 127.0.0.1:1 as root");
        assertThat(item(wrong, "binlog").status()).isEqualTo(Status.SKIPPED);
    }

    @Test
    void aStartTimeMustBeInTheBinlogAndNotWithFullSync() throws Exception {
        assertThat(item(run(config()), "start-time")).isEqualTo(new Item("start-time", Status.SKIPPED,
                "obsync.source.start-time is empty: the first start reads from now"));
        Item reachable = item(run(config("obsync.source.start-time", Long.toString(System.currentTimeMillis() / 1000 - 1))), "start-time");
        assertThat(reachable.status()).as(reachable.toString()).isEqualTo(Status.PASS);
        assertThat(reachable.detail()).contains("is at mariadb-bin.");
        Item purged = item(run(config("obsync.source.start-time", "2001-09-09T01:46:40Z")), "start-time");
        assertThat(purged.status()).isEqualTo(Status.FAIL);
        assertThat(purged.detail()).startsWith("obsync.source.start-time 2001-09-09T01:46:40Z is earlier than the oldest binlog the source keeps (mariadb-bin.000001, from ");
        Item conflict = item(run(config("obsync.source.start-time", "1763712000", "obsync.full-sync.enabled", "true")), "options");
        assertThat(conflict).isEqualTo(new Item("options", Status.FAIL, "obsync.full-sync.enabled is true and obsync.source.start-time is '1763712000': "
                + "full synchronization streams the changes from the moment the task starts; unset one of them."));
        Item throttle = item(run(config("obsync.throttle.full.records-per-second", "-5")), "options");
        assertThat(throttle.detail()).isEqualTo("obsync.throttle.full.records-per-second is -5: use 0 or more, or leave it empty for none.");
    }

    @Test
    void topicMappingMethods() throws Exception {
        Item missingExisting = item(run(config("obsync.topic.mapping", "shop.orders=no_such_topic")), "kafka-topics");
        assertThat(missingExisting).isEqualTo(new Item("kafka-topics", Status.FAIL, "missing [no_such_topic], mapped as existing topics: "
                + "create them, or map them with the create method (obsync.topic.mapping-method=create, or topic-method: create in the objects file)"));
        Item toCreate = item(run(config("obsync.topic.mapping", "shop.orders=no_such_topic", "obsync.topic.mapping-method", "create")), "kafka-topics");
        assertThat(toCreate).isEqualTo(new Item("kafka-topics", Status.PASS, "schema sync creates [no_such_topic] when the task starts"));
        Item withoutSchemaSync = item(run(config("obsync.topic.mapping", "shop.orders=no_such_topic", "obsync.topic.mapping-method", "create",
                "obsync.schema-sync.enabled", "false")), "options");
        assertThat(withoutSchemaSync.detail()).isEqualTo("Topics [no_such_topic] are mapped with the create method, which needs schema sync: "
                + "set obsync.schema-sync.enabled=true, or map them as existing topics.");
        Path objects = Files.createTempFile("objects", ".yaml");
        Files.writeString(objects, "include:\n  - table: shop.orders\n    topic: made\n    topic-method: create\n");
        Item conflict = item(run(config("obsync.topic.mapping", "shop.users=kept", "obsync.objects.file", objects.toString())), "options");
        assertThat(conflict).isEqualTo(new Item("options", Status.FAIL, "Option conflict: topics [made] are mapped with the create method and "
                + "[kept] with the existing method while schema sync is on: use one mapping method in a task (obsync.topic.mapping-method and "
                + "topic-method in the objects file)."));
    }

    @Test
    void theSignalTableIsCreatedAndMustTakeRows() throws Exception {
        assertThat(item(run(config()), "signal-table").status()).isEqualTo(Status.SKIPPED);
        Item created = item(run(config("obsync.source.signal-table", "pre_signals.requests")), "signal-table");
        assertThat(created).isEqualTo(new Item("signal-table", Status.PASS, "pre_signals.requests exists and the source user may insert and delete its rows"));
        // the rolled-back probe left no row
        try (java.sql.Connection c = servers.db.connect(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery("SELECT COUNT(*) FROM pre_signals.requests")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getInt(1)).isZero();
        }
        // a table of that name that cannot take the requests (the sandbox server grants everything, so a
        // refused privilege is shown by a table of another shape: the insert fails the same way)
        servers.db.execute("CREATE TABLE pre_signals.wrong (id INT PRIMARY KEY)");
        Item refused = item(run(config("obsync.source.signal-table", "pre_signals.wrong")), "signal-table");
        assertThat(refused.status()).isEqualTo(Status.FAIL);
        assertThat(refused.detail()).startsWith("The signal table pre_signals.wrong (obsync.source.signal-table) cannot be written (")
                .endsWith("and INSERT and DELETE on it for the source user.");
        Item badName = item(run(config("obsync.source.signal-table", "no-dot")), "options");
        assertThat(badName.detail()).startsWith("obsync.source.signal-table is 'no-dot': name the table as database.table");
    }

    @Test
    void tablesTheObjectsFileNamesButTheSourceLacksAreAWarning() throws Exception {
        servers.db.execute("CREATE DATABASE IF NOT EXISTS pre", "CREATE TABLE IF NOT EXISTS pre.items (id INT PRIMARY KEY)");
        Path objects = Files.createTempFile("objects", ".yaml");
        Files.writeString(objects, "include:\n  - table: pre.items\n  - table: pre.later\n  - table: pre.*\n");
        List<Item> items = run(config("obsync.objects.file", objects.toString()));
        assertThat(item(items, "objects-tables")).isEqualTo(new Item("objects-tables", Status.WARN, "the objects file names [pre.later], "
                + "which the source does not have: each is synced from its creation; check the names if they should exist now"));
        assertThat(Precheck.mayStart(items)).isTrue();
        assertThat(item(run(config()), "objects-tables")).isEqualTo(new Item("objects-tables", Status.SKIPPED, "no objects file"));
    }

    @Test
    void withSchemaSyncOffTheTopicsOfTheSelectedTablesMustExist() throws Exception {
        servers.db.execute("CREATE DATABASE IF NOT EXISTS pre", "CREATE TABLE IF NOT EXISTS pre.items (id INT PRIMARY KEY)");
        Item off = item(run(config("obsync.source.databases", "pre", "obsync.schema-sync.enabled", "false")), "kafka-topics");
        assertThat(off).isEqualTo(new Item("kafka-topics", Status.FAIL, "missing [Topic_pre_items] (topics of selected tables) and "
                + "obsync.schema-sync.enabled=false: create them, or turn schema sync on"));
        servers.kafka.createTopics(1, "Topic_pre_items");
        assertThat(item(run(config("obsync.source.databases", "pre", "obsync.schema-sync.enabled", "false")), "kafka-topics").status())
                .isEqualTo(Status.PASS);
        // Debezium's schema-change topic, named after the task, is one of them
        Item schemaTopic = item(run(config("obsync.source.databases", "pre", "obsync.schema-sync.enabled", "false", "obsync.format", "Debezium",
                "obsync.format.debezium.schema-change-topic", "true", "obsync.task.name", "pre-task")), "kafka-topics");
        assertThat(schemaTopic.status()).isEqualTo(Status.FAIL);
        assertThat(schemaTopic.detail()).startsWith("missing [pre-task] (topics of selected tables)");
    }
}
