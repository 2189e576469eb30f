package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.alibaba.otter.canal.protocol.FlatMessage;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.obsync.format.FormatName;
import io.obsync.it.Records.Received;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

/**
 * The edge values of every column type (DECIMAL(65,30) extremes, unsigned maxima, subnormal doubles,
 * BIT(64), binary with 0x00 and 0xFF, emoji, NUL and control characters, the ends of every temporal
 * range, zero dates, YEAR, ENUM, SET, JSON, NULL) through every format, by full synchronization and
 * by the binlog: what each format writes is compared value by value with what the format's documented rules make of the
 * source's own text of each value ({@link EdgeOracle}: CAST, HEX, UNIX_TIMESTAMP at test time), and with a reviewed
 * golden file per format (src/test/resources/type-edges; -Dobsync.golden.write=true rewrites them and fails the run, so
 * that the difference is reviewed). Canal's FlatMessage and Kafka Connect's JsonConverter must read every message.
 */
class TypeEdgesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reads numbers as they are written: no DECIMAL through a double, no trailing zeros dropped. */
    private static final ObjectMapper EXACT = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static final Path GOLDEN = Path.of("src/test/resources/type-edges");
    private static final String COLUMNS = "k2 VARCHAR(8) NOT NULL, k1 INT NOT NULL, dec_big DECIMAL(65,30), ti TINYINT, ti_u TINYINT UNSIGNED, "
            + "si SMALLINT, mi_u MEDIUMINT UNSIGNED, i INT, bi BIGINT, bi_u BIGINT UNSIGNED, fl FLOAT, dbl DOUBLE, b1 BIT(1), b64 BIT(64), "
            + "bin BINARY(4), vbin VARBINARY(8), blb BLOB, vc VARCHAR(40), txt TEXT, d DATE, dt DATETIME(6), ts TIMESTAMP(6) NULL, tm TIME(6), "
            + "y YEAR, d_nn DATE NOT NULL DEFAULT '2000-01-01', dt_nn DATETIME(3) NOT NULL DEFAULT '2000-01-01 00:00:00', "
            + "ts_nn TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00', e ENUM('a','b c','it''s'), s SET('x','y','z'), j JSON, "
            + "d_zd DATE NOT NULL DEFAULT '0000-00-00', PRIMARY KEY (k1, k2)";
    /** The columns the rows give values for (d_zd takes its default, the zero date). */
    private static final String NAMES = "k2, k1, dec_big, ti, ti_u, si, mi_u, i, bi, bi_u, fl, dbl, b1, b64, bin, vbin, blb, vc, txt, d, dt, ts, tm, y, "
            + "d_nn, dt_nn, ts_nn, e, s, j";
    /** The rows, as values for COLUMNS after the key (k2, k1). */
    private static final Map<String, String> ROWS = new LinkedHashMap<>();

    static {
        ROWS.put("max", "99999999999999999999999999999999999.999999999999999999999999999999, 127, 255, 32767, 16777215, 2147483647, "
                + "9223372036854775807, 18446744073709551615, 3.40282e38, 1.7976931348623157e308, b'1', "
                + "b'1111111111111111111111111111111111111111111111111111111111111111', X'FFFFFFFF', X'00FF00FF00FF00FF', X'00FF', "
                + "'emoji \uD83D\uDE00 \u4E2D\u6587 ''q'' \"dq\" \\\\ b', CONCAT('nul', CHAR(0), 'tab', CHAR(9), 'nl', CHAR(10), 'bell', CHAR(7)), "
                + "'9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '838:59:59.000000', 2155, "
                + "'9999-12-31', '9999-12-31 23:59:59.999', '2038-01-19 03:14:07', 'it''s', 'x,y,z', '{\"a\": [1, 2.5, \"x\"], \"b\": null}'");
        ROWS.put("min", "-99999999999999999999999999999999999.999999999999999999999999999999, -128, 0, -32768, 0, -2147483648, "
                + "-9223372036854775808, 0, -1.17549e-38, 4.9e-324, b'0', b'0', X'00000000', X'', X'', '', '', "
                + "'1000-01-01', '1000-01-01 00:00:00.000001', '1970-01-01 00:00:01.000000', '-838:59:59.000000', 1901, "
                + "'1000-01-01', '1000-01-01 00:00:00.000', '1970-01-01 00:00:01', 'a', '', '[]'");
        ROWS.put("zero", "0.000000000000000000000000000001, 0, 0, 0, 0, 0, 0, 0, 0, 0, b'0', b'1000000000000000000000000000000000000000000000000000000000000001', "
                + "X'00', X'00', X'00', ' ', '\t', "
                + "'0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '00:00:00', 0, "
                + "'0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 'b c', 'y', 'null'");
        ROWS.put("null", "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                + "'2020-00-15', '2020-01-00 10:00:00', NULL, NULL, NULL, "
                + "'2020-00-00', '2020-01-00 10:00:00', '2000-01-01 00:00:00', NULL, NULL, NULL");
        ROWS.put("epoch", "-0.5, -1, 1, -1, 1, -1, -1, 1, 1e-45, -2.2250738585072014e-308, b'1', b'1', X'7F', X'80', X'0A0D', '\u00E9\u00E9', 'x', "
                + "'1970-01-01', '1970-01-01 00:00:00', '1970-01-01 00:00:01', '-00:00:00.000001', 1970, "
                + "'1970-01-01', '1970-01-01 00:00:00', '1970-01-01 00:00:01', 'a', 'x,z', '{\"\u00E9\": \"\\\\u0000\"}'");
    }

    @Test
    @org.junit.jupiter.api.Timeout(300)
    void everyValueClassThroughEveryFormatIsWrittenAsReviewed() throws Exception {
        everyValueClassThroughEveryFormat("edges", false);
    }

    /** The same rows read in key chunks beside the stream (a signal table) give the same messages as one pass. */
    @Test
    @org.junit.jupiter.api.Timeout(300)
    void everyValueClassReadInChunksIsWrittenAsReviewed() throws Exception {
        everyValueClassThroughEveryFormat("edges-chunks", true);
    }

    private static void everyValueClassThroughEveryFormat(String name, boolean chunks) throws Exception {
        try (Servers servers = Servers.start(name)) {
            Map<FormatName, String> topics = new LinkedHashMap<>();
            List<String> statements = new ArrayList<>(List.of("SET SESSION sql_mode = ''", "SET SESSION time_zone = '+00:00'", "CREATE DATABASE edge"));
            for (FormatName format : FormatName.values()) {
                String table = "v_" + format.name().toLowerCase(Locale.ROOT);
                topics.put(format, "Topic_edge_" + table);
                statements.add("CREATE TABLE edge." + table + " (" + COLUMNS + ")");
                statements.addAll(inserts(table, ""));
            }
            servers.kafka.createTopics(1, topics.values().toArray(String[]::new));
            servers.db.execute(statements.toArray(String[]::new));

            Map<String, String> p = Task.properties(servers, "edges-it");
            p.put("obsync.source.databases", "edge");
            p.put("obsync.source.snapshot-mode", "no_data");
            p.put("obsync.full-sync.enabled", "true");
            if (chunks) {
                p.put("obsync.source.signal-table", "edge_signals.requests");
                p.put("obsync.full-sync.chunk-size", "16");
            }
            p.put("obsync.format.topics", topics.entrySet().stream().map(e -> e.getValue() + "=" + e.getKey().displayName())
                    .collect(Collectors.joining(",")));
            try (Task task = Task.start(p)) {
                // full synchronization first, then the same values through the binlog, a key change, an update, a delete
                Records.readUntil(servers.kafka.bootstrapServers(), List.copyOf(topics.values()),
                        all -> topics.values().stream().allMatch(t -> Records.inOrder(all, t).size() >= ROWS.size()), Duration.ofSeconds(120));
                List<String> changes = new ArrayList<>(List.of("SET SESSION sql_mode = ''", "SET SESSION time_zone = '+00:00'"));
                for (String topic : topics.values()) {
                    String table = "edge." + topic.substring("Topic_edge_".length());
                    changes.addAll(inserts(topic.substring("Topic_edge_".length()), "+"));
                    changes.add("UPDATE " + table + " SET k1 = 10 WHERE k2 = 'max+'");
                    changes.add("UPDATE " + table + " SET d = '2020-02-02', d_nn = '0000-00-00', ts = '0000-00-00 00:00:00' WHERE k2 = 'zero+'");
                    changes.add("DELETE FROM " + table + " WHERE k2 = 'min+'");
                    changes.add("INSERT INTO " + table + " (k2, k1) VALUES ('zzend', 99)");
                }
                servers.db.execute(changes.toArray(String[]::new));
                List<Received> all = Records.settled(servers.kafka.bootstrapServers(), List.copyOf(topics.values()),
                        read -> topics.values().stream().allMatch(t -> Records.inOrder(read, t).stream().anyMatch(r -> r.value() != null
                                && r.value().contains("zzend"))), Duration.ofSeconds(120));
                assertThat(task.status.isFailed()).isFalse();

                JsonConverter converter = new JsonConverter();
                converter.configure(Map.of("schemas.enable", "true"), false);
                JsonConverter schemaless = new JsonConverter();
                schemaless.configure(Map.of("schemas.enable", "false"), false);
                List<String> differences = new ArrayList<>();
                for (Map.Entry<FormatName, String> entry : topics.entrySet()) {
                    FormatName format = entry.getKey();
                    List<String> lines = new ArrayList<>();
                    for (Received r : Records.inOrder(all, entry.getValue())) {
                        if (r.value() == null) {
                            lines.add(r.header("obsync-operation") + " tombstone");
                            continue;
                        }
                        byte[] bytes = r.value().getBytes(StandardCharsets.UTF_8);
                        switch (format) {
                            case CANAL -> JSON.readValue(bytes, FlatMessage.class);
                            case DEBEZIUM -> assertThat(converter.toConnectData(r.topic(), bytes).value()).isNotNull();
                            case DEBEZIUM_FLATTEN, DEBEZIUM_SMT -> assertThat(schemaless.toConnectData(r.topic(), bytes).value()).isNotNull();
                            default -> {
                            }
                        }
                        lines.add(r.header("obsync-operation") + " " + JSON.writeValueAsString(values(format, r.json())));
                    }
                    String difference = compareWithGolden(format, lines);
                    if (difference != null) {
                        differences.add(difference);
                    }
                }
                assertThat(differences).as("values that differ from the reviewed golden files").isEmpty();
                assertThat(againstTheSource(servers, topics, all)).as("values that differ from what the formats' rules make of the source's values")
                        .isEmpty();
            }
        }
    }

    /**
     * Every full-synchronization row and every binlog insert of the formats whose values docs/formats.md defines, value by
     * value against {@link EdgeOracle}: the source's own text of each value through the format's documented rule.
     */
    private static List<String> againstTheSource(Servers servers, Map<FormatName, String> topics, List<Received> all) throws Exception {
        List<String> differences = new ArrayList<>();
        try (var connection = servers.db.connect()) {
            for (FormatName format : List.of(FormatName.DEFAULT, FormatName.DEFAULT_EXTEND_COLUMN_TYPE, FormatName.SHAREPLEX, FormatName.CANAL,
                    FormatName.MAXWELL)) {
                String topic = topics.get(format);
                EdgeOracle oracle = EdgeOracle.read(connection, "edge", topic.substring("Topic_edge_".length()), List.copyOf(ROWS.keySet()));
                java.util.Set<String> checked = new java.util.TreeSet<>();
                for (Received r : Records.inOrder(all, topic)) {
                    JsonNode message = EXACT.readTree(r.value());
                    JsonNode image = switch (format) {
                        case DEFAULT, DEFAULT_EXTEND_COLUMN_TYPE -> message.get("postStruct");
                        case CANAL -> message.path("data").path(0);
                        default -> message.get("data");
                    };
                    String operation = r.header("obsync-operation");
                    String key = image == null || image.isNull() ? "" : image.path("k2").asText();
                    if ("ROW".equals(operation) && ROWS.containsKey(key)) {
                        differences.addAll(oracle.differences(format, EdgeOracle.Read.FULL_SYNC, key, image));
                        checked.add("ROW " + key);
                    } else if ("INSERT".equals(operation) && key.endsWith("+") && ROWS.containsKey(key.substring(0, key.length() - 1))) {
                        differences.addAll(oracle.differences(format, EdgeOracle.Read.BINLOG, key.substring(0, key.length() - 1), image));
                        checked.add("INSERT " + key);
                    }
                }
                // every row both ways: a format whose messages were not found fails here, not silently
                assertThat(checked).as("rows of %s checked against the source", format.displayName()).hasSize(2 * ROWS.size());
            }
        }
        return differences;
    }

    private static List<String> inserts(String table, String keySuffix) {
        List<String> out = new ArrayList<>();
        int k1 = 1;
        for (Map.Entry<String, String> row : ROWS.entrySet()) {
            out.add("INSERT INTO edge." + table + " (" + NAMES + ") VALUES ('" + row.getKey() + keySuffix + "', " + k1++ + ", " + row.getValue() + ")");
        }
        return out;
    }

    /** The parts of a message that carry values and declared types: row images, keys and type maps, without times or positions. */
    private static JsonNode values(FormatName format, JsonNode message) {
        ObjectNode out = JSON.createObjectNode();
        List<String> fields = switch (format) {
            case DEFAULT, DEFAULT_EXTEND_COLUMN_TYPE -> List.of("prevStruct", "postStruct");
            case CANAL -> List.of("pkNames", "sqlType", "mysqlType", "data", "old");
            case DATAWORKS -> List.of("/schema/dataColumn", "/schema/primaryKey", "/payload/before", "/payload/after");
            case SHAREPLEX -> List.of("data", "key");
            case DEBEZIUM -> List.of("/schema", "/payload/before", "/payload/after");
            case DEBEZIUM_FLATTEN -> List.of("before", "after");
            case DEBEZIUM_SMT -> List.of();
            case MAXWELL -> List.of("primary_key", "primary_key_columns", "data", "old");
        };
        if (fields.isEmpty()) {
            ObjectNode row = message.deepCopy();
            row.remove("__source_ts_ms");
            return row;
        }
        for (String field : fields) {
            JsonNode node = field.startsWith("/") ? message.at(field) : message.get(field);
            out.set(field, node == null || node.isMissingNode() ? null : node);
        }
        return out;
    }

    /** Null when the lines equal the golden file; else where they first differ. Writes the file when asked, and then fails. */
    private static String compareWithGolden(FormatName format, List<String> lines) throws Exception {
        Path file = GOLDEN.resolve(format.name().toLowerCase(Locale.ROOT) + ".txt");
        String text = String.join("\n", lines) + "\n";
        if (Boolean.getBoolean("obsync.golden.write")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, text);
            // a rewritten file proves nothing until someone reviewed it: the run that wrote it fails
            return format.displayName() + ": " + file + " rewritten; review its difference (git diff) and run again without -Dobsync.golden.write";
        }
        if (!Files.exists(file)) {
            return format.displayName() + ": no golden file " + file + " (write it with -Dobsync.golden.write=true and review it)";
        }
        List<String> expected = Files.readAllLines(file);
        for (int i = 0; i < Math.max(expected.size(), lines.size()); i++) {
            String want = i < expected.size() ? expected.get(i) : "(nothing)";
            String got = i < lines.size() ? lines.get(i) : "(nothing)";
            if (!want.equals(got)) {
                return format.displayName() + " message " + (i + 1) + ":\n  expected " + want + "\n  but was  " + got;
            }
        }
        return null;
    }
}
