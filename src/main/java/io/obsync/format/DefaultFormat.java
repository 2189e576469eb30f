package io.obsync.format;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonGenerator;
import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.Operation;
import io.obsync.event.TableSchema;
import io.obsync.event.ValueRendering;
import io.obsync.event.ZeroDate;

/**
 * The OMS "Default" JSON layout: prevStruct, postStruct, allMetaData and recordType.
 *
 * <p>Value convention: integers and floating-point numbers are JSON numbers; DECIMAL and unsigned
 * BIGINT are JSON strings holding the exact decimal; text, JSON, ENUM and SET are strings; binary
 * and BIT(n) are Base64 strings; BIT(1) is a boolean; DATE "yyyy-MM-dd"; DATETIME the source's wall
 * clock "yyyy-MM-dd HH:mm:ss[.ffffff]"; TIME "[-]HH:mm:ss[.ffffff]"; TIMESTAMP epoch seconds as a
 * string "seconds[.fraction]" (an instant, no zone needed); YEAR a number.
 */
public class DefaultFormat extends JsonChangeEventFormat {

    /** Joins the names and values of a multi-column key, as OMS does. */
    public static final char KEY_SEPARATOR = '\u0001';

    private final boolean extendColumnType;
    private String sourceIdentity = "";
    private String clusterId = "";
    private final AtomicLong snapshotSequence = new AtomicLong();
    private final Object sequenceLock = new Object();
    // lanes may hand over messages of neighbouring commit seconds in turn: each second keeps its own count
    private final Map<Long, Long> sequences = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > 64;
        }
    };

    public DefaultFormat() {
        this(false);
    }

    /** @param extendColumnType whether images carry a {@code __light_type} map (DefaultExtendColumnType) */
    protected DefaultFormat(boolean extendColumnType) {
        this.extendColumnType = extendColumnType;
    }

    @Override
    public String getDataFormatName() {
        return extendColumnType ? "DefaultExtendColumnType" : "Default";
    }

    /** Written into allMetaData.source_identity for incremental events: which reader produced them. */
    public void setSourceIdentity(String sourceIdentity) {
        this.sourceIdentity = sourceIdentity == null ? "" : sourceIdentity;
    }

    /** Written into allMetaData.clusterId: the OceanBase cluster name from configuration. */
    public void setClusterId(String clusterId) {
        this.clusterId = clusterId == null ? "" : clusterId;
    }

    @Override
    public void write(ChangeEvent event, JsonGenerator out) throws IOException {
        Operation op = event.operation();
        out.writeStartObject();
        if (op == Operation.DDL) {
            out.writeNullField("prevStruct");
            out.writeObjectFieldStart("postStruct");
            out.writeStringField("ddl", event.ddl());
            out.writeEndObject();
        } else {
            writeImage(out, "prevStruct", event.schema(), op == Operation.UPDATE || op == Operation.DELETE ? event.before() : null);
            writeImage(out, "postStruct", event.schema(), op == Operation.DELETE ? null : event.after());
        }
        writeMetadata(out, event);
        out.writeStringField("recordType", op.name());
        out.writeEndObject();
    }

    private void writeImage(JsonGenerator out, String name, TableSchema schema, Object[] row) throws IOException {
        if (row == null || schema == null) {
            out.writeNullField(name);
            return;
        }
        out.writeObjectFieldStart(name);
        List<ColumnDef> columns = schema.columns();
        for (int i = 0; i < columns.size(); i++) {
            ColumnDef column = columns.get(i);
            out.writeFieldName(column.name());
            writeValue(out, row[i], ValueRendering.precisionOf(column.typeName(), column.length()));
        }
        if (extendColumnType) {
            out.writeObjectFieldStart("__light_type");
            for (ColumnDef column : columns) {
                out.writeObjectFieldStart(column.name());
                out.writeStringField("schemaType", column.typeName());
                if (column.declaredLength() >= 0) {
                    out.writeNumberField("length", column.declaredLength());
                }
                if (column.scale() >= 0) {
                    out.writeNumberField("scale", column.scale());
                }
                out.writeBooleanField("nullable", column.optional());
                out.writeEndObject();
            }
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    static void writeValue(JsonGenerator out, Object value, int temporalPrecision) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof Long v) {
            out.writeNumber(v);
        } else if (value instanceof Integer v) {
            out.writeNumber(v);
        } else if (value instanceof Short v) {
            out.writeNumber(v);
        } else if (value instanceof Byte v) {
            out.writeNumber(v);
        } else if (value instanceof Double v) {
            out.writeNumber(v);
        } else if (value instanceof Float v) {
            out.writeNumber(v);
        } else if (value instanceof BigInteger v) {
            out.writeString(v.toString());
        } else if (value instanceof BigDecimal v) {
            out.writeString(v.toPlainString());
        } else if (value instanceof Boolean v) {
            out.writeBoolean(v);
        } else if (value instanceof LocalDateTime v) {
            out.writeString(ValueRendering.dateTime(v, temporalPrecision));
        } else if (value instanceof Instant v) {
            out.writeString(ValueRendering.epochSeconds(v, temporalPrecision));
        } else if (value instanceof ZeroDate v && v.number() != null) {
            out.writeNumber(v.number());
        } else if (value instanceof ZeroDate v && v.asRead() instanceof Instant epoch) {
            // TIMESTAMP as epoch seconds: the zero timestamp is 0, as MySQL's UNIX_TIMESTAMP gives it
            out.writeString(ValueRendering.epochSeconds(epoch, temporalPrecision));
        } else if (value instanceof Duration v) {
            out.writeString(ValueRendering.time(v, temporalPrecision));
        } else {
            out.writeString(ValueRendering.text(value));
        }
    }

    private void writeMetadata(JsonGenerator out, ChangeEvent event) throws IOException {
        Operation op = event.operation();
        boolean incremental = op != Operation.ROW;
        String commitSeconds = Long.toString(Math.floorDiv(event.commitTimeMillis(), 1000L));
        out.writeObjectFieldStart("allMetaData");
        out.writeStringField("checkpoint", incremental ? commitSeconds : primaryKeyPairs(event));
        if (event.schema() != null && op != Operation.DDL) {
            out.writeStringField("record_primary_key", String.join(String.valueOf(KEY_SEPARATOR), event.schema().primaryKey()));
            out.writeStringField("record_primary_value", primaryKeyValues(event));
        }
        out.writeStringField("source_identity", incremental ? sourceIdentity : Long.toString(snapshotSequence.incrementAndGet()));
        out.writeStringField("dbType", "OB_MYSQL");
        out.writeNumberField("storeDataSequence", storeDataSequence(event.commitTimeMillis()));
        if (event.table() != null) {
            out.writeStringField("table_name", event.table());
        }
        if (event.database() != null) {
            out.writeStringField("db", event.qualifiedDatabase());
        }
        if (incremental) {
            out.writeStringField("timestamp", commitSeconds);
        }
        if (event.transactionId() != null) {
            if (incremental) {
                out.writeStringField("uniqueId", event.transactionId());
            }
            out.writeStringField("transId", event.transactionId());
        }
        out.writeStringField("clusterId", clusterId);
        if (op == Operation.DDL) {
            out.writeStringField("ddlType", event.ddlKind().name());
        }
        out.writeEndObject();
    }

    /** Primary-key values of the row joined with \u0001, the Kafka key of the Default format. */
    public static String primaryKeyValues(ChangeEvent event) {
        TableSchema schema = event.schema();
        Object[] row = event.currentImage();
        if (schema == null || row == null || !schema.hasPrimaryKey()) {
            return "";
        }
        return ValueRendering.joined(row, schema.primaryKeyIndexes(), KEY_SEPARATOR);
    }

    private static String primaryKeyPairs(ChangeEvent event) {
        TableSchema schema = event.schema();
        Object[] row = event.currentImage();
        StringBuilder out = new StringBuilder();
        for (int index : schema.primaryKeyIndexes()) {
            if (out.length() > 0) {
                out.append(KEY_SEPARATOR);
            }
            out.append(schema.column(index).name()).append('=').append(ValueRendering.text(row[index]));
        }
        return out.toString();
    }

    /** {commit epoch seconds}{5-digit sequence}: increases with every message of the same commit second. */
    private long storeDataSequence(long commitTimeMillis) {
        long second = Math.floorDiv(commitTimeMillis, 1000L);
        return second * 100_000L + nextSequence(second);
    }

    private long nextSequence(long second) {
        synchronized (sequenceLock) {
            long value = sequences.getOrDefault(second, 0L);
            sequences.put(second, (value + 1) % 100_000L);
            return value;
        }
    }
}
