package io.obsync.format;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonGenerator;
import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.DdlKind;
import io.obsync.event.Operation;
import io.obsync.event.TableSchema;
import io.obsync.event.ValueRendering;
import io.obsync.event.ZeroDate;

/**
 * DataWorks real-time synchronization JSON (V2.0): {@code version}, {@code schema} (columns with one of
 * six logical types, primary key, source) and {@code payload} (before/after images, sequence id,
 * timestamps, op, ddl).
 *
 * <p>Conventions: LONG for integer types and YEAR; DOUBLE for FLOAT/DOUBLE; BOOLEAN for BIT(1) and
 * BOOLEAN; DATE (epoch millis) for DATE, DATETIME (read in the configured zone) and TIMESTAMP (an
 * instant); BYTES (Base64) for binary and BIT(n); STRING for everything else, DECIMAL and unsigned
 * BIGINT included so no digit is lost, TIME as "[-]HH:mm:ss[.ffffff]". An UPDATE is one message with
 * op UPDATE_AFTER holding both images. The business system identifier is
 * {@code schema.source.businessSystemId}. COMMENT ON TABLE, TRUNCATE PARTITION and statements outside
 * the DDL list cannot be expressed and are skipped ({@link #canWrite}).
 */
public class DataWorksFormat extends JsonChangeEventFormat {

    private ZoneId zone = ZoneId.of("UTC");
    private final Object sequenceLock = new Object();
    private long lastSequence;

    @Override
    public String getDataFormatName() {
        return FormatName.DATAWORKS.displayName();
    }

    /** Zone in which DATE and DATETIME values (wall clock) become epoch milliseconds. */
    public void setZone(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone);
    }

    @Override
    public boolean canWrite(ChangeEvent event) {
        return event.operation() != Operation.DDL || ddlOp(event.ddlKind()) != null;
    }

    @Override
    public void write(ChangeEvent event, JsonGenerator out) throws IOException {
        write(event, out, System.currentTimeMillis());
    }

    /** Writes one record; {@code now} becomes systemTime. */
    public void write(ChangeEvent event, JsonGenerator out, long now) throws IOException {
        Operation op = event.operation();
        String opName = switch (op) {
            case INSERT, ROW -> "INSERT";
            case UPDATE -> "UPDATE_AFTER";
            case DELETE -> "DELETE";
            case HEARTBEAT -> "MHEARTBEAT";
            case DDL -> ddlOp(event.ddlKind());
        };
        if (opName == null) {
            throw new IOException("DataWorks cannot express " + event.ddlKind() + " (" + event.ddl() + "); it is skipped before marshalling");
        }
        boolean row = op != Operation.DDL && op != Operation.HEARTBEAT;
        TableSchema schema = row ? event.schema() : null;
        out.writeStartObject();
        out.writeStringField("version", "1.0");
        out.writeObjectFieldStart("schema");
        out.writeArrayFieldStart("dataColumn");
        if (schema != null) {
            for (ColumnDef column : schema.columns()) {
                out.writeStartObject();
                out.writeStringField("name", column.name());
                out.writeStringField("type", logicalType(column));
                out.writeEndObject();
            }
        }
        out.writeEndArray();
        out.writeArrayFieldStart("primaryKey");
        if (schema != null) {
            for (String name : schema.primaryKey()) {
                out.writeString(name);
            }
        }
        out.writeEndArray();
        out.writeObjectFieldStart("source");
        out.writeStringField("dbType", "OceanBase");
        out.writeStringField("dbVersion", "");
        writeNullable(out, "dbName", event.database());
        writeNullable(out, "schemaName", event.database());
        writeNullable(out, "tableName", event.table());
        if (!businessSystemId().isEmpty()) {
            out.writeStringField("businessSystemId", businessSystemId());
        }
        out.writeEndObject();
        out.writeEndObject();

        out.writeObjectFieldStart("payload");
        writeImage(out, "before", schema, op == Operation.UPDATE || op == Operation.DELETE ? event.before() : null);
        writeImage(out, "after", schema, op == Operation.INSERT || op == Operation.ROW || op == Operation.UPDATE ? event.after() : null);
        out.writeStringField("sequenceId", Long.toString(nextSequence(event.commitTimeMillis())));
        out.writeObjectFieldStart("timestamp");
        out.writeNumberField("eventTime", event.commitTimeMillis());
        out.writeNumberField("systemTime", now);
        out.writeNumberField("checkpointTime", event.commitTimeMillis());
        out.writeEndObject();
        out.writeStringField("op", opName);
        writeNullable(out, "ddl", op == Operation.DDL ? event.ddl() : null);
        out.writeEndObject();
        out.writeEndObject();
    }

    private static void writeNullable(JsonGenerator out, String field, String value) throws IOException {
        if (value == null) {
            out.writeNullField(field);
        } else {
            out.writeStringField(field, value);
        }
    }

    /** The DataWorks op of a DDL kind, or null when DataWorks has none. */
    static String ddlOp(DdlKind kind) {
        return switch (kind) {
            case CREATE_TABLE -> "CREATE";
            case ALTER_TABLE -> "ALTER";
            case DROP_TABLE -> "ERASE";
            case TRUNCATE_TABLE -> "TRUNCATE";
            case RENAME_TABLE -> "RENAME";
            case CREATE_INDEX -> "CINDEX";
            case DROP_INDEX -> "DINDEX";
            case COMMENT_ON_TABLE, TRUNCATE_PARTITION, OTHER -> null;
        };
    }

    /** One of BOOLEAN, DOUBLE, DATE, BYTES, LONG, STRING. */
    static String logicalType(ColumnDef column) {
        String base = column.typeName().toUpperCase(Locale.ROOT).replace("ZEROFILL", "").trim();
        boolean unsigned = base.contains("UNSIGNED");
        base = base.replace("UNSIGNED", "").trim();
        return switch (base) {
            case "BOOLEAN", "BOOL" -> "BOOLEAN";
            case "BIT" -> column.length() <= 1 ? "BOOLEAN" : "BYTES";
            case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "YEAR" -> "LONG";
            case "BIGINT" -> unsigned ? "STRING" : "LONG";
            case "FLOAT", "DOUBLE", "DOUBLE PRECISION", "REAL" -> "DOUBLE";
            case "DATE", "DATETIME", "TIMESTAMP" -> "DATE";
            case "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" -> "BYTES";
            default -> "STRING";
        };
    }

    private void writeImage(JsonGenerator out, String name, TableSchema schema, Object[] row) throws IOException {
        if (row == null || schema == null) {
            out.writeNullField(name);
            return;
        }
        out.writeObjectFieldStart(name);
        out.writeObjectFieldStart("dataColumn");
        List<ColumnDef> columns = schema.columns();
        for (int i = 0; i < columns.size(); i++) {
            ColumnDef column = columns.get(i);
            out.writeFieldName(column.name());
            writeValue(out, logicalType(column), row[i], ValueRendering.precisionOf(column.typeName(), column.length()));
        }
        out.writeEndObject();
        out.writeEndObject();
    }

    private void writeValue(JsonGenerator out, String type, Object value, int precision) throws IOException {
        if (value instanceof ZeroDate zero) {
            // a date as epoch milliseconds cannot be zero: the value as Debezium read it; the year 0000 is 0
            value = type.equals("DATE") ? zero.asRead() : zero.number();
        }
        if (value == null) {
            out.writeNull();
            return;
        }
        switch (type) {
            case "BOOLEAN" -> out.writeBoolean(value instanceof Boolean b ? b : ((Number) value).longValue() != 0);
            case "LONG" -> out.writeNumber(((Number) value).longValue());
            // a FLOAT as the shortest decimal that reads back as the same float (3.40282E38, not 3.402820018375656E38)
            case "DOUBLE" -> out.writeNumber(value instanceof Float f ? Double.parseDouble(f.toString()) : ((Number) value).doubleValue());
            case "DATE" -> out.writeNumber(epochMillis(value));
            case "BYTES" -> out.writeString(ValueRendering.base64((byte[]) value));
            default -> out.writeString(text(value, precision));
        }
    }

    private long epochMillis(Object value) {
        if (value instanceof Instant v) {
            return v.toEpochMilli();
        }
        if (value instanceof LocalDateTime v) {
            return v.atZone(zone).toInstant().toEpochMilli();
        }
        return ((LocalDate) value).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    private static String text(Object value, int precision) {
        if (value instanceof Duration v) {
            return ValueRendering.time(v, precision);
        }
        if (value instanceof BigDecimal v) {
            return v.toPlainString();
        }
        if (value instanceof BigInteger v) {
            return v.toString();
        }
        return ValueRendering.text(value);
    }

    /** Increases with every record: the commit time in microseconds, or one more than the last. */
    private long nextSequence(long commitTimeMillis) {
        synchronized (sequenceLock) {
            lastSequence = Math.max(lastSequence + 1, commitTimeMillis * 1000L);
            return lastSequence;
        }
    }
}
