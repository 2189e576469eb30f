package io.obsync.event;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Locale;

/**
 * A DATE, DATETIME or TIMESTAMP value with a zero year, month or day ({@code '0000-00-00'},
 * {@code '0000-00-00 00:00:00'}), which MySQL-compatible servers accept unless the SQL mode forbids
 * it and no {@code java.time} value can hold; or the YEAR 0000.
 *
 * <p>Debezium's binlog reader turns such a value into NULL, or into the epoch in a NOT NULL column;
 * obsync recognises the epoch where it can only be a zero date (see {@link #of}) and keeps both: the
 * text formats write {@link #text()}, the formats that carry dates as numbers (the Debezium family,
 * DataWorks, TIMESTAMP as epoch seconds) write {@link #asRead()}.
 *
 * @param text   the value as the source shows it, with as many fraction digits as the column declares
 * @param asRead the value Debezium's reader made of it: the epoch of the column's type, or null
 */
public record ZeroDate(String text, Object asRead) {

    /** The TIMESTAMP range of MySQL and MariaDB starts one second after the epoch: a TIMESTAMP of 0 is the zero timestamp. */
    private static final Instant ZERO_TIMESTAMP = Instant.EPOCH;
    private static final LocalDateTime EPOCH_DATE_TIME = LocalDate.EPOCH.atStartOfDay();
    private static final int ZERO_YEAR_AS_READ = 1900;

    /**
     * The value as the model keeps it: a {@link ZeroDate} for a TIMESTAMP of 0 and, when
     * {@code notNullEpochIsZero}, for the epoch in a NOT NULL DATE or DATETIME column; else the value.
     */
    public static Object of(ColumnDef column, Object value, boolean notNullEpochIsZero) {
        if (value == null) {
            return null;
        }
        String type = column.typeName().toUpperCase(Locale.ROOT);
        boolean zero = switch (type) {
            case "TIMESTAMP" -> ZERO_TIMESTAMP.equals(value);
            case "DATE" -> notNullEpochIsZero && !column.optional() && LocalDate.EPOCH.equals(value);
            case "DATETIME" -> notNullEpochIsZero && !column.optional() && EPOCH_DATE_TIME.equals(value);
            // the binlog keeps YEAR as years since 1900, 0 for 0000: Debezium's 1900 is the year 0000 (YEAR starts at 1901)
            case "YEAR" -> Integer.valueOf(ZERO_YEAR_AS_READ).equals(value);
            default -> false;
        };
        return zero ? new ZeroDate(type.equals("YEAR") ? "0000" : text(type, column.length()), value) : value;
    }

    /**
     * A value the source shows with a zero part (read as text, as {@code obsync verify} reads the
     * source), with what Debezium's reader makes of it; null when the text has no zero part.
     */
    public static ZeroDate ofSourceText(ColumnDef column, String text) {
        String type = column.typeName().toUpperCase(Locale.ROOT);
        if (text == null || text.length() < 10 || !(type.equals("DATE") || type.equals("DATETIME") || type.equals("TIMESTAMP"))
                || !(text.startsWith("0000") || text.startsWith("00", 5) || text.startsWith("00", 8))) {
            return null;
        }
        boolean whollyZero = text.startsWith("0000-00-00") && text.substring(10).replaceAll("[0: .]", "").isEmpty();
        Object asRead = switch (type) {
            case "TIMESTAMP" -> ZERO_TIMESTAMP;
            case "DATE" -> column.optional() ? null : LocalDate.EPOCH;
            default -> column.optional() ? null : EPOCH_DATE_TIME;
        };
        return new ZeroDate(whollyZero ? text(type, column.length()) : text, asRead);
    }

    /** The zero value of a type as MySQL shows it: {@code 0000-00-00}, {@code 0000-00-00 00:00:00[.000]}. */
    static String text(String type, int precision) {
        if (type.equals("DATE")) {
            return "0000-00-00";
        }
        StringBuilder out = new StringBuilder("0000-00-00 00:00:00");
        if (precision > 0 && precision <= 9) {
            out.append('.').append("0".repeat(precision));
        }
        return out.toString();
    }

    /** The value where a format writes numbers: 0 for the year 0000, else null (a date has no number of its own). */
    public Integer number() {
        return text.equals("0000") ? 0 : null;
    }

    @Override
    public String toString() {
        return text;
    }
}
