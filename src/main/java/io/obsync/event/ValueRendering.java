package io.obsync.event;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;


/** How model values become text in JSON formats: one convention, shared by every format. */
public final class ValueRendering {

    private ValueRendering() {
    }

    /** Fraction digits when the column's declared precision is not known. */
    public static final int UNKNOWN_PRECISION = -1;

    /** TIMESTAMP as epoch seconds with the fraction, if any: "1700000000" or "1700000000.123456". */
    public static String epochSeconds(Instant instant) {
        return epochSeconds(instant, UNKNOWN_PRECISION);
    }

    /** TIMESTAMP(n) as epoch seconds with n fraction digits ("1700000000.250" for TIMESTAMP(3)). */
    public static String epochSeconds(Instant instant, int precision) {
        long seconds = instant.getEpochSecond();
        int nanos = instant.getNano();
        if (seconds < 0 && nanos != 0) {
            // a negative instant with a fraction: written as the exact signed decimal
            BigDecimal exact = new BigDecimal(seconds).add(BigDecimal.valueOf(nanos, 9));
            return precision >= 0 ? exact.setScale(precision, RoundingMode.DOWN).toPlainString()
                    : exact.stripTrailingZeros().toPlainString();
        }
        return fraction(new StringBuilder(24).append(seconds), nanos, precision).toString();
    }

    /** DATETIME as the source's wall clock: "2024-05-01 12:30:00" or with ".123456". */
    public static String dateTime(LocalDateTime value) {
        return dateTime(value, UNKNOWN_PRECISION);
    }

    /** DATETIME(n) as MySQL prints it, with n fraction digits. */
    public static String dateTime(LocalDateTime value, int precision) {
        StringBuilder out = new StringBuilder(26);
        date(out, value.toLocalDate()).append(' ');
        LocalTime time = value.toLocalTime();
        pad2(out, time.getHour()).append(':');
        pad2(out, time.getMinute()).append(':');
        pad2(out, time.getSecond());
        return fraction(out, time.getNano(), precision).toString();
    }

    public static String date(LocalDate value) {
        return date(new StringBuilder(10), value).toString();
    }

    /** TIME as MySQL prints it: "[-]HH:mm:ss[.ffffff]", hours may pass 24. */
    public static String time(Duration value) {
        return time(value, UNKNOWN_PRECISION);
    }

    /** TIME(n) with n fraction digits. */
    public static String time(Duration value, int precision) {
        StringBuilder out = new StringBuilder(16);
        Duration abs = value.abs();
        if (value.isNegative()) {
            out.append('-');
        }
        long hours = abs.toHours();
        if (hours < 10) {
            out.append('0');
        }
        out.append(hours).append(':');
        pad2(out, abs.toMinutesPart()).append(':');
        pad2(out, abs.toSecondsPart());
        return fraction(out, abs.toNanosPart(), precision).toString();
    }

    public static String base64(byte[] value) {
        return Base64.getEncoder().encodeToString(value);
    }

    /** Any model value as text, the way MySQL would print it (binary as Base64, TIMESTAMP as epoch seconds). */
    public static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof byte[] b) {
            return base64(b);
        }
        if (value instanceof Instant i) {
            return epochSeconds(i);
        }
        if (value instanceof LocalDateTime t) {
            return dateTime(t);
        }
        if (value instanceof LocalDate d) {
            return date(d);
        }
        if (value instanceof Duration d) {
            return time(d);
        }
        if (value instanceof ZeroDate z) {
            return z.text();
        }
        return value.toString();
    }

    /** Whether two column values are the same value (arrays by content, decimals by value). */
    public static boolean sameValue(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a, b);
    }

    /** The values at the given positions as text joined with a separator (multi-column keys). */
    public static String joined(Object[] row, int[] indexes, char separator) {
        if (indexes.length == 1) {
            return String.valueOf(text(row[indexes[0]]));
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < indexes.length; i++) {
            if (i > 0) {
                out.append(separator);
            }
            out.append(text(row[indexes[i]]));
        }
        return out.toString();
    }

    private static StringBuilder date(StringBuilder out, LocalDate value) {
        int year = value.getYear();
        if (year < 1000) {
            out.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        out.append(year).append('-');
        pad2(out, value.getMonthValue()).append('-');
        return pad2(out, value.getDayOfMonth());
    }

    private static StringBuilder pad2(StringBuilder out, int value) {
        if (value < 10) {
            out.append('0');
        }
        return out.append(value);
    }

    /**
     * Appends the fraction of a second: exactly {@code precision} digits when the declared precision
     * is known (none for 0), else none for a whole second and at least microsecond digits otherwise.
     */
    private static StringBuilder fraction(StringBuilder out, int nanos, int precision) {
        if (precision == 0 || (precision < 0 && nanos == 0)) {
            return out;
        }
        int end;
        if (precision > 0) {
            end = Math.min(precision, 9);
        } else {
            end = 9;
            int rest = nanos;
            while (end > 6 && rest % 10 == 0) {
                rest /= 10;
                end--;
            }
        }
        out.append('.');
        // the first `end` of the nine digits of nanos, without formatting a string
        int divisor = 100_000_000;
        for (int i = 0; i < end; i++) {
            out.append((char) ('0' + (nanos / divisor) % 10));
            divisor /= 10;
        }
        return out;
    }

    /** The declared fractional-seconds precision of a temporal column, or UNKNOWN_PRECISION. */
    public static int precisionOf(String typeName, int length) {
        if (length < 0 || length > 9 || typeName == null) {
            return UNKNOWN_PRECISION;
        }
        return switch (typeName.toUpperCase(Locale.ROOT)) {
            case "DATETIME", "TIMESTAMP", "TIME" -> length;
            default -> UNKNOWN_PRECISION;
        };
    }
}
