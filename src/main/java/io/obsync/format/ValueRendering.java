package io.obsync.format;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Base64;

/** How model values become text in JSON formats: one convention, shared by every format. */
public final class ValueRendering {

    private ValueRendering() {
    }

    /** TIMESTAMP as epoch seconds with the fraction, if any: "1700000000" or "1700000000.123456". */
    public static String epochSeconds(Instant instant) {
        long seconds = instant.getEpochSecond();
        int nanos = instant.getNano();
        if (nanos == 0) {
            return Long.toString(seconds);
        }
        if (seconds < 0) {
            // a negative instant with a fraction: seconds rounds toward zero for readers
            return new BigDecimal(seconds).add(BigDecimal.valueOf(nanos, 9)).stripTrailingZeros().toPlainString();
        }
        return seconds + "." + trimFraction(nanos);
    }

    /** DATETIME as the source's wall clock: "2024-05-01 12:30:00" or with ".123456". */
    public static String dateTime(LocalDateTime value) {
        StringBuilder out = new StringBuilder(26);
        date(out, value.toLocalDate()).append(' ');
        time(out, value.toLocalTime());
        return out.toString();
    }

    public static String date(LocalDate value) {
        return date(new StringBuilder(10), value).toString();
    }

    /** TIME as MySQL prints it: "[-]HH:mm:ss[.ffffff]", hours may pass 24. */
    public static String time(Duration value) {
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
        if (abs.toNanosPart() != 0) {
            out.append('.').append(trimFraction(abs.toNanosPart()));
        }
        return out.toString();
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
        return value.toString();
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

    private static void time(StringBuilder out, LocalTime value) {
        pad2(out, value.getHour()).append(':');
        pad2(out, value.getMinute()).append(':');
        pad2(out, value.getSecond());
        if (value.getNano() != 0) {
            out.append('.').append(trimFraction(value.getNano()));
        }
    }

    private static StringBuilder pad2(StringBuilder out, int value) {
        if (value < 10) {
            out.append('0');
        }
        return out.append(value);
    }

    /** Nanoseconds as a fraction with at least microsecond digits and no trailing zeros beyond them. */
    private static String trimFraction(int nanos) {
        String digits = String.format("%09d", nanos);
        int end = 9;
        while (end > 6 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return digits.substring(0, end);
    }
}
