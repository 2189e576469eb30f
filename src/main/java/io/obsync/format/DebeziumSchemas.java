package io.obsync.format;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Types;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.obsync.event.ColumnDef;
import io.obsync.event.TableSchema;

/** The Kafka Connect schemas of Debezium's MySQL records, as JsonConverter writes them (schemas enabled). */
final class DebeziumSchemas {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Schema of a schema-change record's key. */
    static final String SCHEMA_CHANGE_KEY = write(out -> {
        out.writeStartObject();
        out.writeStringField("type", "struct");
        out.writeArrayFieldStart("fields");
        field(out, "string", false, "databaseName");
        out.writeEndArray();
        out.writeBooleanField("optional", false);
        out.writeStringField("name", "io.debezium.connector.mysql.SchemaChangeKey");
        out.writeNumberField("version", 1);
        out.writeEndObject();
    });

    /** Schema of a schema-change record's value. */
    static final String SCHEMA_CHANGE_VALUE = write(out -> {
        out.writeStartObject();
        out.writeStringField("type", "struct");
        out.writeArrayFieldStart("fields");
        source(out);
        field(out, "int64", false, "ts_ms");
        field(out, "string", true, "databaseName");
        field(out, "string", true, "schemaName");
        field(out, "string", true, "ddl");
        tableChanges(out);
        out.writeEndArray();
        out.writeBooleanField("optional", false);
        out.writeStringField("name", "io.debezium.connector.mysql.SchemaChangeValue");
        out.writeNumberField("version", 1);
        out.writeEndObject();
    });

    private DebeziumSchemas() {
    }

    private interface Writer {
        void write(JsonGenerator out) throws IOException;
    }

    private static String write(Writer writer) {
        StringWriter text = new StringWriter(1024);
        try (JsonGenerator out = JSON.createGenerator(text)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** {@code <prefix>.Envelope}: before, after, source, transaction, op and the processing times. */
    static String envelope(String prefix, List<ColumnDef> columns, ConnectType[] types) {
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "struct");
            out.writeArrayFieldStart("fields");
            row(out, prefix + ".Value", columns, types, "before");
            row(out, prefix + ".Value", columns, types, "after");
            source(out);
            transaction(out);
            field(out, "string", false, "op");
            field(out, "int64", true, "ts_ms");
            field(out, "int64", true, "ts_us");
            field(out, "int64", true, "ts_ns");
            out.writeEndArray();
            out.writeBooleanField("optional", false);
            out.writeStringField("name", prefix + ".Envelope");
            out.writeNumberField("version", 2);
            out.writeEndObject();
        });
    }

    /** {@code <prefix>.Key}: the primary-key columns in key order; null for a table without one. */
    static String key(String prefix, TableSchema table, ConnectType[] types) {
        if (!table.hasPrimaryKey()) {
            return null;
        }
        return write(out -> {
            out.writeStartObject();
            out.writeStringField("type", "struct");
            out.writeArrayFieldStart("fields");
            for (int index : table.primaryKeyIndexes()) {
                column(out, table.column(index), types[index], false);
            }
            out.writeEndArray();
            out.writeBooleanField("optional", false);
            out.writeStringField("name", prefix + ".Key");
            out.writeEndObject();
        });
    }

    private static void row(JsonGenerator out, String name, List<ColumnDef> columns, ConnectType[] types, String field) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", "struct");
        out.writeArrayFieldStart("fields");
        for (int i = 0; i < columns.size(); i++) {
            column(out, columns.get(i), types[i], columns.get(i).optional());
        }
        out.writeEndArray();
        out.writeBooleanField("optional", true);
        out.writeStringField("name", name);
        out.writeStringField("field", field);
        out.writeEndObject();
    }

    private static void column(JsonGenerator out, ColumnDef column, ConnectType type, boolean optional) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", type.type());
        out.writeBooleanField("optional", optional);
        if (type.logicalName() != null) {
            out.writeStringField("name", type.logicalName());
            out.writeNumberField("version", 1);
        }
        if (!type.parameters().isEmpty()) {
            out.writeObjectFieldStart("parameters");
            for (Map.Entry<String, String> parameter : type.parameters().entrySet()) {
                out.writeStringField(parameter.getKey(), parameter.getValue());
            }
            out.writeEndObject();
        }
        if (column.defaultValue() != null) {
            // the column's DEFAULT, as Debezium declares it in the field's schema
            out.writeFieldName("default");
            DebeziumFormat.writeValue(out, type, column.length(), column.defaultValue());
        }
        out.writeStringField("field", column.name());
        out.writeEndObject();
    }

    private static void field(JsonGenerator out, String type, boolean optional, String name) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", type);
        out.writeBooleanField("optional", optional);
        out.writeStringField("field", name);
        out.writeEndObject();
    }

    /** io.debezium.connector.mysql.Source. */
    private static void source(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", "struct");
        out.writeArrayFieldStart("fields");
        field(out, "string", false, "version");
        field(out, "string", false, "connector");
        field(out, "string", false, "name");
        field(out, "int64", false, "ts_ms");
        out.writeStartObject();
        out.writeStringField("type", "string");
        out.writeBooleanField("optional", true);
        out.writeStringField("name", "io.debezium.data.Enum");
        out.writeNumberField("version", 1);
        out.writeObjectFieldStart("parameters");
        out.writeStringField("allowed", "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental");
        out.writeEndObject();
        out.writeStringField("default", "false");
        out.writeStringField("field", "snapshot");
        out.writeEndObject();
        field(out, "string", false, "db");
        field(out, "string", true, "sequence");
        field(out, "int64", true, "ts_us");
        field(out, "int64", true, "ts_ns");
        field(out, "string", true, "table");
        field(out, "int64", false, "server_id");
        field(out, "string", true, "gtid");
        field(out, "string", false, "file");
        field(out, "int64", false, "pos");
        field(out, "int32", false, "row");
        field(out, "int64", true, "thread");
        field(out, "string", true, "query");
        out.writeEndArray();
        out.writeBooleanField("optional", false);
        out.writeStringField("name", "io.debezium.connector.mysql.Source");
        out.writeNumberField("version", 1);
        out.writeStringField("field", "source");
        out.writeEndObject();
    }

    /** event.block: the transaction a change belongs to (written as null: transaction metadata is not provided). */
    private static void transaction(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", "struct");
        out.writeArrayFieldStart("fields");
        field(out, "string", false, "id");
        field(out, "int64", false, "total_order");
        field(out, "int64", false, "data_collection_order");
        out.writeEndArray();
        out.writeBooleanField("optional", true);
        out.writeStringField("name", "event.block");
        out.writeNumberField("version", 1);
        out.writeStringField("field", "transaction");
        out.writeEndObject();
    }

    /** The array of io.debezium.connector.schema.Change in a schema-change value. */
    private static void tableChanges(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", "array");
        out.writeObjectFieldStart("items");
        out.writeStringField("type", "struct");
        out.writeArrayFieldStart("fields");
        field(out, "string", false, "type");
        field(out, "string", false, "id");
        out.writeStartObject();
        out.writeStringField("type", "struct");
        out.writeArrayFieldStart("fields");
        field(out, "string", true, "defaultCharsetName");
        stringArray(out, true, "primaryKeyColumnNames");
        out.writeStartObject();
        out.writeStringField("type", "array");
        out.writeObjectFieldStart("items");
        out.writeStringField("type", "struct");
        out.writeArrayFieldStart("fields");
        field(out, "string", false, "name");
        field(out, "int32", false, "jdbcType");
        field(out, "int32", true, "nativeType");
        field(out, "string", false, "typeName");
        field(out, "string", true, "typeExpression");
        field(out, "string", true, "charsetName");
        field(out, "int32", true, "length");
        field(out, "int32", true, "scale");
        field(out, "int32", false, "position");
        field(out, "boolean", true, "optional");
        field(out, "boolean", true, "autoIncremented");
        field(out, "boolean", true, "generated");
        field(out, "string", true, "comment");
        field(out, "string", true, "defaultValueExpression");
        stringArray(out, true, "enumValues");
        out.writeEndArray();
        out.writeBooleanField("optional", false);
        out.writeStringField("name", "io.debezium.connector.schema.Column");
        out.writeNumberField("version", 1);
        out.writeEndObject();
        out.writeBooleanField("optional", false);
        out.writeStringField("field", "columns");
        out.writeEndObject();
        field(out, "string", true, "comment");
        out.writeEndArray();
        out.writeBooleanField("optional", true);
        out.writeStringField("name", "io.debezium.connector.schema.Table");
        out.writeNumberField("version", 1);
        out.writeStringField("field", "table");
        out.writeEndObject();
        out.writeEndArray();
        out.writeBooleanField("optional", false);
        out.writeStringField("name", "io.debezium.connector.schema.Change");
        out.writeNumberField("version", 1);
        out.writeEndObject();
        out.writeBooleanField("optional", false);
        out.writeStringField("field", "tableChanges");
        out.writeEndObject();
    }

    private static void stringArray(JsonGenerator out, boolean optional, String name) throws IOException {
        out.writeStartObject();
        out.writeStringField("type", "array");
        out.writeObjectFieldStart("items");
        out.writeStringField("type", "string");
        out.writeBooleanField("optional", false);
        out.writeEndObject();
        out.writeBooleanField("optional", optional);
        out.writeStringField("field", name);
        out.writeEndObject();
    }

    /** java.sql.Types of a column in Debezium's table changes (TIMESTAMP is TIMESTAMP_WITH_TIMEZONE there). */
    static int jdbcType(String typeName) {
        String base = typeName.toUpperCase(Locale.ROOT).replace("UNSIGNED", "").replace("ZEROFILL", "").trim();
        return switch (base) {
            case "BIT" -> Types.BIT;
            case "BOOLEAN", "BOOL" -> Types.BOOLEAN;
            case "TINYINT" -> Types.TINYINT;
            case "SMALLINT" -> Types.SMALLINT;
            case "MEDIUMINT", "INT", "INTEGER" -> Types.INTEGER;
            case "BIGINT" -> Types.BIGINT;
            case "FLOAT" -> Types.FLOAT;
            case "DOUBLE", "DOUBLE PRECISION", "REAL" -> Types.DOUBLE;
            case "DECIMAL", "NUMERIC", "DEC", "FIXED" -> Types.DECIMAL;
            case "CHAR", "ENUM", "SET" -> Types.CHAR;
            case "VARCHAR", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT", "JSON" -> Types.VARCHAR;
            case "BINARY" -> Types.BINARY;
            case "VARBINARY" -> Types.VARBINARY;
            case "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" -> Types.BLOB;
            case "DATE", "YEAR" -> Types.DATE;
            case "TIME" -> Types.TIME;
            case "DATETIME" -> Types.TIMESTAMP;
            case "TIMESTAMP" -> Types.TIMESTAMP_WITH_TIMEZONE;
            default -> Types.OTHER;
        };
    }
}
