package io.obsync.format;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonGenerator;
import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.Operation;
import io.obsync.event.TableSchema;
import io.obsync.event.ValueRendering;

/**
 * Canal's FlatMessage JSON, as Canal's own Kafka/RocketMQ producer writes it: every column value is
 * a string (or null), {@code old} holds only the columns an UPDATE changed, DDL has {@code isDdl}.
 *
 * <p>Conventions: TIMESTAMP as {@code yyyy-MM-dd HH:mm:ss[.fff]} in the configured zone (UTC unless
 * set), DATETIME as the source's wall clock, fractions with the declared precision; binary one
 * character per byte (ISO-8859-1, as Canal); BIT(n) its unsigned number; BIT(1) "1"/"0"; DECIMAL exact. Snapshot rows are INSERTs, as Canal sends them.
 * {@code id} increases with every message of the task; {@code ts} is the send time.
 */
public class CanalFormat extends JsonChangeEventFormat {

    // MySQL shows a length or precision in the declared type only for these
    private static final Set<String> SIZED = Set.of("char", "varchar", "binary", "varbinary", "bit", "decimal", "numeric",
            "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "datetime", "timestamp", "time");

    private final AtomicLong ids = new AtomicLong();
    // per table version: what Canal writes about each column, computed once
    private final Map<TableSchema, Columns> columns = new ConcurrentHashMap<>();

    private record Columns(int[] sqlTypes, String[] mysqlTypes, int[] precisions) {
        static Columns of(TableSchema schema) {
            int n = schema.size();
            int[] sqlTypes = new int[n];
            String[] mysqlTypes = new String[n];
            int[] precisions = new int[n];
            for (int i = 0; i < n; i++) {
                ColumnDef column = schema.column(i);
                sqlTypes[i] = sqlType(column.typeName());
                mysqlTypes[i] = mysqlType(column);
                precisions[i] = ValueRendering.precisionOf(baseType(column.typeName()), column.length());
            }
            return new Columns(sqlTypes, mysqlTypes, precisions);
        }
    }
    private ZoneId zone = ZoneId.of("UTC");

    @Override
    public String getDataFormatName() {
        return FormatName.CANAL.displayName();
    }

    /** Zone in which TIMESTAMP values are written as date and time. */
    public void setZone(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone);
    }

    @Override
    public void write(ChangeEvent event, JsonGenerator out) throws IOException {
        write(event, out, System.currentTimeMillis());
    }

    /** Writes one FlatMessage; {@code sendTime} becomes {@code ts}. */
    public void write(ChangeEvent event, JsonGenerator out, long sendTime) throws IOException {
        Operation op = event.operation();
        if (op == Operation.HEARTBEAT) {
            throw new IOException("Canal's FlatMessage has no heartbeat; heartbeats are refused at start-up for this format");
        }
        boolean ddl = op == Operation.DDL;
        TableSchema schema = event.schema();
        out.writeStartObject();
        out.writeNumberField("id", ids.incrementAndGet());
        out.writeStringField("database", event.database());
        out.writeStringField("table", event.table());
        if (schema == null || ddl) {
            out.writeNullField("pkNames");
        } else {
            out.writeArrayFieldStart("pkNames");
            for (String name : schema.primaryKey()) {
                out.writeString(name);
            }
            out.writeEndArray();
        }
        out.writeBooleanField("isDdl", ddl);
        out.writeStringField("type", ddl ? ddlType(event) : op == Operation.ROW ? "INSERT" : op.name());
        out.writeNumberField("es", event.commitTimeMillis());
        out.writeNumberField("ts", sendTime);
        out.writeStringField("sql", ddl ? event.ddl() : "");
        if (ddl) {
            out.writeNullField("sqlType");
            out.writeNullField("mysqlType");
            out.writeNullField("data");
            out.writeNullField("old");
        } else {
            Columns described = columns.computeIfAbsent(schema, Columns::of);
            writeTypes(out, schema, described);
            out.writeArrayFieldStart("data");
            writeRow(out, schema, described, event.currentImage(), null);
            out.writeEndArray();
            if (op == Operation.UPDATE) {
                out.writeArrayFieldStart("old");
                writeRow(out, schema, described, event.before(), event.after());
                out.writeEndArray();
            } else {
                out.writeNullField("old");
            }
        }
        String gtid = event.position() == null ? null : event.position().gtid();
        out.writeStringField("gtid", gtid == null ? "" : gtid);
        out.writeEndObject();
    }

    private static String ddlType(ChangeEvent event) {
        return switch (event.ddlKind()) {
            case CREATE_TABLE -> "CREATE";
            case ALTER_TABLE, TRUNCATE_PARTITION, COMMENT_ON_TABLE -> "ALTER";
            case DROP_TABLE -> "ERASE";
            case TRUNCATE_TABLE -> "TRUNCATE";
            case RENAME_TABLE -> "RENAME";
            case CREATE_INDEX -> "CINDEX";
            case DROP_INDEX -> "DINDEX";
            case OTHER -> "QUERY";
        };
    }

    private static void writeTypes(JsonGenerator out, TableSchema schema, Columns described) throws IOException {
        List<ColumnDef> columns = schema.columns();
        out.writeObjectFieldStart("sqlType");
        for (int i = 0; i < columns.size(); i++) {
            out.writeNumberField(columns.get(i).name(), described.sqlTypes()[i]);
        }
        out.writeEndObject();
        out.writeObjectFieldStart("mysqlType");
        for (int i = 0; i < columns.size(); i++) {
            out.writeStringField(columns.get(i).name(), described.mysqlTypes()[i]);
        }
        out.writeEndObject();
    }

    /** The column values as strings; with {@code after}, only the columns whose value differs from it (for "old"). */
    private void writeRow(JsonGenerator out, TableSchema schema, Columns described, Object[] row, Object[] after) throws IOException {
        out.writeStartObject();
        List<ColumnDef> columns = schema.columns();
        for (int i = 0; i < columns.size(); i++) {
            if (after != null && ValueRendering.sameValue(row[i], after[i])) {
                continue;
            }
            ColumnDef column = columns.get(i);
            String text = text(row[i], described.precisions()[i], column);
            if (text == null) {
                out.writeNullField(column.name());
            } else {
                out.writeStringField(column.name(), text);
            }
        }
        out.writeEndObject();
    }

    private String text(Object value, int precision, ColumnDef column) {
        if (value instanceof byte[] bytes) {
            // as Canal writes them: BIT(n) its number, binary one character per byte (ISO-8859-1)
            return column.typeName().toUpperCase(Locale.ROOT).startsWith("BIT") ? new BigInteger(1, bytes).toString()
                    : new String(bytes, StandardCharsets.ISO_8859_1);
        }
        if (value instanceof Instant v) {
            return ValueRendering.dateTime(LocalDateTime.ofInstant(v, zone), precision);
        }
        if (value instanceof LocalDateTime v) {
            return ValueRendering.dateTime(v, precision);
        }
        if (value instanceof Duration v) {
            return ValueRendering.time(v, precision);
        }
        if (value instanceof Boolean v) {
            return v ? "1" : "0";
        }
        return ValueRendering.text(value);
    }

    private static String baseType(String typeName) {
        return typeName.toLowerCase(Locale.ROOT).replace(" unsigned", "").replace(" zerofill", "").trim();
    }

    /** The declared type as MySQL shows it: varchar(64), decimal(12,2), bigint(20) unsigned, datetime(6), enum('a','b c'). */
    static String mysqlType(ColumnDef column) {
        String full = column.typeName().toLowerCase(Locale.ROOT);
        String base = baseType(column.typeName());
        if (column.hasValueList()) {
            return base + column.valueList();
        }
        String suffix = full.substring(full.indexOf(base) + base.length()).trim();
        StringBuilder out = new StringBuilder(base);
        boolean temporal = base.equals("datetime") || base.equals("timestamp") || base.equals("time");
        if (SIZED.contains(base) && column.length() > 0) {
            out.append('(').append(column.length());
            if (column.scale() >= 0 && !temporal && (base.equals("decimal") || base.equals("numeric"))) {
                out.append(',').append(column.scale());
            }
            out.append(')');
        }
        if (!suffix.isEmpty()) {
            out.append(' ').append(suffix);
        }
        return out.toString();
    }

    /** java.sql.Types of a MySQL column type, as Canal reports it in sqlType. */
    static int sqlType(String typeName) {
        return switch (baseType(typeName)) {
            case "bit" -> Types.BIT;
            case "tinyint", "bool", "boolean" -> Types.TINYINT;
            case "smallint" -> Types.SMALLINT;
            case "mediumint", "int", "integer" -> Types.INTEGER;
            case "bigint" -> Types.BIGINT;
            case "float" -> Types.REAL;
            case "double", "real" -> Types.DOUBLE;
            case "decimal", "numeric" -> Types.DECIMAL;
            case "char" -> Types.CHAR;
            case "varchar", "year", "json", "enum", "set" -> Types.VARCHAR;
            case "tinytext", "text", "mediumtext", "longtext" -> Types.CLOB;
            case "binary" -> Types.BINARY;
            case "varbinary" -> Types.VARBINARY;
            case "tinyblob", "blob", "mediumblob", "longblob" -> Types.BLOB;
            case "date" -> Types.DATE;
            case "time" -> Types.TIME;
            case "datetime", "timestamp" -> Types.TIMESTAMP;
            default -> Types.OTHER;
        };
    }
}
