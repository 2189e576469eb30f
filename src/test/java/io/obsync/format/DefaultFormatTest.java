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
import org.junit.jupiter.api.Test;

/**
 * The Default format against golden files in src/test/resources/golden/default, reviewed by hand.
 * Run with -Dgolden.update=true to rewrite them after a deliberate change, then review the diff.
 */
class DefaultFormatTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/default");

    private final TableSchema orders = new TableSchema(List.of(
            new ColumnDef("id", "BIGINT", 20, -1, false),
            new ColumnDef("amount", "DECIMAL", 38, 10, true),
            new ColumnDef("created", "DATETIME", 6, -1, true),
            new ColumnDef("paid", "TIMESTAMP", 3, -1, true),
            new ColumnDef("day", "DATE", -1, -1, true),
            new ColumnDef("took", "TIME", 3, -1, true),
            new ColumnDef("photo", "BLOB", -1, -1, true),
            new ColumnDef("note", "VARCHAR", 64, -1, true),
            new ColumnDef("ratio", "DOUBLE", -1, -1, true),
            new ColumnDef("vip", "BIT", 1, -1, true)), List.of("id"));

    private final Object[] row = {42L, new BigDecimal("12345678901234567890123456.0123456789"),
            LocalDateTime.of(2026, 11, 21, 9, 0, 0, 123_456_000), Instant.ofEpochSecond(1_795_255_200L, 250_000_000),
            LocalDate.of(2026, 11, 21), Duration.ofHours(-12).minusMinutes(34).minusMillis(56_789), new byte[] {0, (byte) 0xFF, 16},
            "grüße \"quoted\" \u0001", 2.5, Boolean.TRUE};

    private final Object[] changed = {42L, new BigDecimal("0.0000000001"), null, null, null, null, null, "changed", null, Boolean.FALSE};

    private String marshal(ChangeEvent event) throws IOException {
        return marshal(new DefaultFormat(), event);
    }

    private String marshal(DefaultFormat format, ChangeEvent event) throws IOException {
        format.setSourceIdentity("task-1");
        format.setClusterId("cluster-1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            format.write(event, json);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertGolden(String name, String actual) throws IOException {
        assertGolden(GOLDEN, name, actual);
    }

    private static void assertGolden(Path folder, String name, String actual) throws IOException {
        Path file = folder.resolve(name + ".json");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual + "\n");
        }
        assertThat(actual + "\n").isEqualTo(Files.readString(file));
    }

    @Test
    void insert() throws IOException {
        assertGolden("insert", marshal(TestEvents.event(Operation.INSERT, orders, null, row).build()));
    }

    @Test
    void update() throws IOException {
        assertGolden("update", marshal(TestEvents.event(Operation.UPDATE, orders, row, changed).build()));
    }

    @Test
    void delete() throws IOException {
        assertGolden("delete", marshal(TestEvents.event(Operation.DELETE, orders, changed, null).build()));
    }

    @Test
    void snapshotRow() throws IOException {
        TableSchema composite = new TableSchema(List.of(new ColumnDef("order_id", "BIGINT", 20, -1, false),
                new ColumnDef("line_no", "INT", 11, -1, false), new ColumnDef("sku", "VARCHAR", 32, -1, true)), List.of("order_id", "line_no"));
        ChangeEvent event = TestEvents.event(Operation.ROW, composite, null, new Object[] {7L, 2, "SKU-1"}).build();
        assertGolden("row", marshal(event));
    }

    @Test
    void ddl() throws IOException {
        String sql = "ALTER TABLE shop.orders ADD COLUMN channel VARCHAR(16) NULL";
        ChangeEvent event = ChangeEvent.builder(Operation.DDL)
                .eventId("mariadb-bin.000001:3713:0:0").tenant("t1").database("shop").table("orders")
                .commitTimeMillis(1_700_000_000_000L).transactionId("mariadb-bin.000001:3713")
                .position(new SourcePosition(1, "mariadb-bin.000001", 3713, 3713, 0, 0, null))
                .ddl(DdlKind.classify(sql), sql).build();
        assertGolden("ddl", marshal(event));
    }

    @Test
    void heartbeat() throws IOException {
        ChangeEvent event = ChangeEvent.builder(Operation.HEARTBEAT)
                .eventId("heartbeat-1").tenant("t1").commitTimeMillis(1_700_000_001_500L)
                .position(new SourcePosition(1, "mariadb-bin.000001", 4000, 4000, 0, 0, null)).build();
        assertGolden("heartbeat", marshal(event));
    }

    @Test
    void extendColumnTypeAddsTheColumnTypesToEveryImage() throws IOException {
        Path folder = Path.of("src/test/resources/golden/default_extend_column_type");
        assertGolden(folder, "insert", marshal(new DefaultExtendColumnTypeFormat(), TestEvents.event(Operation.INSERT, orders, null, row).build()));
        assertGolden(folder, "update", marshal(new DefaultExtendColumnTypeFormat(), TestEvents.event(Operation.UPDATE, orders, row, changed).build()));
        assertGolden(folder, "delete", marshal(new DefaultExtendColumnTypeFormat(), TestEvents.event(Operation.DELETE, orders, changed, null).build()));
    }

    @Test
    void storeDataSequenceIncreasesWithinASecondAndRestartsWithTheNext() throws IOException {
        DefaultFormat format = new DefaultFormat();
        ChangeEvent first = TestEvents.event(Operation.INSERT, orders, null, row).build();
        List<Long> sequences = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sequences.add(sequenceOf(format, first));
        }
        ChangeEvent nextSecond = TestEvents.event(Operation.INSERT, orders, null, row).commitTimeMillis(1_700_000_001_000L).build();
        sequences.add(sequenceOf(format, nextSecond));
        assertThat(sequences).containsExactly(170000000000000L, 170000000000001L, 170000000000002L, 170000000100000L);
    }

    private static long sequenceOf(DefaultFormat format, ChangeEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            format.write(event, json);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        int at = text.indexOf("\"storeDataSequence\":") + "\"storeDataSequence\":".length();
        return Long.parseLong(text.substring(at, text.indexOf(',', at)));
    }
}
