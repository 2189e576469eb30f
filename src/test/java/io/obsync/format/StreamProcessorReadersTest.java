package io.obsync.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.Operation;
import io.obsync.event.TableSchema;
import io.obsync.event.TestEvents;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.formats.common.TimestampFormat;
import org.apache.flink.formats.json.canal.CanalJsonDeserializationSchema;
import org.apache.flink.formats.json.debezium.DebeziumJsonDeserializationSchema;
import org.apache.flink.formats.json.maxwell.MaxwellJsonDeserializationSchema;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The readers stream processors ship for these layouts (Flink's canal-json, maxwell-json and
 * debezium-json formats) read obsync's messages into the right rows and row kinds.
 */
class StreamProcessorReadersTest {

    private static final TableSchema ITEMS = new TableSchema(List.of(
            new ColumnDef("id", "BIGINT", 20, -1, false),
            new ColumnDef("price", "DECIMAL", 10, 2, true),
            new ColumnDef("note", "VARCHAR", 32, -1, true),
            new ColumnDef("qty", "INT", 11, -1, true),
            new ColumnDef("at", "DATETIME", 3, -1, true)), List.of("id"));

    private static final Object[] BEFORE = {7L, new BigDecimal("9.90"), "new", 1, LocalDateTime.of(2026, 11, 21, 10, 0, 0, 500_000_000)};
    private static final Object[] AFTER = {7L, new BigDecimal("12.00"), "paid", 1, LocalDateTime.of(2026, 11, 21, 10, 0, 0, 500_000_000)};

    /** The table as a Flink user declares it over these topics. */
    private static DataType table(DataType at) {
        return DataTypes.ROW(DataTypes.FIELD("id", DataTypes.BIGINT()), DataTypes.FIELD("price", DataTypes.DECIMAL(10, 2)),
                DataTypes.FIELD("note", DataTypes.STRING()), DataTypes.FIELD("qty", DataTypes.INT()), DataTypes.FIELD("at", at));
    }

    private static List<ChangeEvent> changes() {
        return List.of(TestEvents.event(Operation.INSERT, ITEMS, null, BEFORE).table("items").transaction(1, 3).build(),
                TestEvents.event(Operation.UPDATE, ITEMS, BEFORE, AFTER).table("items").transaction(2, 3).build(),
                TestEvents.event(Operation.DELETE, ITEMS, AFTER, null).table("items").transaction(3, 3).build());
    }

    private static List<RowData> read(JsonChangeEventFormat format, DeserializationSchema<RowData> reader) throws Exception {
        reader.open(null);
        List<RowData> rows = new ArrayList<>();
        Collector<RowData> collector = new Collector<>() {
            @Override
            public void collect(RowData row) {
                rows.add(row);
            }

            @Override
            public void close() {
            }
        };
        for (ChangeEvent event : changes()) {
            reader.deserialize(bytes(format, event), collector);
        }
        return rows;
    }

    private static byte[] bytes(JsonChangeEventFormat format, ChangeEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            format.write(event, json);
        }
        return out.toByteArray();
    }

    private static void assertChanges(List<RowData> rows, boolean timestampColumn) {
        assertThat(rows).extracting(RowData::getRowKind)
                .containsExactly(RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER, RowKind.DELETE);
        assertThat(rows).extracting(r -> r.getLong(0)).containsOnly(7L);
        assertThat(rows).extracting(r -> r.getDecimal(1, 10, 2).toBigDecimal())
                .containsExactly(new BigDecimal("9.90"), new BigDecimal("9.90"), new BigDecimal("12.00"), new BigDecimal("12.00"));
        assertThat(rows).extracting(r -> r.getString(2).toString()).containsExactly("new", "new", "paid", "paid");
        if (timestampColumn) {
            assertThat(rows.get(0).getTimestamp(4, 3).toLocalDateTime()).isEqualTo(LocalDateTime.of(2026, 11, 21, 10, 0, 0, 500_000_000));
        }
    }

    @Test
    void flinkCanalJsonReadsCanal() throws Exception {
        DataType type = table(DataTypes.TIMESTAMP(3));
        CanalJsonDeserializationSchema reader = CanalJsonDeserializationSchema
                .builder(type, List.of(), InternalTypeInfo.of((RowType) type.getLogicalType()))
                .setTimestampFormat(TimestampFormat.SQL).build();
        assertChanges(read(new CanalFormat(), reader), true);
    }

    @Test
    void flinkMaxwellJsonReadsMaxwell() throws Exception {
        DataType type = table(DataTypes.TIMESTAMP(3));
        MaxwellJsonDeserializationSchema reader = new MaxwellJsonDeserializationSchema(type, List.of(),
                InternalTypeInfo.of((RowType) type.getLogicalType()), false, TimestampFormat.SQL);
        assertChanges(read(new MaxwellFormat(), reader), true);
    }

    @Test
    void flinkDebeziumJsonReadsDebeziumAndDebeziumFlattenWithStringDecimals() throws Exception {
        // Debezium writes DATETIME(3) as epoch milliseconds, which Flink maps to BIGINT; DECIMAL needs
        // obsync.format.debezium.decimal-handling-mode=string (Flink's reader does not decode precise bytes)
        DataType type = table(DataTypes.BIGINT());
        for (DebeziumFormat.Variant variant : List.of(DebeziumFormat.Variant.ENVELOPE_WITH_SCHEMA, DebeziumFormat.Variant.ENVELOPE)) {
            DebeziumFormat format = new DebeziumFormat(variant);
            format.setDecimalHandlingMode("string");
            DebeziumJsonDeserializationSchema reader = new DebeziumJsonDeserializationSchema(type, List.of(),
                    InternalTypeInfo.of((RowType) type.getLogicalType()), variant == DebeziumFormat.Variant.ENVELOPE_WITH_SCHEMA,
                    false, TimestampFormat.SQL);
            List<RowData> rows = read(format, reader);
            assertChanges(rows, false);
            assertThat(rows.get(0).getLong(4)).isEqualTo(java.time.Instant.parse("2026-11-21T10:00:00.500Z").toEpochMilli());
        }
    }
}
