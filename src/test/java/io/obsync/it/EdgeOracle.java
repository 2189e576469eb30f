package io.obsync.it;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.obsync.format.FormatName;

/**
 * What a row of the type-edge table must look like in a format, computed at test time from the source's own text of
 * each value ({@code CAST(.. AS CHAR)}, {@code HEX}, {@code UNIX_TIMESTAMP}) through the rules docs/formats.md gives
 * (each format's values and "Values at the edges"), not from what obsync wrote before. It knows the formats whose
 * values docs/formats.md defines on its own terms (Default, DefaultExtendColumnType, SharePlex, Canal, Maxwell); the
 * Debezium family is held to Debezium's own output by {@code DebeziumFormatsIT}.
 */
final class EdgeOracle {

    /** How the row reached the format: by full synchronization (ROW) or through the binlog. */
    enum Read { FULL_SYNC, BINLOG }

    private record Column(String name, String type, String columnType, boolean nullable, String defaultText, int fraction) {
        boolean unsigned() {
            return columnType.contains("unsigned");
        }

        int bits() {
            Matcher m = Pattern.compile("bit\\((\\d+)\\)").matcher(columnType);
            return m.find() ? Integer.parseInt(m.group(1)) : 1;
        }
    }

    /** One value as the source shows it: its text (null for NULL), its bytes in hex, its epoch seconds, as a double. */
    private record Value(String text, String hex, String epoch, String asDouble) {
    }

    /** What the format must hold; {@code matches} judges a message's value against it. */
    private record Expected(Kind kind, Object value) {
        enum Kind { NULL, TEXT, BOOLEAN, NUMBER, FLOAT, DOUBLE }

        static Expected text(String text) {
            return new Expected(Kind.TEXT, text);
        }

        static Expected number(String text) {
            return new Expected(Kind.NUMBER, new BigDecimal(text));
        }

        boolean matches(JsonNode node) {
            return switch (kind) {
                case NULL -> node == null || node.isNull();
                case TEXT -> node != null && node.isTextual() && node.textValue().equals(value);
                case BOOLEAN -> node != null && node.isBoolean() && node.booleanValue() == (Boolean) value;
                case NUMBER -> node != null && node.isNumber() && node.decimalValue().compareTo((BigDecimal) value) == 0;
                case FLOAT -> node != null && node.isNumber() && (float) node.doubleValue() == (Float) value;
                case DOUBLE -> node != null && node.isNumber() && node.doubleValue() == (Double) value;
            };
        }

        @Override
        public String toString() {
            return kind == Kind.NULL ? "null" : kind + " " + value;
        }
    }

    private static final Expected NULL = new Expected(Expected.Kind.NULL, null);
    private static final Pattern DATE = Pattern.compile("^(\\d{4})-(\\d{2})-(\\d{2})");

    private final List<Column> columns = new ArrayList<>();
    private final Map<String, Map<String, Value>> rows = new LinkedHashMap<>();

    private EdgeOracle() {
    }

    /** Reads the table's columns and the rows of the keys (k2) from the source, in the UTC session the rows were written in. */
    static EdgeOracle read(Connection connection, String database, String table, List<String> keys) throws Exception {
        EdgeOracle oracle = new EdgeOracle();
        try (Statement session = connection.createStatement()) {
            session.execute("SET SESSION time_zone = '+00:00'");
        }
        try (PreparedStatement columns = connection.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT,"
                + " DATETIME_PRECISION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            columns.setString(1, database);
            columns.setString(2, table);
            try (ResultSet rs = columns.executeQuery()) {
                while (rs.next()) {
                    String defaultText = rs.getString(5);
                    // MariaDB quotes a literal default ('2000-01-01') and spells a missing one NULL
                    if (defaultText != null && defaultText.length() >= 2 && defaultText.startsWith("'") && defaultText.endsWith("'")) {
                        defaultText = defaultText.substring(1, defaultText.length() - 1);
                    } else if ("NULL".equals(defaultText)) {
                        defaultText = null;
                    }
                    oracle.columns.add(new Column(rs.getString(1), rs.getString(2).toLowerCase(Locale.ROOT), rs.getString(3).toLowerCase(Locale.ROOT),
                            "YES".equals(rs.getString(4)), defaultText, rs.getInt(6)));
                }
            }
        }
        StringBuilder select = new StringBuilder("SELECT k2");
        for (Column c : oracle.columns) {
            String text = c.type().equals("bit") ? "CAST(`" + c.name() + "` + 0 AS CHAR)" : "CAST(`" + c.name() + "` AS CHAR)";
            String epoch = c.type().equals("timestamp") ? "CAST(UNIX_TIMESTAMP(`" + c.name() + "`) AS CHAR)" : "NULL";
            String asDouble = c.type().equals("float") ? "CAST(CAST(`" + c.name() + "` AS DOUBLE) AS CHAR)" : "NULL";
            select.append(", ").append(text).append(", HEX(`").append(c.name()).append("`), ").append(epoch).append(", ").append(asDouble);
        }
        select.append(" FROM `").append(database).append("`.`").append(table).append("` WHERE k2 = ?");
        try (PreparedStatement query = connection.prepareStatement(select.toString())) {
            for (String key : keys) {
                query.setString(1, key);
                try (ResultSet rs = query.executeQuery()) {
                    if (!rs.next()) {
                        throw new AssertionError("the source has no row " + key + " in " + database + "." + table);
                    }
                    Map<String, Value> row = new LinkedHashMap<>();
                    int i = 2;
                    for (Column c : oracle.columns) {
                        row.put(c.name(), new Value(rs.getString(i), rs.getString(i + 1), rs.getString(i + 2), rs.getString(i + 3)));
                        i += 4;
                    }
                    oracle.rows.put(key, row);
                }
            }
        }
        return oracle;
    }

    /**
     * Where a row image of the source row {@code key} differs from what the format's documented rules make of the source's
     * values; the key columns (k1, k2) are left out, since the binlog copies carry other keys.
     */
    List<String> differences(FormatName format, Read read, String key, JsonNode image) {
        List<String> out = new ArrayList<>();
        Map<String, Value> row = rows.get(key);
        for (Column c : columns) {
            if (c.name().equals("k1") || c.name().equals("k2")) {
                continue;
            }
            Value v = row.get(c.name());
            Expected want = expect(format, read, c, v);
            JsonNode got = image.get(c.name());
            if (!want.matches(got)) {
                out.add(format.displayName() + " " + read + " " + key + "." + c.name() + " (" + c.columnType() + ", source '" + v.text() + "'): expected "
                        + want + " but was " + got);
            }
        }
        return out;
    }

    private static Expected expect(FormatName format, Read read, Column c, Value v) {
        if (v.text() == null) {
            return NULL;
        }
        return switch (format) {
            case CANAL -> canal(read, c, v);
            case MAXWELL -> maxwell(read, c, v);
            case DEFAULT, DEFAULT_EXTEND_COLUMN_TYPE, SHAREPLEX -> defaults(read, c, v);
            default -> throw new IllegalArgumentException(format + " is held to Debezium's own output, not to this oracle");
        };
    }

    /** Default, DefaultExtendColumnType, SharePlex (docs/formats.md, "Default", "Values"). */
    private static Expected defaults(Read read, Column c, Value v) {
        return switch (c.type()) {
            case "tinyint", "smallint", "mediumint", "int" -> Expected.number(v.text());
            case "bigint" -> c.unsigned() ? Expected.text(v.text()) : Expected.number(v.text());
            case "decimal" -> Expected.text(v.text());
            case "float" -> new Expected(Expected.Kind.FLOAT, (float) Double.parseDouble(v.asDouble()));
            case "double" -> new Expected(Expected.Kind.DOUBLE, Double.parseDouble(v.text()));
            case "bit" -> c.bits() == 1 ? new Expected(Expected.Kind.BOOLEAN, !"0".equals(v.text())) : Expected.text(base64(bytes(v.hex(), (c.bits() + 7) / 8)));
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> Expected.text(base64(bytes(v.hex(), 0)));
            case "date", "datetime" -> zeroDate(v.text()) ? zeroDateValue(c) : Expected.text(v.text());
            case "timestamp" -> {
                if (zeroTimestamp(v)) {
                    yield read == Read.BINLOG ? Expected.text(v.epoch()) : c.nullable() ? NULL : Expected.text(epochOf(c.defaultText(), c.fraction()));
                }
                yield Expected.text(v.epoch());
            }
            case "year" -> Expected.number(yearOf(read, v.text()));
            default -> Expected.text(v.text()); // char, varchar, text, enum, set, json (text)
        };
    }

    /** Canal: every value a string (docs/formats.md, "Canal" and "Values at the edges"). */
    private static Expected canal(Read read, Column c, Value v) {
        return switch (c.type()) {
            case "float" -> Expected.text(Float.toString((float) Double.parseDouble(v.asDouble())));
            case "double" -> Expected.text(Double.toString(Double.parseDouble(v.text())));
            case "bit" -> Expected.text(c.bits() == 1 ? ("0".equals(v.text()) ? "0" : "1") : v.text());
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" ->
                    Expected.text(new String(bytes(v.hex(), 0), StandardCharsets.ISO_8859_1));
            case "date", "datetime" -> zeroDate(v.text()) ? zeroDateValue(c) : Expected.text(v.text());
            case "timestamp" -> zeroTimestamp(v) ? zeroTimestampText(read, c) : Expected.text(v.text());
            case "year" -> Expected.text(read == Read.FULL_SYNC && "0000".equals(v.text()) ? "2000" : v.text());
            default -> Expected.text(v.text());
        };
    }

    /** Maxwell: JSON types kept, DECIMAL and unsigned numbers exact, temporal values as text (docs/formats.md, "Maxwell"). */
    private static Expected maxwell(Read read, Column c, Value v) {
        return switch (c.type()) {
            case "tinyint", "smallint", "mediumint", "int", "bigint", "decimal" -> Expected.number(v.text());
            case "float" -> new Expected(Expected.Kind.FLOAT, (float) Double.parseDouble(v.asDouble()));
            case "double" -> new Expected(Expected.Kind.DOUBLE, Double.parseDouble(v.text()));
            case "bit" -> c.bits() == 1 ? new Expected(Expected.Kind.BOOLEAN, !"0".equals(v.text())) : Expected.number(v.text());
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> Expected.text(base64(bytes(v.hex(), 0)));
            case "date", "datetime" -> zeroDate(v.text()) ? zeroDateValue(c) : Expected.text(v.text());
            case "timestamp" -> zeroTimestamp(v) ? zeroTimestampText(read, c) : Expected.text(v.text());
            case "year" -> Expected.number(yearOf(read, v.text()));
            default -> Expected.text(v.text());
        };
    }

    /** A DATE or DATETIME whose year, month or day is 0 (a whole or a partial zero date). */
    private static boolean zeroDate(String text) {
        Matcher m = DATE.matcher(text);
        return m.find() && (m.group(1).equals("0000") || m.group(2).equals("00") || m.group(3).equals("00"));
    }

    /** A zero date: null in a NULL-able column, else the column's DEFAULT, or the epoch when it has none or it is zero. */
    private static Expected zeroDateValue(Column c) {
        if (c.nullable()) {
            return NULL;
        }
        String base = c.defaultText() == null || zeroDate(c.defaultText()) ? (c.type().equals("date") ? "1970-01-01" : "1970-01-01 00:00:00")
                : c.defaultText();
        return Expected.text(c.type().equals("date") ? base.substring(0, 10) : withFraction(base, c.fraction()));
    }

    /** UNIX_TIMESTAMP gives 0 only for the zero timestamp: TIMESTAMP's range starts at 1970-01-01 00:00:01 UTC. */
    private static boolean zeroTimestamp(Value v) {
        return v.epoch() != null && new BigDecimal(v.epoch()).signum() == 0;
    }

    /** A zero TIMESTAMP in the text formats: as the source shows it from the binlog; null or the DEFAULT by full synchronization. */
    private static Expected zeroTimestampText(Read read, Column c) {
        if (read == Read.BINLOG) {
            return Expected.text(withFraction("0000-00-00 00:00:00", c.fraction()));
        }
        return c.nullable() ? NULL : Expected.text(withFraction(c.defaultText(), c.fraction()));
    }

    /** YEAR 0000 is 0 from the binlog and 2000 by full synchronization (docs/formats.md, "Values at the edges"). */
    private static String yearOf(Read read, String text) {
        return "0000".equals(text) ? (read == Read.BINLOG ? "0" : "2000") : text;
    }

    private static String epochOf(String dateTime, int fraction) {
        long seconds = LocalDateTime.parse(dateTime.substring(0, 19).replace(' ', 'T')).toEpochSecond(ZoneOffset.UTC);
        return fraction == 0 ? Long.toString(seconds) : seconds + "." + "0".repeat(fraction);
    }

    /** A DATETIME text with the declared number of fraction digits, as MySQL prints it. */
    private static String withFraction(String dateTime, int fraction) {
        String whole = dateTime.substring(0, 19);
        String digits = dateTime.length() > 20 ? dateTime.substring(20) : "";
        return fraction == 0 ? whole : whole + "." + (digits + "0".repeat(fraction)).substring(0, fraction);
    }

    /** The bytes of a hex string, left-padded with zero bytes to {@code width} when it is shorter (BIT(n) is stored big-endian). */
    private static byte[] bytes(String hex, int width) {
        String even = hex.length() % 2 == 0 ? hex : "0" + hex;
        byte[] raw = HexFormat.of().parseHex(even);
        if (raw.length >= width) {
            return raw;
        }
        byte[] padded = new byte[width];
        System.arraycopy(raw, 0, padded, width - raw.length, raw.length);
        return padded;
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
