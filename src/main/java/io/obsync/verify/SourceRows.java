package io.obsync.verify;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.obsync.event.ColumnDef;
import io.obsync.event.TableSchema;
import io.obsync.event.ZeroDate;

/**
 * A source table read as the change-event model holds rows (the same Java types the binlog's rows
 * become), so that its rows can be written by the task's own format and compared with what the
 * topics hold. Types the Binlog Service produces are read; GIS types are not (OceanBase has none).
 */
final class SourceRows {

    private final TableSchema schema;
    private final List<String> dataTypes;
    private final String select;

    private SourceRows(TableSchema schema, List<String> dataTypes, String select) {
        this.schema = schema;
        this.dataTypes = dataTypes;
        this.select = select;
    }

    /**
     * The table's structure as the binlog describes it (declared type, length, scale, key), limited to
     * the given columns when the objects file selects some.
     *
     * @param columns the selected columns, or an empty list for all
     */
    static SourceRows of(Connection connection, String database, String table, List<String> columns) throws SQLException {
        List<ColumnDef> defs = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_MAXIMUM_LENGTH, "
                + "NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, IS_NULLABLE FROM information_schema.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            query.setString(1, database);
            query.setString(2, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    if (!columns.isEmpty() && columns.stream().noneMatch(name::equalsIgnoreCase)) {
                        continue;
                    }
                    String type = rows.getString(2).toUpperCase(Locale.ROOT);
                    boolean unsigned = rows.getString(3).toLowerCase(Locale.ROOT).contains("unsigned");
                    int length = switch (type) {
                        case "DECIMAL", "NUMERIC" -> rows.getInt(5);
                        case "DATETIME", "TIMESTAMP", "TIME" -> rows.getInt(7);
                        case "BIT" -> rows.getInt(5);
                        default -> rows.getObject(4) == null ? -1 : (int) Math.min(Integer.MAX_VALUE, rows.getLong(4));
                    };
                    int scale = type.equals("DECIMAL") || type.equals("NUMERIC") ? rows.getInt(6) : -1;
                    defs.add(new ColumnDef(name, unsigned ? type + " UNSIGNED" : type, length, scale, "YES".equals(rows.getString(8))));
                    types.add(unsigned ? type + " UNSIGNED" : type);
                    String quoted = "`" + name.replace("`", "``") + "`";
                    // instants and durations as exact seconds: no JDBC time-zone or calendar conversion on the way
                    expressions.add(switch (type) {
                        case "TIMESTAMP" -> "UNIX_TIMESTAMP(" + quoted + ")";
                        case "TIME" -> "TIME_TO_SEC(" + quoted + ")";
                        // as the server shows them: a zero date has no java.time value
                        case "DATE", "DATETIME" -> "CAST(" + quoted + " AS CHAR)";
                        default -> quoted;
                    });
                }
            }
        }
        if (defs.isEmpty()) {
            throw new IllegalArgumentException("table " + database + "." + table + " has no columns to compare (missing, or none selected)");
        }
        List<String> key = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION")) {
            query.setString(1, database);
            query.setString(2, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    key.add(rows.getString(1));
                }
            }
        }
        if (!defs.stream().map(ColumnDef::name).toList().containsAll(key)) {
            throw new IllegalArgumentException("its key columns are not all selected");
        }
        String from = "`" + database.replace("`", "``") + "`.`" + table.replace("`", "``") + "`";
        return new SourceRows(new TableSchema(defs, key), types, "SELECT " + String.join(", ", expressions) + " FROM " + from);
    }

    TableSchema schema() {
        return schema;
    }

    /** Every row now, as model values. */
    List<Object[]> read(Connection connection) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(select)) {
            while (rows.next()) {
                Object[] row = new Object[dataTypes.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = value(rows, i + 1, dataTypes.get(i), schema.column(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static Object value(ResultSet rows, int index, String type, ColumnDef column) throws SQLException {
        Object raw = rows.getObject(index);
        if (raw == null) {
            return null;
        }
        return switch (type) {
            case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "TINYINT UNSIGNED", "SMALLINT UNSIGNED",
                 "MEDIUMINT UNSIGNED", "INT UNSIGNED", "INTEGER UNSIGNED", "YEAR" -> rows.getLong(index);
            case "BIGINT UNSIGNED", "DECIMAL", "NUMERIC", "DECIMAL UNSIGNED" -> rows.getBigDecimal(index);
            case "FLOAT", "FLOAT UNSIGNED" -> rows.getFloat(index);
            case "DOUBLE", "REAL", "DOUBLE UNSIGNED" -> rows.getDouble(index);
            case "BIT" -> column.length() == 1 ? (Object) (rows.getLong(index) != 0) : rows.getBytes(index);
            case "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" -> rows.getBytes(index);
            case "DATE", "DATETIME" -> date(column, rows.getString(index));
            case "TIMESTAMP" -> ZeroDate.of(column, instant(rows.getBigDecimal(index)), false);
            case "TIME" -> Duration.ofNanos(rows.getBigDecimal(index).movePointRight(9).longValueExact());
            default -> rows.getString(index);
        };
    }

    private static Object date(ColumnDef column, String text) {
        ZeroDate zero = ZeroDate.ofSourceText(column, text);
        if (zero != null) {
            return zero;
        }
        return column.typeName().equals("DATE") ? LocalDate.parse(text) : LocalDateTime.parse(text.replace(' ', 'T'));
    }

    private static Instant instant(BigDecimal seconds) {
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        return Instant.ofEpochSecond(whole.longValueExact(), seconds.subtract(whole).movePointRight(9).longValueExact());
    }
}
