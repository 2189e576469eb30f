package io.obsync.format;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.obsync.config.Options;
import io.obsync.event.ColumnDef;

/**
 * How Debezium's MySQL connector represents a column in Kafka Connect terms, with the connector's
 * default settings (time.precision.mode=adaptive_time_microseconds, binary.handling.mode=bytes) and
 * bigint.unsigned.handling.mode=precise; decimal.handling.mode is a choice of the format.
 */
record ConnectType(Kind kind, String type, String logicalName, Map<String, String> parameters) {

    /** How a model value becomes a JSON value. */
    enum Kind {
        BOOLEAN, INT16, INT32, INT64, FLOAT32, FLOAT64, STRING, BYTES, BITS,
        DECIMAL_BYTES, DECIMAL_STRING, DECIMAL_DOUBLE, DATE, MICRO_TIME, TIMESTAMP_MILLIS, TIMESTAMP_MICROS, ZONED_TIMESTAMP, YEAR
    }

    /** Debezium's decimal.handling.mode. */
    enum DecimalHandling {
        PRECISE, STRING, DOUBLE;

        static DecimalHandling parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(Options.FORMAT_DEBEZIUM_DECIMAL_HANDLING_MODE.key() + " is '" + value
                        + "': use precise, string or double (Debezium's decimal.handling.mode).");
            }
        }
    }

    static ConnectType of(ColumnDef column, DecimalHandling decimals) {
        String full = column.typeName().toUpperCase(Locale.ROOT).trim();
        boolean unsigned = full.contains("UNSIGNED");
        String base = full.replace("UNSIGNED", "").replace("ZEROFILL", "").trim();
        return switch (base) {
            case "BOOLEAN", "BOOL" -> plain(Kind.BOOLEAN, "boolean");
            case "BIT" -> column.length() <= 1 ? plain(Kind.BOOLEAN, "boolean")
                    : new ConnectType(Kind.BITS, "bytes", "io.debezium.data.Bits", Map.of("length", Integer.toString(column.length())));
            case "TINYINT" -> plain(Kind.INT16, "int16");
            case "SMALLINT" -> unsigned ? plain(Kind.INT32, "int32") : plain(Kind.INT16, "int16");
            case "MEDIUMINT" -> plain(Kind.INT32, "int32");
            case "INT", "INTEGER" -> unsigned ? plain(Kind.INT64, "int64") : plain(Kind.INT32, "int32");
            case "BIGINT" -> unsigned ? decimal(20, 0, decimals) : plain(Kind.INT64, "int64");
            case "FLOAT" -> plain(Kind.FLOAT32, "float");
            case "DOUBLE", "DOUBLE PRECISION", "REAL" -> plain(Kind.FLOAT64, "double");
            case "DECIMAL", "NUMERIC", "DEC", "FIXED" -> decimal(column.length(), Math.max(column.scale(), 0), decimals);
            case "DATE" -> logical(Kind.DATE, "int32", "io.debezium.time.Date");
            case "TIME" -> logical(Kind.MICRO_TIME, "int64", "io.debezium.time.MicroTime");
            case "DATETIME" -> column.length() > 3 ? logical(Kind.TIMESTAMP_MICROS, "int64", "io.debezium.time.MicroTimestamp")
                    : logical(Kind.TIMESTAMP_MILLIS, "int64", "io.debezium.time.Timestamp");
            case "TIMESTAMP" -> logical(Kind.ZONED_TIMESTAMP, "string", "io.debezium.time.ZonedTimestamp");
            case "YEAR" -> logical(Kind.YEAR, "int32", "io.debezium.time.Year");
            case "JSON" -> logical(Kind.STRING, "string", "io.debezium.data.Json");
            case "ENUM" -> new ConnectType(Kind.STRING, "string", "io.debezium.data.Enum", Map.of("allowed", String.join(",", column.enumValues())));
            case "SET" -> new ConnectType(Kind.STRING, "string", "io.debezium.data.EnumSet", Map.of("allowed", String.join(",", column.enumValues())));
            case "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" -> plain(Kind.BYTES, "bytes");
            default -> plain(Kind.STRING, "string");
        };
    }

    private static ConnectType plain(Kind kind, String type) {
        return new ConnectType(kind, type, null, Map.of());
    }

    private static ConnectType logical(Kind kind, String type, String name) {
        return new ConnectType(kind, type, name, Map.of());
    }

    private static ConnectType decimal(int precision, int scale, DecimalHandling decimals) {
        return switch (decimals) {
            case STRING -> plain(Kind.DECIMAL_STRING, "string");
            case DOUBLE -> plain(Kind.DECIMAL_DOUBLE, "double");
            case PRECISE -> {
                Map<String, String> parameters = new LinkedHashMap<>();
                parameters.put("scale", Integer.toString(scale));
                if (precision > 0) {
                    parameters.put("connect.decimal.precision", Integer.toString(precision));
                }
                yield new ConnectType(Kind.DECIMAL_BYTES, "bytes", "org.apache.kafka.connect.data.Decimal", parameters);
            }
        };
    }

    /** The decimal scale of a precise DECIMAL column. */
    int scale() {
        return Integer.parseInt(parameters.getOrDefault("scale", "0"));
    }
}
