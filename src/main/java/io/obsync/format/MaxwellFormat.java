package io.obsync.format;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.DdlKind;
import io.obsync.event.Operation;
import io.obsync.event.SourcePosition;
import io.obsync.event.TableSchema;
import io.obsync.event.ValueRendering;
import io.obsync.event.ZeroDate;

/**
 * Maxwell's JSON (Kafka only): database, table, type, ts, xid, xoffset, commit on the last row of a
 * transaction, position, server_id, thread_id, primary_key, primary_key_columns, data, old.
 *
 * <p>Conventions: values keep their JSON types: integers and DECIMAL are exact JSON numbers, BIT(1)
 * a boolean and BIT(n) its unsigned number, JSON columns embedded as JSON; DATETIME
 * "yyyy-MM-dd HH:mm:ss[.ffffff]" as on the source, TIMESTAMP the same form in UTC, TIME
 * "[-]HH:mm:ss[.ffffff]", binary Base64. {@code xid} is {binlog file number}{transaction start};
 * {@code xoffset} the 0-based row index in the transaction; {@code thread_id} 0 (the binlog service does
 * not report it). Snapshot rows are {@code insert}. DDL is {@code table-create}, {@code table-alter} or
 * {@code table-drop}; TRUNCATE and statements outside those have no Maxwell form and are skipped.
 */
public class MaxwellFormat extends JsonChangeEventFormat {

    private static final JsonFactory KEYS = JsonFactory.builder().build();

    @Override
    public String getDataFormatName() {
        return FormatName.MAXWELL.displayName();
    }

    @Override
    public boolean needsTransactionBoundaries() {
        return true;
    }

    @Override
    public boolean canWrite(ChangeEvent event) {
        return event.operation() != Operation.DDL || ddlType(event.ddlKind()) != null;
    }

    @Override
    public void write(ChangeEvent event, JsonGenerator out) throws IOException {
        Operation op = event.operation();
        SourcePosition position = event.position();
        out.writeStartObject();
        if (op == Operation.HEARTBEAT) {
            throw new IOException("Maxwell has no heartbeat message; heartbeats are refused at start-up for it");
        }
        if (op == Operation.DDL) {
            String type = ddlType(event.ddlKind());
            if (type == null) {
                throw new IOException("Maxwell cannot express " + event.ddlKind() + "; it is skipped before marshalling");
            }
            out.writeStringField("type", type);
            out.writeStringField("database", event.database());
            out.writeStringField("table", event.table());
            out.writeStringField("sql", event.ddl());
            out.writeNumberField("ts", Math.floorDiv(event.commitTimeMillis(), 1000L));
            writePosition(out, position);
            out.writeEndObject();
            return;
        }
        out.writeStringField("database", event.database());
        out.writeStringField("table", event.table());
        out.writeStringField("type", switch (op) {
            case INSERT, ROW -> "insert";
            case UPDATE -> "update";
            default -> "delete";
        });
        out.writeNumberField("ts", Math.floorDiv(event.commitTimeMillis(), 1000L));
        out.writeNumberField("xid", TransactionNumbers.of(position));
        if (event.transactionOrder() > 0) {
            out.writeNumberField("xoffset", event.transactionOrder() - 1);
        }
        if (event.lastInTransaction()) {
            out.writeBooleanField("commit", true);
        }
        writePosition(out, position);
        out.writeNumberField("server_id", position == null ? 0 : position.serverId());
        out.writeNumberField("thread_id", 0);
        TableSchema schema = event.schema();
        Object[] row = event.currentImage();
        out.writeArrayFieldStart("primary_key");
        for (int index : schema.primaryKeyIndexes()) {
            writeValue(out, schema.column(index), row[index]);
        }
        out.writeEndArray();
        out.writeArrayFieldStart("primary_key_columns");
        for (String name : schema.primaryKey()) {
            out.writeString(name);
        }
        out.writeEndArray();
        out.writeObjectFieldStart("data");
        List<ColumnDef> columns = schema.columns();
        for (int i = 0; i < columns.size(); i++) {
            out.writeFieldName(columns.get(i).name());
            writeValue(out, columns.get(i), row[i]);
        }
        out.writeEndObject();
        if (op == Operation.UPDATE) {
            out.writeObjectFieldStart("old");
            Object[] before = event.before();
            Object[] after = event.after();
            for (int i = 0; i < columns.size(); i++) {
                if (!ValueRendering.sameValue(before[i], after[i])) {
                    out.writeFieldName(columns.get(i).name());
                    writeValue(out, columns.get(i), before[i]);
                }
            }
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    /** Maxwell's default ("hash") Kafka key: {"database":..,"table":..,"pk.<column>":value,...}; null without a primary key. */
    @Override
    public String recordKey(ChangeEvent event) throws IOException {
        TableSchema schema = event.schema();
        Object[] row = event.currentImage();
        if (!event.operation().isRowChange() || schema == null || row == null || !schema.hasPrimaryKey()) {
            return null;
        }
        StringWriter text = new StringWriter(64);
        try (JsonGenerator out = KEYS.createGenerator(text)) {
            out.writeStartObject();
            out.writeStringField("database", event.database());
            out.writeStringField("table", event.table());
            for (int index : schema.primaryKeyIndexes()) {
                out.writeFieldName("pk." + schema.column(index).name());
                writeValue(out, schema.column(index), row[index]);
            }
            out.writeEndObject();
        }
        return text.toString();
    }

    private static void writePosition(JsonGenerator out, SourcePosition position) throws IOException {
        out.writeStringField("position", position == null ? "" : position.file() + ":" + position.position());
    }

    static String ddlType(DdlKind kind) {
        return switch (kind) {
            case CREATE_TABLE -> "table-create";
            case DROP_TABLE -> "table-drop";
            case ALTER_TABLE, RENAME_TABLE, CREATE_INDEX, DROP_INDEX, COMMENT_ON_TABLE, TRUNCATE_PARTITION -> "table-alter";
            case TRUNCATE_TABLE, OTHER -> null;
        };
    }

    private static void writeValue(JsonGenerator out, ColumnDef column, Object value) throws IOException {
        int precision = ValueRendering.precisionOf(column.typeName(), column.length());
        if (value == null) {
            out.writeNull();
        } else if (value instanceof BigDecimal v) {
            out.writeNumber(v);
        } else if (value instanceof BigInteger v) {
            out.writeNumber(v);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double v) {
            out.writeNumber(v);
        } else if (value instanceof Float v) {
            out.writeNumber(v);
        } else if (value instanceof Boolean v) {
            out.writeBoolean(v);
        } else if (value instanceof ZeroDate v && v.number() != null) {
            // the year 0000
            out.writeNumber(v.number());
        } else if (value instanceof byte[] bytes && column.typeName().toUpperCase(Locale.ROOT).startsWith("BIT")) {
            out.writeNumber(new BigInteger(1, bytes));
        } else if (value instanceof LocalDateTime v) {
            out.writeString(ValueRendering.dateTime(v, precision));
        } else if (value instanceof Instant v) {
            out.writeString(ValueRendering.dateTime(LocalDateTime.ofInstant(v, ZoneOffset.UTC), precision));
        } else if (value instanceof Duration v) {
            out.writeString(ValueRendering.time(v, precision));
        } else if (value instanceof String text && "JSON".equalsIgnoreCase(column.typeName())) {
            out.writeRawValue(text);
        } else {
            out.writeString(ValueRendering.text(value));
        }
    }
}
