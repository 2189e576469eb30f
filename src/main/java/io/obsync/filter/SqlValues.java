package io.obsync.filter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;

import io.obsync.event.ColumnDef;

/** Value types, conversions and arithmetic of row filters. */
final class SqlValues {

    static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[ HH:mm:ss][ HH:mm]").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd().parseDefaulting(ChronoField.HOUR_OF_DAY, 0).toFormatter(Locale.ROOT);

    private SqlValues() {
    }

    /** The Java class the model holds for a column's values. */
    static Class<?> javaType(ColumnDef column) {
        String base = column.typeName().toUpperCase(Locale.ROOT).replace("UNSIGNED", "").replace("ZEROFILL", "").trim();
        boolean unsigned = column.typeName().toUpperCase(Locale.ROOT).contains("UNSIGNED");
        return switch (base) {
            case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "YEAR" -> Long.class;
            case "BIGINT" -> unsigned ? BigDecimal.class : Long.class;
            case "DECIMAL", "NUMERIC", "DEC", "FIXED" -> BigDecimal.class;
            case "FLOAT", "DOUBLE", "REAL", "DOUBLE PRECISION" -> Double.class;
            case "DATE" -> LocalDate.class;
            case "DATETIME" -> LocalDateTime.class;
            case "TIMESTAMP" -> Instant.class;
            case "TIME" -> Duration.class;
            case "CHAR", "VARCHAR", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT", "ENUM", "SET", "JSON" -> String.class;
            default -> null;
        };
    }

    /** A literal as the given type, or the literal itself when it does not convert. */
    static Object convert(Object literal, Class<?> type) {
        try {
            if (type == BigDecimal.class && literal instanceof Long l) {
                return BigDecimal.valueOf(l);
            }
            if (type == Double.class && literal instanceof Number n) {
                return n.doubleValue();
            }
            if (literal instanceof String s) {
                if (type == LocalDate.class) {
                    return LocalDate.parse(s.trim());
                }
                if (type == LocalDateTime.class) {
                    return LocalDateTime.parse(s.trim(), DATE_TIME);
                }
                if (type == Instant.class) {
                    return LocalDateTime.parse(s.trim(), DATE_TIME).toInstant(ZoneOffset.UTC);
                }
                if (type == Duration.class) {
                    return time(s.trim());
                }
                if (type == Long.class || type == BigDecimal.class || type == Double.class) {
                    return new BigDecimal(s.trim());
                }
            }
            if (literal instanceof LocalDate d && type == LocalDateTime.class) {
                return d.atStartOfDay();
            }
            if (literal instanceof LocalDateTime t && type == Instant.class) {
                return t.toInstant(ZoneOffset.UTC);
            }
        } catch (RuntimeException e) {
            return literal;
        }
        return literal;
    }

    static Duration time(String text) {
        boolean negative = text.startsWith("-");
        String[] parts = (negative ? text.substring(1) : text).split(":");
        if (parts.length > 3) {
            throw new DateTimeException("'" + text + "' is not a time");
        }
        Duration d = Duration.ofHours(Long.parseLong(parts[0]));
        if (parts.length > 1) {
            long minutes = Long.parseLong(parts[1]);
            if (minutes < 0 || minutes > 59) {
                throw new DateTimeException("'" + text + "' has minute " + minutes);
            }
            d = d.plusMinutes(minutes);
        }
        if (parts.length > 2) {
            BigDecimal seconds = new BigDecimal(parts[2]);
            if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(60)) >= 0) {
                throw new DateTimeException("'" + text + "' has second " + parts[2]);
            }
            d = d.plusNanos(seconds.movePointRight(9).longValueExact());
        }
        return negative ? d.negated() : d;
    }

    /** Whether a literal, converted for a column, can be compared with the column's values (MySQL compares strings with numbers as numbers). */
    static boolean comparable(Object literal, Class<?> columnType) {
        if (columnType == Long.class || columnType == BigDecimal.class || columnType == Double.class) {
            return literal instanceof Number || literal instanceof Boolean;
        }
        if (columnType == LocalDate.class || columnType == LocalDateTime.class || columnType == Instant.class || columnType == Duration.class) {
            return columnType.isInstance(literal) || columnType == LocalDateTime.class && literal instanceof LocalDate;
        }
        return true;
    }

    /** How to write a literal of a column's value type, for error messages. */
    static String example(Class<?> columnType) {
        if (columnType == LocalDate.class) {
            return "date such as '2026-11-21'";
        }
        if (columnType == LocalDateTime.class || columnType == Instant.class) {
            return "date and time such as '2026-11-21 09:30:00'";
        }
        if (columnType == Duration.class) {
            return "time such as '12:30:00'";
        }
        return "number such as 100";
    }

    /** SQL comparison of two non-null values. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            if (isIntegral(x) && isIntegral(y)) {
                return Long.compare(x.longValue(), y.longValue());
            }
            if (x instanceof BigDecimal d && y instanceof BigDecimal e) {
                return d.compareTo(e);
            }
            if (x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float) {
                return Double.compare(x.doubleValue(), y.doubleValue());
            }
            return decimal(x).compareTo(decimal(y));
        }
        if (a instanceof Boolean x) {
            return compare(x ? 1L : 0L, b);
        }
        if (b instanceof Boolean y) {
            return compare(a, y ? 1L : 0L);
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable c) {
            return c.compareTo(b);
        }
        if (a instanceof Number || b instanceof Number) {
            // MySQL compares a string with a number as numbers
            return decimal(a).compareTo(decimal(b));
        }
        Object converted = convert(b, a.getClass());
        if (converted.getClass() == a.getClass() && a instanceof Comparable c) {
            return c.compareTo(converted);
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }

    static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Number n && isIntegral(n)) {
            return BigDecimal.valueOf(n.longValue());
        }
        if (value instanceof Number n) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        try {
            return new BigDecimal(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            return BigDecimal.ZERO; // MySQL reads a non-numeric string as 0
        }
    }

    static Object negate(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n && isIntegral(n)) {
            return -n.longValue();
        }
        if (value instanceof Double d) {
            return -d;
        }
        return decimal(value).negate();
    }

    static Object arithmetic(char op, Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof Number x && b instanceof Number y && isIntegral(x) && isIntegral(y) && op != '/') {
            long l = x.longValue();
            long r = y.longValue();
            try {
                return switch (op) {
                    case '+' -> Math.addExact(l, r);
                    case '-' -> Math.subtractExact(l, r);
                    case '*' -> Math.multiplyExact(l, r);
                    default -> r == 0 ? null : l % r;
                };
            } catch (ArithmeticException overflow) {
                // fall through to exact decimals
            }
        }
        if (a instanceof Double || b instanceof Double || a instanceof Float || b instanceof Float) {
            double l = ((Number) (a instanceof Number ? a : decimal(a))).doubleValue();
            double r = ((Number) (b instanceof Number ? b : decimal(b))).doubleValue();
            return switch (op) {
                case '+' -> l + r;
                case '-' -> l - r;
                case '*' -> l * r;
                case '/' -> r == 0 ? null : l / r;
                default -> r == 0 ? null : l % r;
            };
        }
        BigDecimal l = decimal(a);
        BigDecimal r = decimal(b);
        return switch (op) {
            case '+' -> l.add(r);
            case '-' -> l.subtract(r);
            case '*' -> l.multiply(r);
            case '/' -> r.signum() == 0 ? null : l.divide(r, Math.max(l.scale(), 0) + 4, RoundingMode.HALF_UP);
            default -> r.signum() == 0 ? null : l.remainder(r);
        };
    }
}
