package io.obsync.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Records shaped as the Debezium MySQL connector emits them, turned into the model. */
class DebeziumRecordConverterTest {

    private static final Schema KEY = SchemaBuilder.struct().name("it.shop.orders.Key").field("id", Schema.INT32_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("it.shop.orders.Value").optional()
            .field("id", Schema.INT32_SCHEMA)
            .field("dt", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
            .field("dt3", SchemaBuilder.int64().name("io.debezium.time.Timestamp").optional().build())
            .field("ts", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional().build())
            .field("t", SchemaBuilder.int64().name("io.debezium.time.MicroTime").optional().build())
            .field("d", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
            .field("y", SchemaBuilder.int32().name("io.debezium.time.Year").optional().build())
            .field("bits", SchemaBuilder.bytes().name("io.debezium.data.Bits").optional().build())
            .field("amount", Decimal.builder(2).optional().parameter("__debezium.source.column.type", "DECIMAL")
                    .parameter("__debezium.source.column.length", "12").parameter("__debezium.source.column.scale", "2").build())
            .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("note", SchemaBuilder.string().optional().parameter("__debezium.source.column.type", "VARCHAR").build())
            .build();
    private static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.mysql.Source")
            .field("server_id", Schema.INT64_SCHEMA).field("file", Schema.STRING_SCHEMA).field("pos", Schema.INT64_SCHEMA)
            .field("row", Schema.INT32_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA).field("db", Schema.STRING_SCHEMA)
            .field("table", Schema.OPTIONAL_STRING_SCHEMA).field("gtid", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("it.shop.orders.Envelope")
            .field("before", ROW).field("after", ROW).field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();

    private final DebeziumRecordConverter converter = new DebeziumRecordConverter("tenant1");

    private static Struct row(int id) {
        return new Struct(ROW).put("id", id)
                .put("dt", -1L)                          // one microsecond before 1970
                .put("dt3", 1_700_000_000_123L)
                .put("ts", "2026-01-02T03:04:05.654321Z")
                .put("t", -45_296_789_000L)              // -12:34:56.789
                .put("d", 20_454)
                .put("y", 2026)
                .put("bits", ByteBuffer.wrap(new byte[] {0x03, 0x0A}))  // little-endian from Debezium
                .put("amount", new BigDecimal("120.50"))
                .put("blob", ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .put("note", null);
    }

    private static SourceRecord record(String op, Struct before, Struct after, long pos, int row) {
        Struct source = new Struct(SOURCE).put("server_id", 1L).put("file", "mariadb-bin.000003").put("pos", pos + 100)
                .put("row", row).put("ts_ms", 1_700_000_000_000L).put("db", "shop").put("table", "orders");
        Struct envelope = new Struct(ENVELOPE).put("before", before).put("after", after).put("source", source).put("op", op);
        Map<String, ?> offset = Map.of("file", "mariadb-bin.000003", "pos", pos, "event", 2L, "row", row + 1);
        return new SourceRecord(Map.of("server", "x"), offset, "it.shop.orders", null, KEY,
                new Struct(KEY).put("id", (after != null ? after : before).getInt32("id")), ENVELOPE, envelope);
    }

    @Test
    void insertBecomesTheModelWithJavaValues() {
        ChangeEvent event = converter.convert(record("c", null, row(1), 4000, 0));
        assertThat(event.operation()).isEqualTo(Operation.INSERT);
        assertThat(event.qualifiedDatabase()).isEqualTo("tenant1.shop");
        assertThat(event.table()).isEqualTo("orders");
        assertThat(event.before()).isNull();
        assertThat(event.schema().primaryKey()).containsExactly("id");
        assertThat(event.schema().column(8)).isEqualTo(new ColumnDef("amount", "DECIMAL", 12, 2, true));
        assertThat(event.schema().column(2).typeName()).isEqualTo("INT64");
        Object[] after = event.after();
        assertThat(after[0]).isEqualTo(1);
        assertThat(after[1]).isEqualTo(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000));
        assertThat(after[2]).isEqualTo(LocalDateTime.of(2023, 11, 14, 22, 13, 20, 123_000_000));
        assertThat(after[3]).isEqualTo(Instant.parse("2026-01-02T03:04:05.654321Z"));
        assertThat(after[4]).isEqualTo(Duration.ofHours(-12).minusMinutes(34).minusSeconds(56).minusMillis(789));
        assertThat(after[5]).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(after[6]).isEqualTo(2026);
        assertThat((byte[]) after[7]).containsExactly(0x0A, 0x03);
        assertThat(after[8]).isEqualTo(new BigDecimal("120.50"));
        assertThat((byte[]) after[9]).containsExactly(1, 2, 3);
        assertThat(after[10]).isNull();
        assertThat(event.commitTimeMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(event.transactionId()).isEqualTo("mariadb-bin.000003:4000");
        assertThat(event.position()).isEqualTo(new SourcePosition(1, "mariadb-bin.000003", 4100, 4000, 0, 0, null));
    }

    @Test
    void eventIdIsStableAndDistinctPerRow() {
        ChangeEvent first = converter.convert(record("c", null, row(1), 4000, 0));
        ChangeEvent again = new DebeziumRecordConverter("tenant1").convert(record("c", null, row(1), 4000, 0));
        ChangeEvent secondRow = converter.convert(record("c", null, row(2), 4000, 1));
        // <file>:<position of the transaction's first event (source.pos)>:<row event in the transaction>:<row in event>
        assertThat(first.eventId()).isEqualTo(again.eventId()).isEqualTo("mariadb-bin.000003:4100:0:0");
        assertThat(secondRow.eventId()).isEqualTo("mariadb-bin.000003:4100:0:1");
    }

    @Test
    void eventIdNamesTheGtidWhenTheSourceHasOne() {
        SourceRecord record = record("c", null, row(1), 4000, 0);
        ((Struct) record.value()).getStruct("source").put("gtid", "3e11fa47-71ca-11e1-9e33-c80aa9429562:23");
        assertThat(converter.convert(record).eventId()).isEqualTo("3e11fa47-71ca-11e1-9e33-c80aa9429562:23:0:0");
    }

    @Test
    void recordsSharingOneCoordinateAreNumbered() {
        // a statement that Debezium reports as two records at one place (DROP TABLE a, b)
        ChangeEvent first = converter.convert(record("c", null, row(1), 4000, 0));
        ChangeEvent second = converter.convert(record("c", null, row(2), 4000, 0));
        ChangeEvent next = converter.convert(record("c", null, row(3), 4000, 1));
        assertThat(first.eventId()).isEqualTo("mariadb-bin.000003:4100:0:0");
        assertThat(second.eventId()).isEqualTo("mariadb-bin.000003:4100:0:0:2");
        assertThat(second.position().occurrence()).isEqualTo(2);
        assertThat(next.eventId()).isEqualTo("mariadb-bin.000003:4100:0:1");
    }

    @Test
    void snapshotRowsOfATableWithoutKeyAreNumberedInReadOrder() {
        Schema keyless = SchemaBuilder.struct().name("it.shop.log.Value").optional().field("note", Schema.OPTIONAL_STRING_SCHEMA).build();
        Schema envelope = SchemaBuilder.struct().name("it.shop.log.Envelope")
                .field("before", keyless).field("after", keyless).field("source", SOURCE).field("op", Schema.STRING_SCHEMA).build();
        java.util.function.IntFunction<SourceRecord> snapshotRow = i -> {
            Struct source = new Struct(SOURCE).put("server_id", 1L).put("file", "mariadb-bin.000003").put("pos", 900L)
                    .put("row", 0).put("ts_ms", 0L).put("db", "shop").put("table", "log");
            Struct value = new Struct(envelope).put("after", new Struct(keyless).put("note", "same")).put("source", source).put("op", "r");
            return new SourceRecord(Map.of("server", "x"), Map.of("file", "mariadb-bin.000003", "pos", 900L, "snapshot", true),
                    "it.shop.log", null, null, null, envelope, value);
        };
        assertThat(converter.convert(snapshotRow.apply(1)).eventId()).isEqualTo("snapshot:mariadb-bin.000003:900:shop.log:row:1");
        assertThat(converter.convert(snapshotRow.apply(2)).eventId()).isEqualTo("snapshot:mariadb-bin.000003:900:shop.log:row:2");
        // a new read of the snapshot (a restart) numbers its rows from 1 again
        assertThat(new DebeziumRecordConverter("t").convert(snapshotRow.apply(1)).eventId())
                .isEqualTo("snapshot:mariadb-bin.000003:900:shop.log:row:1");
    }

    @Test
    void primaryKeyUpdateHalvesGetTheirOwnIds() {
        SourceRecord delete = record("d", row(1), null, 5000, 0);
        delete.headers().addString("__debezium.newkey", "{\"id\":2}");
        SourceRecord create = record("c", null, row(2), 5000, 0);
        create.headers().addString("__debezium.oldkey", "{\"id\":1}");
        assertThat(converter.convert(delete).eventId()).isEqualTo("mariadb-bin.000003:5100:0:0:key-moved-delete");
        assertThat(converter.convert(create).eventId()).isEqualTo("mariadb-bin.000003:5100:0:0:key-moved-insert");
    }

    @Test
    void updateAndDeleteCarryTheirImages() {
        Struct before = row(1);
        Struct after = row(1).put("note", "changed");
        ChangeEvent update = converter.convert(record("u", before, after, 6000, 0));
        assertThat(update.operation()).isEqualTo(Operation.UPDATE);
        assertThat(update.before()[10]).isNull();
        assertThat(update.after()[10]).isEqualTo("changed");
        ChangeEvent delete = converter.convert(record("d", after, null, 7000, 0));
        assertThat(delete.operation()).isEqualTo(Operation.DELETE);
        assertThat(delete.currentImage()[10]).isEqualTo("changed");
        // one table version, one schema object
        assertThat(update.schema()).isSameAs(delete.schema());
    }

    @Test
    void tombstonesCarryNoChange() {
        SourceRecord tombstone = new SourceRecord(Map.of(), Map.of("file", "f", "pos", 1L), "it.shop.orders", null, KEY,
                new Struct(KEY).put("id", 1), null, null);
        assertThat(converter.convert(tombstone)).isNull();
    }
}
