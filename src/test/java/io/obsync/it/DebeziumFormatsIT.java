package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.transforms.ExtractNewRecordState;
import io.obsync.it.Records.Received;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Debezium family checked against Debezium itself: the same binlog is read by Debezium's own
 * engine and written with Kafka's JsonConverter (and ExtractNewRecordState for DebeziumSmt); every
 * message obsync sent must equal that output, key and value, apart from processing times and the
 * version string. Then JsonConverter reads obsync's bytes back.
 */
class DebeziumFormatsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Servers servers;
    /** Debezium's own messages for the test database: value (schemas on), value (schemas off), SMT value, keys. */
    private static List<Reference> reference;

    record Reference(String table, JsonNode key, JsonNode flatKey, JsonNode value, JsonNode flat, JsonNode smt) {
        boolean tombstone() {
            return value == null;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        servers = Servers.start("debezium");
        servers.db.execute("CREATE DATABASE dbz",
                "CREATE TABLE dbz.types (id INT PRIMARY KEY, dec38 DECIMAL(38,10), neg DECIMAL(5,2), dt DATETIME(6), ts TIMESTAMP(6) NULL,"
                        + " dt3 DATETIME(3), dt0 DATETIME, d DATE, t TIME(3), y YEAR, blb BLOB, vb VARBINARY(8), bits BIT(12), b1 BIT(1),"
                        + " ubig BIGINT UNSIGNED, ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, su SMALLINT UNSIGNED, mi MEDIUMINT,"
                        + " iu INT UNSIGNED, bi BIGINT, f FLOAT, fl DOUBLE, ch CHAR(3), bn BINARY(2), js JSON, en ENUM('a','b'),"
                        + " st SET('x','y'), txt VARCHAR(100) CHARACTER SET utf8mb4, tx TEXT, nul VARCHAR(10) NULL, ts0 TIMESTAMP NULL)",
                "CREATE TABLE dbz.comp (a INT, b VARCHAR(5), c INT, PRIMARY KEY (b, a))",
                "CREATE TABLE dbz.nokey (a INT, b VARCHAR(5))",
                // zero dates, whole and partial, which Debezium's reader turns into NULL or the epoch
                "SET SESSION sql_mode = ''",
                "CREATE TABLE dbz.zero (id INT PRIMARY KEY, d DATE NULL, dt DATETIME(3) NULL, ts TIMESTAMP NULL, d_nn DATE NOT NULL,"
                        + " dt_nn DATETIME NOT NULL, ts_nn TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00')",
                "INSERT INTO dbz.zero VALUES (1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00',"
                        + " '0000-00-00 00:00:00', '0000-00-00 00:00:00'), (2, '2020-00-15', '2020-01-00 10:00:00', NULL, '2020-00-00',"
                        + " '2020-01-00 00:00:00', '1970-01-01 00:00:01')",
                "UPDATE dbz.zero SET d = '2021-01-01' WHERE id = 1",
                "INSERT INTO dbz.types VALUES (1, 12345678901234567890.0123456789, -1.50, '2024-05-01 12:30:00.123456',"
                        + " '2024-05-01 12:30:00.5', '2024-05-01 12:30:00.1', '2024-05-01 12:30:00', '2024-05-01', '-12:30:00.250', 2024,"
                        + " X'0102', X'ff00', b'101000000001', b'1', 18446744073709551615, -5, 200, -300, 60000, 4000, 4000000000,"
                        + " -9000000000, 1.5, 2.25, 'abc', X'0a0b', '{\"a\": 1}', 'b', 'x,y', 'h\u00e9 \uD83D\uDE00', 'long text', NULL,"
                        + " '1999-12-31 23:59:59')",
                "INSERT INTO dbz.types (id) VALUES (2)",
                "UPDATE dbz.types SET txt = 'new', dec38 = 0.5 WHERE id = 1",
                "INSERT INTO dbz.comp VALUES (1, 'x', 3), (2, 'y', 4)",
                "UPDATE dbz.comp SET a = 5 WHERE a = 1",
                "INSERT INTO dbz.nokey VALUES (1, 'k')",
                "ALTER TABLE dbz.comp ADD COLUMN d ENUM('p','q') NULL",
                "INSERT INTO dbz.comp VALUES (7, 'z', 8, 'q')",
                "DELETE FROM dbz.types WHERE id = 2",
                "DELETE FROM dbz.comp WHERE a = 7");
        reference = debeziumItself();
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void debeziumEqualsJsonConverterWithSchemas() throws Exception {
        List<Received> ours = run("Debezium", "dbz-full");
        compare(ours, Reference::value, Reference::key, "dbz-full", false);
        // and Kafka Connect reads every message and key back, decimals exact
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), false);
        for (Received r : ours) {
            SchemaAndValue read = converter.toConnectData(r.topic(), r.value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(read.value()).isInstanceOf(Struct.class);
        }
        Received insert = ours.stream().filter(r -> "INSERT".equals(r.header("obsync-operation")) && r.value().contains("\"dec38\""))
                .filter(r -> r.value().contains("\"after\":{\"id\":1,")).findFirst().orElseThrow();
        Struct after = ((Struct) converter.toConnectData(insert.topic(), insert.value().getBytes(java.nio.charset.StandardCharsets.UTF_8)).value())
                .getStruct("after");
        assertThat(after.get("dec38")).isEqualTo(new BigDecimal("12345678901234567890.0123456789"));
        assertThat(after.get("ubig")).isEqualTo(new BigDecimal("18446744073709551615"));
    }

    @Test
    void debeziumFlattenEqualsJsonConverterWithoutSchemas() throws Exception {
        List<Received> ours = run("DEBEZIUMFLATTEN", "dbz-flat", "obsync.format.debezium.tombstones-on-delete", "true");
        compare(ours, Reference::flat, Reference::flatKey, "dbz-flat", true);
    }

    @Test
    void debeziumSmtEqualsExtractNewRecordState() throws Exception {
        compare(run("DebeziumSmt", "dbz-smt"), Reference::smt, Reference::flatKey, "dbz-smt", false);
    }

    /** Runs a task with the format until the last statement arrived; returns its messages, DDL copies folded. */
    private static List<Received> run(String format, String name, String... more) throws Exception {
        String prefix = name.replace("-", "_");
        servers.kafka.createTopics(1, prefix + "_types", prefix + "_comp", prefix + "_nokey", prefix + "_zero");
        Map<String, String> p = Task.properties(servers, name);
        p.put("obsync.source.databases", "dbz");
        p.put("obsync.format", format);
        p.put("obsync.topic.pattern", prefix + "_${Table Name}");
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        try (Task task = Task.start(p)) {
            List<Received> all = Records.settled(servers.kafka.bootstrapServers(),
                    List.of(prefix + "_types", prefix + "_comp", prefix + "_nokey", prefix + "_zero"),
                    // every table's topic holds at least Debezium's own messages of it (topics are read in no fixed order)
                    r -> List.of("types", "comp", "nokey", "zero").stream().allMatch(table -> r.stream()
                            .filter(x -> x.topic().equals(prefix + "_" + table) && x.value() != null).count()
                            >= reference.stream().filter(ref -> ref.table().equals(table) && !ref.tombstone()).count()),
                    Duration.ofSeconds(90));
            assertThat(task.status.isFailed()).isFalse();
            return all;
        }
    }

    /** Per table, in binlog order, every message equals Debezium's, key and value. */
    private static void compare(List<Received> ours, Function<Reference, JsonNode> value, Function<Reference, JsonNode> key,
                                String taskName, boolean tombstones) throws Exception {
        String prefix = taskName.replace("-", "_") + "_";
        int compared = 0;
        for (String table : List.of("types", "comp", "nokey", "zero")) {
            List<Reference> expected = reference.stream().filter(r -> r.table().equals(table) && (tombstones || !r.tombstone())).toList();
            List<Received> actual = ours.stream().filter(r -> r.topic().equals(prefix + table))
                    .sorted(java.util.Comparator.comparingLong(Received::offset)).toList();
            assertThat(actual).as("messages of %s", table).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                Received r = actual.get(i);
                Reference want = expected.get(i);
                if (want.tombstone()) {
                    assertThat(r.value()).as("tombstone %d of %s", i, table).isNull();
                } else {
                    assertThat(normalize(JSON.readTree(r.value()), taskName)).as("value %d of %s", i, table)
                            .isEqualTo(normalize(value.apply(want), taskName));
                }
                if (key.apply(want) == null) {
                    assertThat(r.key()).as("key %d of %s", i, table).isNull();
                } else {
                    assertThat(normalize(JSON.readTree(r.key()), taskName)).as("key %d of %s", i, table)
                            .isEqualTo(normalize(key.apply(want), taskName));
                }
                compared++;
            }
        }
        assertThat(compared).isEqualTo(reference.stream().filter(r -> tombstones || !r.tombstone()).count());
    }

    /** Drops what legitimately differs (processing times, version, facts the model does not carry) and the logical name. */
    private static JsonNode normalize(JsonNode node, String taskName) throws Exception {
        String text = JSON.writeValueAsString(node).replace("\"ref.", "\"" + taskName + ".").replace("\"name\":\"ref\"", "\"name\":\"" + taskName + "\"");
        JsonNode copy = JSON.readTree(text);
        JsonNode payload = copy.has("payload") ? copy.get("payload") : copy;
        if (payload instanceof ObjectNode p) {
            p.remove(List.of("ts_ms", "ts_us", "ts_ns"));
            if (p.get("source") instanceof ObjectNode source) {
                source.remove("version");
            }
            if (p.get("tableChanges") instanceof ArrayNode changes) {
                for (JsonNode change : changes) {
                    if (change.get("table") instanceof ObjectNode table) {
                        table.remove(List.of("defaultCharsetName", "comment"));
                        for (JsonNode column : table.get("columns")) {
                            ((ObjectNode) column).remove(List.of("jdbcType", "nativeType", "typeExpression", "charsetName",
                                    "autoIncremented", "generated", "comment", "defaultValueExpression"));
                        }
                    }
                }
            }
        }
        return copy;
    }

    /** Debezium's engine on the same binlog, its records written the way Debezium users get them. */
    private static List<Reference> debeziumItself() throws Exception {
        Properties p = new Properties();
        p.put("name", "ref");
        p.put("topic.prefix", "ref");
        p.put("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        p.put("database.hostname", servers.db.host());
        p.put("database.port", String.valueOf(servers.db.port()));
        p.put("database.user", servers.db.user());
        p.put("database.password", servers.db.password());
        p.put("database.server.id", "7001");
        p.put("snapshot.mode", "never");
        p.put("database.include.list", "dbz");
        p.put("bigint.unsigned.handling.mode", "precise");
        p.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.put("offset.storage.file.filename", servers.work.resolve("ref-offsets.dat").toString());
        p.put("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        p.put("schema.history.internal.file.filename", servers.work.resolve("ref-history.dat").toString());
        JsonConverter withSchemas = converter(true, false);
        JsonConverter keysWithSchemas = converter(true, true);
        JsonConverter plain = converter(false, false);
        JsonConverter plainKeys = converter(false, true);
        ExtractNewRecordState<SourceRecord> smt = new ExtractNewRecordState<>();
        smt.configure(Map.of("add.fields", "op,db,table,source.ts_ms", "delete.tombstone.handling.mode", "rewrite"));
        List<Reference> out = Collections.synchronizedList(new ArrayList<>());
        // the last statement deletes dbz.comp's row; Debezium's last record of it is the tombstone after that delete
        CountDownLatch lastTombstone = new CountDownLatch(1);
        DebeziumEngine<io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord>> engine = DebeziumEngine.create(Connect.class)
                .using(p)
                .notifying((records, committer) -> {
                    for (io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord> event : records) {
                        SourceRecord r = event.value();
                        committer.markProcessed(event);
                        if (r.value() == null) {
                            // Debezium's tombstone after a delete (obsync sends them when asked to)
                            String table = r.topic().substring(r.topic().lastIndexOf('.') + 1);
                            out.add(new Reference(table, read(keysWithSchemas.fromConnectData(r.topic(), r.keySchema(), r.key())),
                                    read(plainKeys.fromConnectData(r.topic(), r.keySchema(), r.key())), null, null, null));
                            if ("comp".equals(table)) {
                                lastTombstone.countDown();
                            }
                            continue;
                        }
                        Struct value = (Struct) r.value();
                        boolean ddl = value.schema().field("tableChanges") != null;
                        if (ddl && value.getArray("tableChanges").isEmpty()) {
                            continue; // database-level statements name no table; obsync sends them nowhere
                        }
                        SourceRecord flattened = smt.apply(r);
                        Struct source = value.getStruct("source");
                        out.add(new Reference(source.getString("table"),
                                r.key() == null ? null : read(keysWithSchemas.fromConnectData(r.topic(), r.keySchema(), r.key())),
                                r.key() == null ? null : read(plainKeys.fromConnectData(r.topic(), r.keySchema(), r.key())),
                                read(withSchemas.fromConnectData(r.topic(), r.valueSchema(), r.value())),
                                read(plain.fromConnectData(r.topic(), r.valueSchema(), r.value())),
                                read(plain.fromConnectData(r.topic(), flattened.valueSchema(), flattened.value()))));
                    }
                    committer.markBatchFinished();
                })
                .build();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            runner.execute(engine);
            assertThat(lastTombstone.await(90, TimeUnit.SECONDS)).as("Debezium read the test statements").isTrue();
        } finally {
            engine.close();
            runner.shutdown();
            runner.awaitTermination(30, TimeUnit.SECONDS);
        }
        return out;
    }

    private static JsonNode read(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonConverter converter(boolean schemas, boolean forKeys) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", Boolean.toString(schemas)), forKeys);
        return converter;
    }
}
