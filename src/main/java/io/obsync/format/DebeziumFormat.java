package io.obsync.format;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.Operation;
import io.obsync.event.SourcePosition;
import io.obsync.event.TableSchema;
import io.obsync.event.ValueRendering;
import io.obsync.event.ZeroDate;

/**
 * The Debezium family: what Debezium's MySQL connector and Kafka's JsonConverter write, from the
 * change-event model alone.
 *
 * <ul>
 * <li>{@link Variant#ENVELOPE_WITH_SCHEMA} (Debezium): {@code {"schema": ..., "payload": {before, after, source,
 *     transaction, op, ts_ms, ts_us, ts_ns}}}, JsonConverter with schemas enabled; the record key likewise.</li>
 * <li>{@link Variant#ENVELOPE} (DebeziumFlatten): the payload alone, JsonConverter with schemas disabled.</li>
 * <li>{@link Variant#NEW_RECORD_STATE} (DebeziumSmt): the row as ExtractNewRecordState flattens it with
 *     {@code add.fields=op,db,table,source.ts_ms} and deletes rewritten: columns plus {@code __deleted},
 *     {@code __op}, {@code __db}, {@code __table}, {@code __source_ts_ms}.</li>
 * </ul>
 * DDL is Debezium's schema-change event ({@code databaseName}, {@code ddl}, {@code tableChanges}) in every variant.
 */
public class DebeziumFormat extends JsonChangeEventFormat {

    /** Which member of the family. */
    public enum Variant {
        ENVELOPE_WITH_SCHEMA(FormatName.DEBEZIUM),
        ENVELOPE(FormatName.DEBEZIUM_FLATTEN),
        NEW_RECORD_STATE(FormatName.DEBEZIUM_SMT);

        private final FormatName name;

        Variant(FormatName name) {
            this.name = name;
        }
    }

    private static final String CONNECTOR = "mysql";

    private final Variant variant;
    private final JsonFactory json = JsonFactory.builder().build();
    private final Map<TableSchema, Layout> layouts = new ConcurrentHashMap<>();
    private String logicalName = "obsync";
    private String version = DebeziumFormat.class.getPackage().getImplementationVersion() == null
            ? "obsync" : "obsync-" + DebeziumFormat.class.getPackage().getImplementationVersion();
    private ConnectType.DecimalHandling decimals = ConnectType.DecimalHandling.PRECISE;

    public DebeziumFormat(Variant variant) {
        this.variant = variant;
    }

    @Override
    public String getDataFormatName() {
        return variant.name.displayName();
    }

    /** Debezium's topic.prefix: source.name and the prefix of the schema names (the task name). */
    public void setLogicalName(String logicalName) {
        this.logicalName = logicalName;
        layouts.clear();
    }

    /** Debezium's decimal.handling.mode: precise (default), string or double. */
    public void setDecimalHandlingMode(String mode) {
        this.decimals = ConnectType.DecimalHandling.parse(mode);
        layouts.clear();
    }

    /** Written into source.version. */
    public void setVersion(String version) {
        this.version = version;
    }

    @Override
    public void write(ChangeEvent event, JsonGenerator out) throws IOException {
        write(event, out, System.currentTimeMillis() * 1000L);
    }

    /** Writes one message; {@code nowMicros} becomes the envelope's ts_ms/ts_us/ts_ns (processing time). */
    public void write(ChangeEvent event, JsonGenerator out, long nowMicros) throws IOException {
        Operation op = event.operation();
        if (op == Operation.HEARTBEAT) {
            throw new IOException("The " + getDataFormatName() + " format has no heartbeat; heartbeats are refused at start-up for it");
        }
        if (op == Operation.DDL) {
            writeSchemaChange(event, out, nowMicros);
            return;
        }
        Layout layout = layout(event);
        if (variant == Variant.NEW_RECORD_STATE) {
            writeNewRecordState(event, layout, out);
            return;
        }
        openEnvelope(out, layout.envelopeSchema);
        out.writeStartObject();
        out.writeFieldName("before");
        writeRow(out, layout, op == Operation.UPDATE || op == Operation.DELETE ? event.before() : null);
        out.writeFieldName("after");
        writeRow(out, layout, op == Operation.DELETE ? null : event.after());
        writeSource(out, event);
        out.writeNullField("transaction");
        out.writeStringField("op", opCode(op));
        writeProcessingTime(out, nowMicros);
        out.writeEndObject();
        closeEnvelope(out);
    }

    /**
     * The Kafka record key as Debezium writes it: the primary-key columns (with their schema for the
     * Debezium variant), {@code databaseName} for DDL; null for tables without a primary key.
     */
    @Override
    public String recordKey(ChangeEvent event) throws IOException {
        StringWriter text = new StringWriter(64);
        try (JsonGenerator out = json.createGenerator(text)) {
            if (event.operation() == Operation.DDL) {
                openEnvelope(out, DebeziumSchemas.SCHEMA_CHANGE_KEY);
                out.writeStartObject();
                out.writeStringField("databaseName", event.database() == null ? "" : event.database());
                out.writeEndObject();
                closeEnvelope(out);
            } else {
                TableSchema schema = event.schema();
                Object[] row = event.currentImage();
                if (schema == null || row == null || !schema.hasPrimaryKey() || event.operation() == Operation.HEARTBEAT) {
                    return null;
                }
                Layout layout = layout(event);
                openEnvelope(out, layout.keySchema);
                out.writeStartObject();
                for (int index : schema.primaryKeyIndexes()) {
                    out.writeFieldName(schema.column(index).name());
                    writeValue(out, layout, index, row[index]);
                }
                out.writeEndObject();
                closeEnvelope(out);
            }
        }
        return text.toString();
    }

    /** With schemas (the Debezium variant), a value is {"schema": ..., "payload": ...}; the others write the payload alone. */
    private void openEnvelope(JsonGenerator out, String schema) throws IOException {
        if (variant == Variant.ENVELOPE_WITH_SCHEMA) {
            out.writeStartObject();
            out.writeFieldName("schema");
            out.writeRawValue(schema);
            out.writeFieldName("payload");
        }
    }

    private void closeEnvelope(JsonGenerator out) throws IOException {
        if (variant == Variant.ENVELOPE_WITH_SCHEMA) {
            out.writeEndObject();
        }
    }

    private static String opCode(Operation op) {
        return switch (op) {
            case INSERT -> "c";
            case UPDATE -> "u";
            case DELETE -> "d";
            case ROW -> "r";
            default -> throw new IllegalArgumentException(op + " is not a row change");
        };
    }

    private void writeNewRecordState(ChangeEvent event, Layout layout, JsonGenerator out) throws IOException {
        boolean deleted = event.operation() == Operation.DELETE;
        Object[] row = deleted ? event.before() : event.after();
        out.writeStartObject();
        List<ColumnDef> columns = event.schema().columns();
        for (int i = 0; i < columns.size(); i++) {
            out.writeFieldName(columns.get(i).name());
            writeValue(out, layout, i, row[i]);
        }
        out.writeStringField("__deleted", deleted ? "true" : "false");
        out.writeStringField("__op", opCode(event.operation()));
        out.writeStringField("__db", event.database());
        out.writeStringField("__table", event.table());
        out.writeNumberField("__source_ts_ms", event.commitTimeMillis());
        out.writeEndObject();
    }

    private void writeRow(JsonGenerator out, Layout layout, Object[] row) throws IOException {
        if (row == null) {
            out.writeNull();
            return;
        }
        out.writeStartObject();
        for (int i = 0; i < row.length; i++) {
            out.writeFieldName(layout.names[i]);
            writeValue(out, layout, i, row[i]);
        }
        out.writeEndObject();
    }

    private void writeSource(JsonGenerator out, ChangeEvent event) throws IOException {
        SourcePosition position = event.position();
        long commit = event.commitTimeMillis();
        out.writeObjectFieldStart("source");
        out.writeStringField("version", version);
        out.writeStringField("connector", CONNECTOR);
        out.writeStringField("name", logicalName);
        out.writeNumberField("ts_ms", commit);
        out.writeStringField("snapshot", event.operation() == Operation.ROW ? "true" : "false");
        out.writeStringField("db", event.database() == null ? "" : event.database());
        out.writeNullField("sequence");
        out.writeNumberField("ts_us", commit * 1000L);
        out.writeNumberField("ts_ns", commit * 1_000_000L);
        if (event.table() == null) {
            out.writeNullField("table");
        } else {
            out.writeStringField("table", event.table());
        }
        out.writeNumberField("server_id", position == null ? 0L : position.serverId());
        if (position == null || position.gtid() == null) {
            out.writeNullField("gtid");
        } else {
            out.writeStringField("gtid", position.gtid());
        }
        out.writeStringField("file", position == null || position.file() == null ? "" : position.file());
        out.writeNumberField("pos", position == null ? 0L : position.position());
        out.writeNumberField("row", position == null ? 0 : position.rowInEvent());
        out.writeNullField("thread");
        out.writeNullField("query");
        out.writeEndObject();
    }

    private static void writeProcessingTime(JsonGenerator out, long nowMicros) throws IOException {
        out.writeNumberField("ts_ms", nowMicros / 1000L);
        out.writeNumberField("ts_us", nowMicros);
        out.writeNumberField("ts_ns", nowMicros * 1000L);
    }

    private void writeSchemaChange(ChangeEvent event, JsonGenerator out, long nowMicros) throws IOException {
        openEnvelope(out, DebeziumSchemas.SCHEMA_CHANGE_VALUE);
        out.writeStartObject();
        writeSource(out, event);
        out.writeNumberField("ts_ms", nowMicros / 1000L);
        out.writeStringField("databaseName", event.database() == null ? "" : event.database());
        out.writeNullField("schemaName");
        out.writeStringField("ddl", event.ddl());
        out.writeArrayFieldStart("tableChanges");
        if (event.table() != null) {
            writeTableChange(event, out);
        }
        out.writeEndArray();
        out.writeEndObject();
        closeEnvelope(out);
    }

    /** One entry of tableChanges: what the model knows of the table after the statement. */
    private static void writeTableChange(ChangeEvent event, JsonGenerator out) throws IOException {
        TableSchema table = event.schema();
        out.writeStartObject();
        out.writeStringField("type", switch (event.ddlKind()) {
            case CREATE_TABLE -> "CREATE";
            case DROP_TABLE -> "DROP";
            default -> "ALTER";
        });
        out.writeStringField("id", "\"" + event.database() + "\".\"" + event.table() + "\"");
        if (table == null) {
            out.writeNullField("table");
        } else {
            out.writeObjectFieldStart("table");
            out.writeNullField("defaultCharsetName");
            out.writeArrayFieldStart("primaryKeyColumnNames");
            for (String name : table.primaryKey()) {
                out.writeString(name);
            }
            out.writeEndArray();
            out.writeArrayFieldStart("columns");
            List<ColumnDef> columns = table.columns();
            for (int i = 0; i < columns.size(); i++) {
                writeColumn(out, columns.get(i), i + 1);
            }
            out.writeEndArray();
            out.writeNullField("comment");
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    private static void writeColumn(JsonGenerator out, ColumnDef column, int position) throws IOException {
        out.writeStartObject();
        out.writeStringField("name", column.name());
        out.writeNumberField("jdbcType", DebeziumSchemas.jdbcType(column.typeName()));
        out.writeNullField("nativeType");
        out.writeStringField("typeName", column.typeName());
        out.writeStringField("typeExpression", column.typeName());
        out.writeNullField("charsetName");
        if (column.length() >= 0) {
            out.writeNumberField("length", column.length());
        } else {
            out.writeNullField("length");
        }
        if (column.scale() >= 0) {
            out.writeNumberField("scale", column.scale());
        } else {
            out.writeNullField("scale");
        }
        out.writeNumberField("position", position);
        out.writeBooleanField("optional", column.optional());
        out.writeBooleanField("autoIncremented", false);
        out.writeBooleanField("generated", false);
        out.writeNullField("comment");
        out.writeNullField("defaultValueExpression");
        if (column.enumValues().isEmpty()) {
            out.writeNullField("enumValues");
        } else {
            out.writeArrayFieldStart("enumValues");
            for (String value : column.enumValues()) {
                out.writeString("'" + value + "'");
            }
            out.writeEndArray();
        }
        out.writeEndObject();
    }

    private void writeValue(JsonGenerator out, Layout layout, int index, Object value) throws IOException {
        writeValue(out, layout.types[index], layout.precisions[index], value);
    }

    /** A model value as JsonConverter writes the Connect value of the type (also a column's default in the schema). */
    static void writeValue(JsonGenerator out, ConnectType type, int precision, Object value) throws IOException {
        if (value instanceof ZeroDate zero) {
            // Debezium's own rule for a zero date: what its reader made of it
            value = zero.asRead();
        }
        if (value == null) {
            out.writeNull();
            return;
        }
        switch (type.kind()) {
            case BOOLEAN -> out.writeBoolean(value instanceof Boolean b ? b : ((Number) value).longValue() != 0);
            case INT16, INT32, INT64, YEAR -> out.writeNumber(((Number) value).longValue());
            case FLOAT32 -> out.writeNumber(((Number) value).floatValue());
            case FLOAT64, DECIMAL_DOUBLE -> out.writeNumber(((Number) value).doubleValue());
            case DECIMAL_STRING -> out.writeString(decimal(value).toPlainString());
            case DECIMAL_BYTES -> {
                BigDecimal exact = decimal(value).setScale(type.scale(), RoundingMode.UNNECESSARY);
                out.writeString(ValueRendering.base64(exact.unscaledValue().toByteArray()));
            }
            case BYTES -> out.writeString(ValueRendering.base64(value instanceof byte[] b ? b : value.toString().getBytes(StandardCharsets.UTF_8)));
            case BITS -> out.writeString(ValueRendering.base64(littleEndian((byte[]) value)));
            case DATE -> out.writeNumber(((LocalDate) value).toEpochDay());
            case MICRO_TIME -> {
                Duration time = (Duration) value;
                out.writeNumber(time.getSeconds() * 1_000_000L + time.getNano() / 1000);
            }
            case TIMESTAMP_MILLIS -> out.writeNumber(((LocalDateTime) value).toInstant(ZoneOffset.UTC).toEpochMilli());
            case TIMESTAMP_MICROS -> {
                Instant instant = ((LocalDateTime) value).toInstant(ZoneOffset.UTC);
                out.writeNumber(instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000);
            }
            case ZONED_TIMESTAMP -> out.writeString(zoned((Instant) value, precision));
            case STRING -> out.writeString(ValueRendering.text(value));
        }
    }

    private static BigDecimal decimal(Object value) {
        return value instanceof BigDecimal d ? d : new BigDecimal(value.toString());
    }

    /** ISO-8601 in UTC with the column's fractional digits, as Debezium's ZonedTimestamp: 2024-05-01T12:30:00.500000Z. */
    static String zoned(Instant instant, int precision) {
        String local = ValueRendering.dateTime(LocalDateTime.ofInstant(instant, ZoneOffset.UTC), Math.max(precision, 0));
        return local.replace(' ', 'T') + 'Z';
    }

    // the model holds BIT(n) big-endian, as MySQL clients read it; Debezium's Bits are little-endian
    private static byte[] littleEndian(byte[] bigEndian) {
        byte[] out = new byte[bigEndian.length];
        for (int i = 0; i < bigEndian.length; i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return out;
    }

    private Layout layout(ChangeEvent event) {
        Layout layout = layouts.get(event.schema());
        if (layout == null || !layout.isFor(event)) {
            layout = new Layout(event.schema(), logicalName, event.database(), event.table(), decimals);
            layouts.put(event.schema(), layout);
        }
        return layout;
    }

    /** Per table version: each column's Connect type and the schemas as JSON text, computed once. */
    private static final class Layout {
        final String database;
        final String table;
        final String[] names;
        final ConnectType[] types;
        final int[] precisions;
        final String envelopeSchema;
        final String keySchema;

        Layout(TableSchema schema, String logicalName, String database, String table, ConnectType.DecimalHandling decimals) {
            this.database = database;
            this.table = table;
            String prefix = logicalName + "." + database + "." + table;
            List<ColumnDef> columns = schema.columns();
            names = new String[columns.size()];
            types = new ConnectType[columns.size()];
            precisions = new int[columns.size()];
            for (int i = 0; i < columns.size(); i++) {
                ColumnDef column = columns.get(i);
                names[i] = column.name();
                types[i] = ConnectType.of(column, decimals);
                precisions[i] = column.length();
            }
            envelopeSchema = DebeziumSchemas.envelope(prefix, columns, types);
            keySchema = DebeziumSchemas.key(prefix, schema, types);
        }

        boolean isFor(ChangeEvent event) {
            return Objects.equals(database, event.database()) && Objects.equals(table, event.table());
        }
    }
}
