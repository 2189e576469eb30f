package io.obsync.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.DdlKind;
import io.obsync.event.Operation;
import io.obsync.event.SourcePosition;
import io.obsync.event.TableSchema;
import io.obsync.event.TestEvents;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DataWorks and the Debezium family against golden files in src/test/resources/golden/&lt;format&gt;,
 * one per operation, reviewed by hand. -Dgolden.update=true rewrites them after a deliberate change
 * and fails the run, so that the difference is reviewed before the next run passes. (The Debezium family is also compared with Debezium's
 * own output end to end in DebeziumFormatsIT.)
 */
class FormatFamiliesGoldenTest {

    private static final long NOW_MILLIS = 1_800_000_000_123L;

    private static final TableSchema ITEMS = new TableSchema(List.of(
            new ColumnDef("id", "BIGINT UNSIGNED", 20, 0, false),
            new ColumnDef("price", "DECIMAL", 12, 2, true),
            new ColumnDef("made", "DATETIME", 6, -1, true),
            new ColumnDef("paid", "TIMESTAMP", 3, -1, true),
            new ColumnDef("day", "DATE", -1, -1, true),
            new ColumnDef("took", "TIME", 3, -1, true),
            new ColumnDef("year", "YEAR", -1, -1, true),
            new ColumnDef("flags", "BIT", 12, -1, true),
            new ColumnDef("vip", "BIT", 1, -1, true),
            new ColumnDef("photo", "VARBINARY", 8, -1, true),
            new ColumnDef("size", "ENUM", 1, -1, true, List.of("S", "M", "L")),
            new ColumnDef("doc", "JSON", -1, -1, true),
            new ColumnDef("qty", "SMALLINT", -1, -1, true),
            new ColumnDef("ratio", "FLOAT", -1, -1, true),
            new ColumnDef("note", "VARCHAR", 64, -1, true)), List.of("id"));

    private static final Object[] ROW = {new BigDecimal("18446744073709551615"), new BigDecimal("-1234567890.05"),
            LocalDateTime.of(2026, 11, 21, 9, 0, 0, 123_456_000), Instant.ofEpochSecond(1_795_255_200L, 250_000_000),
            LocalDate.of(2026, 11, 21), Duration.ofHours(-12).minusMinutes(34).minusMillis(56_789), 2026,
            new byte[] {0x0A, 0x01}, Boolean.TRUE, new byte[] {0, (byte) 0xFF}, "M", "{\"a\": [1, 2]}", (short) -3, 0.5f,
            "grüße \uD83D\uDE00"};

    private static final Object[] CHANGED = {new BigDecimal("18446744073709551615"), null, null, null, null, null, null, null,
            Boolean.FALSE, null, "L", null, null, null, "changed"};

    private static JsonChangeEventFormat format(String name) {
        return switch (name) {
            case "dataworks" -> {
                DataWorksFormat format = new DataWorksFormat();
                format.setZone(ZoneId.of("Asia/Shanghai"));
                format.setBusinessSystemId("crm_01");
                yield format;
            }
            case "shareplex" -> {
                SharePlexFormat format = new SharePlexFormat();
                format.setTransactionSequence(true);
                yield format;
            }
            case "maxwell" -> new MaxwellFormat();
            case "debezium" -> debezium(DebeziumFormat.Variant.ENVELOPE_WITH_SCHEMA);
            case "debezium_flatten" -> debezium(DebeziumFormat.Variant.ENVELOPE);
            case "debezium_smt" -> debezium(DebeziumFormat.Variant.NEW_RECORD_STATE);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static DebeziumFormat debezium(DebeziumFormat.Variant variant) {
        DebeziumFormat format = new DebeziumFormat(variant);
        format.setLogicalName("task1");
        format.setVersion("obsync-test");
        return format;
    }

    private static String marshal(JsonChangeEventFormat format, ChangeEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            if (format instanceof DataWorksFormat dataWorks) {
                dataWorks.write(event, json, NOW_MILLIS);
            } else if (format instanceof SharePlexFormat sharePlex) {
                sharePlex.write(event, json, NOW_MILLIS);
            } else if (format instanceof MaxwellFormat maxwell) {
                maxwell.write(event, json);
            } else {
                ((DebeziumFormat) format).write(event, json, NOW_MILLIS * 1000L);
            }
        }
        String value = out.toString(StandardCharsets.UTF_8);
        String key = format.recordKey(event);
        return key == null ? value : "{\"key\":" + key + ",\"value\":" + value + "}";
    }

    private static void assertGolden(String folder, String name, String actual) throws IOException {
        Path file = Path.of("src/test/resources/golden", folder, name + ".json");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual + "\n");
            // a rewritten file proves nothing until someone reviewed it: the run that wrote it fails
            throw new AssertionError(file + " rewritten; review its difference (git diff) and run again without -Dgolden.update");
        }
        assertThat(actual + "\n").as("%s", file).isEqualTo(Files.readString(file));
    }

    private static ChangeEvent ddl(String sql, TableSchema after) {
        return ChangeEvent.builder(Operation.DDL).eventId("mariadb-bin.000001:3713:0:0").tenant("t1").database("shop").table("items")
                .schema(after).commitTimeMillis(1_700_000_000_000L).transactionId("mariadb-bin.000001:3713")
                .position(new SourcePosition(1, "mariadb-bin.000001", 3713, 3713, 0, 0, null))
                .ddl(DdlKind.classify(sql), sql).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dataworks", "shareplex", "debezium", "debezium_flatten", "debezium_smt", "maxwell"})
    void everyRowOperation(String name) throws IOException {
        JsonChangeEventFormat format = format(name);
        // one transaction of three row changes: insert, update, delete
        assertGolden(name, "insert", marshal(format, TestEvents.event(Operation.INSERT, ITEMS, null, ROW).table("items").transaction(1, 3).build()));
        assertGolden(name, "update", marshal(format, TestEvents.event(Operation.UPDATE, ITEMS, ROW, CHANGED).table("items").transaction(2, 3).build()));
        assertGolden(name, "delete", marshal(format, TestEvents.event(Operation.DELETE, ITEMS, CHANGED, null).table("items").transaction(3, 3).build()));
        assertGolden(name, "row", marshal(format, TestEvents.event(Operation.ROW, ITEMS, null, ROW).table("items").build()));
        assertGolden(name, "ddl", marshal(format, ddl("ALTER TABLE shop.items ADD COLUMN note VARCHAR(64) NULL", ITEMS)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"COMMENT ON TABLE shop.items IS 'goods'", "ALTER TABLE shop.items TRUNCATE PARTITION p1"})
    void dataWorksCannotExpressSomeDdl(String sql) {
        assertThat(new DataWorksFormat().canWrite(ddl(sql, null))).isFalse();
        assertThat(new DataWorksFormat().canWrite(ddl("TRUNCATE TABLE shop.items", null))).isTrue();
    }

    @org.junit.jupiter.api.Test
    void maxwellHasNoTruncateAndSharePlexSendsIt() throws IOException {
        ChangeEvent truncate = ddl("TRUNCATE TABLE shop.items", null);
        assertThat(new MaxwellFormat().canWrite(truncate)).isFalse();
        assertGolden("shareplex", "truncate", marshal(format("shareplex"), truncate));
    }

    @org.junit.jupiter.api.Test
    void sharePlexWithoutSequenceLeavesSeqSizeIdxEmpty() throws IOException {
        String json = marshal(new SharePlexFormat(), TestEvents.event(Operation.INSERT, ITEMS, null, ROW).table("items").transaction(1, 3).build());
        assertThat(json).contains("\"seq\":null,\"size\":null").contains("\"idx\":null");
    }

    @ParameterizedTest
    @ValueSource(strings = "dataworks")
    void dataWorksHeartbeat(String name) throws IOException {
        ChangeEvent heartbeat = ChangeEvent.builder(Operation.HEARTBEAT).eventId("heartbeat-1").tenant("t1")
                .commitTimeMillis(1_700_000_001_500L).position(new SourcePosition(1, "mariadb-bin.000001", 4000, 4000, 0, 0, null)).build();
        assertGolden(name, "heartbeat", marshal(format(name), heartbeat));
    }
}
