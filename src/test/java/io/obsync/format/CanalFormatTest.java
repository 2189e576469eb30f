package io.obsync.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import com.alibaba.otter.canal.protocol.FlatMessage;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.DdlKind;
import io.obsync.event.Operation;
import io.obsync.event.SourcePosition;
import io.obsync.event.TableSchema;
import io.obsync.event.TestEvents;
import org.junit.jupiter.api.Test;

/** Canal FlatMessage: golden files (src/test/resources/golden/canal) and a round trip through Canal's own model. */
class CanalFormatTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden/canal");
    private static final long SENT = 1_700_000_005_000L;

    private final TableSchema orders = new TableSchema(List.of(
            new ColumnDef("id", "BIGINT UNSIGNED", 20, -1, false),
            new ColumnDef("amount", "DECIMAL", 12, 2, true),
            new ColumnDef("created", "DATETIME", 6, -1, true),
            new ColumnDef("paid", "TIMESTAMP", 3, -1, true),
            new ColumnDef("day", "DATE", -1, -1, true),
            new ColumnDef("took", "TIME", 0, -1, true),
            new ColumnDef("photo", "BLOB", -1, -1, true),
            new ColumnDef("note", "VARCHAR", 64, -1, true),
            new ColumnDef("vip", "BIT", 1, -1, true)), List.of("id"));

    private final Object[] row = {new BigDecimal("42"), new BigDecimal("120.50"), LocalDateTime.of(2026, 11, 21, 9, 0, 0, 123_456_000),
            Instant.ofEpochSecond(1_795_255_200L, 250_000_000), LocalDate.of(2026, 11, 21), Duration.ofHours(26).plusSeconds(5),
            new byte[] {0, (byte) 0xFF, 16}, "grüße", Boolean.TRUE};
    private final Object[] paid = {new BigDecimal("42"), new BigDecimal("120.5"), LocalDateTime.of(2026, 11, 21, 9, 0, 0, 123_456_000),
            Instant.ofEpochSecond(1_795_258_800L), LocalDate.of(2026, 11, 21), Duration.ofHours(26).plusSeconds(5),
            new byte[] {0, (byte) 0xFF, 16}, "paid", Boolean.FALSE};

    private static String marshal(ChangeEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            new CanalFormat().write(event, json, SENT);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name + ".json");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual + "\n");
        }
        assertThat(actual + "\n").isEqualTo(Files.readString(file));
    }

    private ChangeEvent ddl(String sql) {
        return ChangeEvent.builder(Operation.DDL).eventId("e").tenant("t1").database("shop").table("orders")
                .commitTimeMillis(1_700_000_000_000L).position(new SourcePosition(1, "f", 1, 1, 0, 0, null))
                .ddl(DdlKind.classify(sql), sql).build();
    }

    @Test
    void enumAndSetColumnsShowTheirValueListsAsMysqlDeclaresThem() throws IOException {
        TableSchema sizes = new TableSchema(List.of(
                new ColumnDef("id", "INT", -1, -1, false),
                new ColumnDef("size", "ENUM", 1, -1, true, List.of("S", "M L", "it's")),
                new ColumnDef("tags", "SET", 1, -1, true, List.of("a", "bb"))), List.of("id"));
        FlatMessage message = read(marshal(TestEvents.event(Operation.INSERT, sizes, null, new Object[] {1, "M L", "a,bb"}).build()));
        assertThat(message.getMysqlType()).containsEntry("size", "enum('S','M L','it''s')").containsEntry("tags", "set('a','bb')");
        assertThat(message.getData().get(0)).containsEntry("size", "M L").containsEntry("tags", "a,bb");
        // information_schema's lengths: the longest ENUM value, every SET value joined with commas
        assertThat(sizes.column(1).declaredLength()).isEqualTo(4);
        assertThat(sizes.column(2).declaredLength()).isEqualTo(4);
    }

    @Test
    void insert() throws IOException {
        assertGolden("insert", marshal(TestEvents.event(Operation.INSERT, orders, null, row).build()));
    }

    @Test
    void updateCarriesOnlyTheChangedColumnsInOld() throws IOException {
        String json = marshal(TestEvents.event(Operation.UPDATE, orders, row, paid).build());
        assertGolden("update", json);
        FlatMessage message = read(json);
        // amount 120.50 -> 120.5 is the same DECIMAL value: not a change
        assertThat(message.getOld().get(0)).containsOnlyKeys("paid", "note", "vip");
        assertThat(message.getData().get(0)).containsEntry("note", "paid").containsEntry("vip", "0");
    }

    @Test
    void deleteCarriesTheRowBeforeInData() throws IOException {
        String json = marshal(TestEvents.event(Operation.DELETE, orders, row, null).build());
        assertGolden("delete", json);
        assertThat(read(json).getOld()).isNull();
    }

    @Test
    void snapshotRowsAreInserts() throws IOException {
        assertThat(read(marshal(TestEvents.event(Operation.ROW, orders, null, row).build())).getType()).isEqualTo("INSERT");
    }

    @Test
    void ddlCarriesTheStatementAndItsKind() throws IOException {
        String json = marshal(ddl("ALTER TABLE shop.orders ADD COLUMN channel VARCHAR(16)"));
        assertGolden("ddl", json);
        FlatMessage message = read(json);
        assertThat(message.getIsDdl()).isTrue();
        assertThat(message.getType()).isEqualTo("ALTER");
        assertThat(message.getData()).isNull();
        assertThat(read(marshal(ddl("DROP TABLE shop.orders"))).getType()).isEqualTo("ERASE");
        assertThat(read(marshal(ddl("CREATE INDEX i ON shop.orders (note)"))).getType()).isEqualTo("CINDEX");
        assertThat(read(marshal(ddl("TRUNCATE TABLE shop.orders"))).getType()).isEqualTo("TRUNCATE");
        assertThat(read(marshal(ddl("RENAME TABLE shop.orders TO shop.o2"))).getType()).isEqualTo("RENAME");
    }

    @Test
    void canalsOwnModelReadsEveryField() throws IOException {
        FlatMessage message = read(marshal(TestEvents.event(Operation.INSERT, orders, null, row).build()));
        assertThat(message.getId()).isEqualTo(1);
        assertThat(message.getDatabase()).isEqualTo("shop");
        assertThat(message.getTable()).isEqualTo("orders");
        assertThat(message.getPkNames()).containsExactly("id");
        assertThat(message.getIsDdl()).isFalse();
        assertThat(message.getType()).isEqualTo("INSERT");
        assertThat(message.getEs()).isEqualTo(1_700_000_000_000L);
        assertThat(message.getTs()).isEqualTo(SENT);
        assertThat(message.getSqlType()).containsEntry("id", Types.BIGINT).containsEntry("note", Types.VARCHAR)
                .containsEntry("photo", Types.BLOB).containsEntry("created", Types.TIMESTAMP);
        assertThat(message.getMysqlType()).containsEntry("id", "bigint(20) unsigned").containsEntry("amount", "decimal(12,2)")
                .containsEntry("created", "datetime(6)").containsEntry("note", "varchar(64)").containsEntry("day", "date");
        Map<String, String> data = message.getData().get(0);
        assertThat(data).containsEntry("id", "42").containsEntry("amount", "120.50")
                .containsEntry("created", "2026-11-21 09:00:00.123456").containsEntry("paid", "2026-11-21 10:00:00.250")
                .containsEntry("took", "26:00:05").containsEntry("vip", "1");
        // binary as Canal writes it: one character per byte, the bytes again with ISO-8859-1
        assertThat(data.get("photo").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).containsExactly(0x00, 0xFF, 0x10);
        assertThat(message.getOld()).isNull();
        assertThat(message.getGtid()).isEmpty();
    }

    @Test
    void heartbeatsHaveNoCanalMessage() {
        ChangeEvent heartbeat = ChangeEvent.builder(Operation.HEARTBEAT).eventId("h").build();
        assertThatThrownBy(() -> marshal(heartbeat)).hasMessageContaining("no heartbeat");
    }

    private static FlatMessage read(String json) throws IOException {
        // Canal's consumers map the JSON onto this class; unknown fields would be a compatibility bug
        return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true).readValue(json, FlatMessage.class);
    }
}
