package io.obsync.event;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns the Debezium MySQL connector's records into {@link ChangeEvent}s: the only place that reads
 * Debezium or Kafka Connect types. Not thread-safe (it caches table schemas); one per source.
 */
public final class DebeziumRecordConverter {

    /** Debezium puts the declared column type into each field schema when column.propagate.source.type is set. */
    static final String SOURCE_TYPE = "__debezium.source.column.type";
    static final String SOURCE_LENGTH = "__debezium.source.column.length";
    static final String SOURCE_SCALE = "__debezium.source.column.scale";
    private static final String ENUM_ALLOWED = "allowed";
    private static final Pattern INDEX_TABLE = Pattern.compile(
            "^\\s*(?:CREATE\\s+(?:UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)?INDEX|DROP\\s+INDEX)\\s+\\S+\\s+ON\\s+([`\\w$.]+)",
            Pattern.CASE_INSENSITIVE);

    /** Event-id suffixes of the two halves of an UPDATE that moved a row to another key. */
    public static final String KEY_MOVED_DELETE = ":key-moved-delete";
    public static final String KEY_MOVED_INSERT = ":key-moved-insert";
    private static final String NEW_KEY_HEADER = "__debezium.newkey";
    private static final String OLD_KEY_HEADER = "__debezium.oldkey";

    private final String tenant;
    private final Map<Schema, TableSchema> schemas = new IdentityHashMap<>();
    // the last change's coordinate, to number records that share one (occurrence)
    private SourcePosition lastChange;
    // numbers each transaction's row events, which Debezium's own event count cannot (see RowEvents)
    private final RowEvents rowEvents = new RowEvents();
    // snapshot rows of tables without a key, numbered per table in the order the snapshot reads them
    private final Map<String, long[]> keylessRows = new HashMap<>();

    private final boolean notNullEpochIsZeroDate;

    public DebeziumRecordConverter(String tenant) {
        this(tenant, false);
    }

    /**
     * @param notNullEpochIsZeroDate whether the epoch in a NOT NULL DATE or DATETIME column is the zero date
     *                               Debezium's reader turned into it (obsync.source.not-null-epoch-is-zero-date)
     */
    public DebeziumRecordConverter(String tenant, boolean notNullEpochIsZeroDate) {
        this.tenant = tenant;
        this.notNullEpochIsZeroDate = notNullEpochIsZeroDate;
    }

    /** The model for one record, or null for records that carry no change (tombstones, transaction markers). */
    public ChangeEvent convert(SourceRecord record) {
        Object value = record.value();
        if (!(value instanceof Struct struct)) {
            return null;
        }
        String schemaName = struct.schema().name();
        if (schemaName == null) {
            return null;
        }
        if (schemaName.endsWith(".Envelope")) {
            return rowChange(record, struct);
        }
        if (schemaName.endsWith("SchemaChangeValue")) {
            return schemaChange(record, struct);
        }
        if (schemaName.endsWith(".Heartbeat")) {
            return heartbeat(record, struct);
        }
        return null;
    }

    private ChangeEvent rowChange(SourceRecord record, Struct envelope) {
        Struct source = envelope.getStruct("source");
        String op = envelope.getString("op");
        if ("t".equals(op)) {
            return truncate(record, source);
        }
        Operation operation = switch (op) {
            case "c" -> Operation.INSERT;
            case "u" -> Operation.UPDATE;
            case "d" -> Operation.DELETE;
            case "r" -> Operation.ROW;
            default -> throw new IllegalStateException("Debezium operation '" + op + "' of " + record.topic() + " is not a row change");
        };
        Schema rowSchema = envelope.schema().field("after").schema();
        TableSchema table = schemas.computeIfAbsent(rowSchema, s -> tableSchema(s, record.keySchema()));
        Object[] before = row(envelope.getStruct("before"), table);
        Object[] after = row(envelope.getStruct("after"), table);
        String database = source.getString("db");
        String tableName = source.getString("table");
        SourcePosition position;
        String eventId;
        if (operation == Operation.ROW) {
            position = position(record, source);
            eventId = snapshotId(position, database, tableName, table, after);
        } else {
            position = changePosition(record, source);
            String suffix = keyMoveSuffix(record);
            eventId = suffix.isEmpty() ? position.changeId() : position.withOccurrence(1).changeId() + suffix;
        }
        return ChangeEvent.builder(operation)
                .eventId(eventId)
                .tenant(tenant)
                .database(database)
                .table(tableName)
                .schema(table)
                .before(before)
                .after(after)
                .commitTimeMillis(longOr(source, "ts_ms", 0L))
                .transactionId(transactionId(position))
                .position(position)
                .build();
    }

    /**
     * A row that obsync read itself in a key chunk, as Debezium's row structure (built by Debezium's own
     * table schema from the values its field reader read): the same model values as a snapshot record's.
     *
     * @param position   the stream's position at which the row is sent (its chunk's closing watermark)
     * @param commitTime when the row was read
     */
    public ChangeEvent snapshotRow(String database, String tableName, Struct row, Schema keySchema, SourcePosition position, long commitTime) {
        TableSchema table = schemas.computeIfAbsent(row.schema(), s -> tableSchema(s, keySchema));
        Object[] after = row(row, table);
        return ChangeEvent.builder(Operation.ROW)
                .eventId(snapshotId(position, database, tableName, table, after))
                .tenant(tenant)
                .database(database)
                .table(tableName)
                .schema(table)
                .after(after)
                .commitTimeMillis(commitTime)
                .transactionId(transactionId(position))
                .position(position)
                .build();
    }

    /** Whether a record was read by a snapshot (Debezium's source.snapshot is true, first, last, ...). */
    private static boolean snapshotPart(Struct source) {
        if (source == null || source.schema().field("snapshot") == null) {
            return false;
        }
        Object snapshot = source.get("snapshot");
        return snapshot != null && !"false".equals(snapshot.toString());
    }

    /** Whether a record is the last one of a snapshot (Debezium's source.snapshot is "last"). */
    public static boolean snapshotEnd(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("source") == null) {
            return false;
        }
        Struct source = value.getStruct("source");
        return source != null && source.schema().field("snapshot") != null && "last".equals(String.valueOf(source.get("snapshot")));
    }

    /** The end of a transaction as Debezium's transaction metadata reports it. */
    public record TransactionEnd(String id, long eventCount) {
    }

    /** A transaction-metadata END record as its id and event count; null for any other record (BEGIN included). */
    public TransactionEnd transactionEnd(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("status") == null
                || value.schema().field("event_count") == null || !"END".equals(value.getString("status"))) {
            return null;
        }
        return new TransactionEnd(value.getString("id"), longOr(value, "event_count", 0L));
    }

    /** Debezium's truncate event (op "t"): the DDL TRUNCATE TABLE of the table, with the statement it stands for. */
    private ChangeEvent truncate(SourceRecord record, Struct source) {
        SourcePosition position = changePosition(record, source);
        String database = source.getString("db");
        String table = source.getString("table");
        String ddl = "TRUNCATE TABLE `" + database + "`.`" + table + "`";
        return ChangeEvent.builder(Operation.DDL)
                .eventId(position.changeId() + ":truncate")
                .tenant(tenant)
                .database(database)
                .table(table)
                .commitTimeMillis(longOr(source, "ts_ms", 0L))
                .transactionId(transactionId(position))
                .position(position)
                .ddl(DdlKind.TRUNCATE_TABLE, ddl)
                .build();
    }

    private ChangeEvent schemaChange(SourceRecord record, Struct value) {
        Struct source = value.getStruct("source");
        if (snapshotPart(source)) {
            // the structure of a table read when the task started, not a change of it
            return null;
        }
        String ddl = value.getString("ddl");
        String database = value.getString("databaseName");
        String table = null;
        TableSchema after = null;
        List<?> changes = value.schema().field("tableChanges") == null ? null : value.getArray("tableChanges");
        if (changes != null && !changes.isEmpty() && changes.get(0) instanceof Struct change) {
            String[] id = splitTableId(change.getString("id"));
            if (id[0] != null) {
                database = id[0];
            }
            table = id[1];
            after = tableAfterDdl(change);
        } else {
            // Debezium reports CREATE/DROP INDEX without a table change: read the table from the statement
            Matcher index = INDEX_TABLE.matcher(ddl == null ? "" : ddl);
            if (index.find()) {
                String[] id = splitTableId(index.group(1));
                database = id[0] != null ? id[0] : database == null || database.isEmpty() ? source.getString("db") : database;
                table = id[1];
            }
        }
        SourcePosition position = changePosition(record, source);
        return ChangeEvent.builder(Operation.DDL)
                .eventId(position.changeId())
                .tenant(tenant)
                .database(database)
                .table(table)
                .schema(after)
                .commitTimeMillis(longOr(source, "ts_ms", 0L))
                .transactionId(transactionId(position))
                .position(position)
                .ddl(DdlKind.classify(ddl), ddl)
                .build();
    }

    private ChangeEvent heartbeat(SourceRecord record, Struct value) {
        SourcePosition position = position(record, null);
        long ts = longOr(value, "ts_ms", System.currentTimeMillis());
        return ChangeEvent.builder(Operation.HEARTBEAT)
                .eventId("heartbeat-" + position.file() + ":" + position.transactionStart() + "-" + ts)
                .tenant(tenant)
                .commitTimeMillis(ts)
                .position(position)
                .build();
    }

    private static TableSchema tableSchema(Schema rowSchema, Schema keySchema) {
        List<ColumnDef> columns = new ArrayList<>(rowSchema.fields().size());
        for (Field field : rowSchema.fields()) {
            Schema s = field.schema();
            Map<String, String> p = s.parameters();
            String type = p != null && p.get(SOURCE_TYPE) != null ? p.get(SOURCE_TYPE) : s.type().name();
            columns.add(new ColumnDef(field.name(), type, intParam(p, SOURCE_LENGTH), intParam(p, SOURCE_SCALE), s.isOptional(),
                    enumValues(s.name(), p == null ? null : p.get(ENUM_ALLOWED)), defaultOf(s)));
        }
        List<String> key = new ArrayList<>();
        if (keySchema != null && keySchema.type() == Schema.Type.STRUCT) {
            for (Field field : keySchema.fields()) {
                key.add(field.name());
            }
        }
        return new TableSchema(columns, key);
    }

    /** A column's default as a model value; null when it has none or it has no model value (it is then not written). */
    private static Object defaultOf(Schema schema) {
        try {
            return javaValue(schema, schema.defaultValue());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static List<String> enumValues(String schemaName, String allowed) {
        if (allowed == null || !("io.debezium.data.Enum".equals(schemaName) || "io.debezium.data.EnumSet".equals(schemaName))) {
            return List.of();
        }
        return allowed.isEmpty() ? List.of() : List.of(allowed.split(",", -1));
    }

    /** The table's structure after a DDL, from Debezium's table change; null when the statement left none (DROP). */
    private static TableSchema tableAfterDdl(Struct change) {
        Struct table = change.schema().field("table") == null ? null : change.getStruct("table");
        if (table == null) {
            return null;
        }
        List<ColumnDef> columns = new ArrayList<>();
        for (Object item : table.getArray("columns")) {
            Struct column = (Struct) item;
            Boolean optional = column.getBoolean("optional");
            List<?> values = column.schema().field("enumValues") == null ? null : column.getArray("enumValues");
            columns.add(new ColumnDef(column.getString("name"), column.getString("typeName"),
                    column.getInt32("length") == null ? -1 : column.getInt32("length"),
                    column.getInt32("scale") == null ? -1 : column.getInt32("scale"),
                    optional == null || optional,
                    values == null ? List.of() : values.stream().map(v -> unquote(String.valueOf(v))).toList()));
        }
        List<?> key = table.getArray("primaryKeyColumnNames");
        return new TableSchema(columns, key == null ? List.of() : key.stream().map(String::valueOf).toList());
    }

    // Debezium keeps ENUM values of table changes as written in the DDL: 'a'
    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("'") && value.endsWith("'") ? value.substring(1, value.length() - 1) : value;
    }

    private static int intParam(Map<String, String> parameters, String name) {
        String value = parameters == null ? null : parameters.get(name);
        return value == null ? -1 : Integer.parseInt(value);
    }

    private Object[] row(Struct image, TableSchema table) {
        if (image == null) {
            return null;
        }
        List<Field> fields = image.schema().fields();
        Object[] values = new Object[table.size()];
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            values[i] = ZeroDate.of(table.column(i), javaValue(field.schema(), image.get(field)), notNullEpochIsZeroDate);
        }
        return values;
    }

    /** Debezium's logical types, decoded into the model's Java types. */
    static Object javaValue(Schema schema, Object raw) {
        if (raw == null) {
            return null;
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case "io.debezium.time.Date":
                    return LocalDate.ofEpochDay(((Number) raw).longValue());
                case "io.debezium.time.Timestamp":
                    return LocalDateTime.ofEpochSecond(Math.floorDiv(((Number) raw).longValue(), 1000L),
                            (int) Math.floorMod(((Number) raw).longValue(), 1000L) * 1_000_000, ZoneOffset.UTC);
                case "io.debezium.time.MicroTimestamp":
                    return LocalDateTime.ofEpochSecond(Math.floorDiv(((Number) raw).longValue(), 1_000_000L),
                            (int) Math.floorMod(((Number) raw).longValue(), 1_000_000L) * 1000, ZoneOffset.UTC);
                case "io.debezium.time.NanoTimestamp":
                    return LocalDateTime.ofEpochSecond(Math.floorDiv(((Number) raw).longValue(), 1_000_000_000L),
                            (int) Math.floorMod(((Number) raw).longValue(), 1_000_000_000L), ZoneOffset.UTC);
                case "io.debezium.time.ZonedTimestamp":
                    return OffsetDateTime.parse((String) raw).toInstant();
                case "io.debezium.time.Time":
                    return Duration.ofMillis(((Number) raw).longValue());
                case "io.debezium.time.MicroTime":
                    return Duration.ofNanos(((Number) raw).longValue() * 1000L);
                case "io.debezium.time.NanoTime":
                    return Duration.ofNanos(((Number) raw).longValue());
                case "io.debezium.time.Year":
                    return ((Number) raw).intValue();
                case "io.debezium.data.Bits":
                    return bigEndian(bytes(raw));
                case "org.apache.kafka.connect.data.Decimal":
                    return raw;
                case "org.apache.kafka.connect.data.Date":
                    return ((Date) raw).toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
                case "org.apache.kafka.connect.data.Timestamp":
                    return LocalDateTime.ofInstant(((Date) raw).toInstant(), ZoneOffset.UTC);
                default:
                    break;
            }
        }
        if (raw instanceof ByteBuffer || raw instanceof byte[]) {
            return bytes(raw);
        }
        if (raw instanceof BigDecimal || raw instanceof Number || raw instanceof String || raw instanceof Boolean) {
            return raw;
        }
        if (raw instanceof Instant) {
            return raw;
        }
        throw new IllegalStateException("unsupported column value of type " + raw.getClass().getName()
                + " (schema " + name + "/" + schema.type() + ")");
    }

    private static byte[] bytes(Object raw) {
        if (raw instanceof byte[] array) {
            return array;
        }
        ByteBuffer buffer = ((ByteBuffer) raw).duplicate();
        byte[] array = new byte[buffer.remaining()];
        buffer.get(array);
        return array;
    }

    // Debezium hands BIT(n) over little-endian; MySQL clients read it big-endian.
    private static byte[] bigEndian(byte[] littleEndian) {
        byte[] out = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            out[i] = littleEndian[littleEndian.length - 1 - i];
        }
        return out;
    }

    private static SourcePosition position(SourceRecord record, Struct source) {
        Map<String, ?> offset = record.sourceOffset();
        String file = source != null ? source.getString("file") : (String) offset.get("file");
        long pos = source != null ? longOr(source, "pos", 0L) : number(offset.get("pos"));
        int row = source != null && source.schema().field("row") != null && source.get("row") != null
                ? source.getInt32("row") : (int) number(offset.get("row"));
        long serverId = source != null ? longOr(source, "server_id", 0L) : number(offset.get("server_id"));
        String gtid = source != null && source.schema().field("gtid") != null ? source.getString("gtid") : null;
        return new SourcePosition(serverId, file, pos, number(offset.get("pos")), number(offset.get("event")), row, gtid);
    }

    /**
     * A streamed change's position: its row event numbered among the transaction's row events, and
     * numbered after any earlier record at the same coordinate.
     */
    private SourcePosition changePosition(SourceRecord record, Struct source) {
        SourcePosition p = rowEvents.number(position(record, source));
        SourcePosition last = lastChange;
        if (last != null && last.rowEventInTransaction() == p.rowEventInTransaction() && last.rowInEvent() == p.rowInEvent()
                && last.position() == p.position() && Objects.equals(last.file(), p.file())
                && Objects.equals(last.gtid(), p.gtid())) {
            p = p.withOccurrence(last.occurrence() + 1);
        }
        lastChange = p;
        return p;
    }

    /**
     * Debezium turns an UPDATE of the primary key into a DELETE and a CREATE at the same binlog
     * position, marked with these headers; the suffix keeps the two identities apart.
     */
    private static String keyMoveSuffix(SourceRecord record) {
        if (record.headers().isEmpty()) {
            return "";
        }
        if (record.headers().lastWithName(NEW_KEY_HEADER) != null) {
            return KEY_MOVED_DELETE;
        }
        if (record.headers().lastWithName(OLD_KEY_HEADER) != null) {
            return KEY_MOVED_INSERT;
        }
        return "";
    }

    /**
     * A snapshot row: the snapshot's position, the table, then the key values; a table without a key
     * has none, so its rows are numbered in the order the snapshot reads them (row:1, row:2, ...).
     */
    private String snapshotId(SourcePosition p, String database, String table, TableSchema schema, Object[] row) {
        StringBuilder id = new StringBuilder("snapshot:").append(p.file()).append(':').append(p.transactionStart())
                .append(':').append(database).append('.').append(table);
        int[] key = schema.primaryKeyIndexes();
        if (key.length == 0) {
            long[] count = keylessRows.computeIfAbsent(id.toString(), k -> new long[1]);
            return id.append(":row:").append(++count[0]).toString();
        }
        for (int index : key) {
            id.append(':').append(row[index]);
        }
        return id.toString();
    }

    private static String transactionId(SourcePosition p) {
        return p.gtid() != null && !p.gtid().isEmpty() ? p.gtid() : p.file() + ":" + p.transactionStart();
    }

    private static long longOr(Struct struct, String field, long fallback) {
        if (struct.schema().field(field) == null) {
            return fallback;
        }
        Object value = struct.get(field);
        return value == null ? fallback : ((Number) value).longValue();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }

    /** Splits Debezium's table id ("db"."table", or db.table) into database and table. */
    static String[] splitTableId(String id) {
        if (id == null) {
            return new String[] {null, null};
        }
        String plain = id.replace("\"", "").replace("`", "");
        int dot = plain.indexOf('.');
        return dot < 0 ? new String[] {null, plain} : new String[] {plain.substring(0, dot), plain.substring(dot + 1)};
    }
}
