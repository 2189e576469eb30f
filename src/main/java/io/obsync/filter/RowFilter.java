package io.obsync.filter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.obsync.event.ColumnDef;
import io.obsync.event.TableSchema;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.conditional.XorExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;

/**
 * A SQL {@code WHERE} clause over one table's own columns, parsed once with JSqlParser and
 * evaluated against rows of the change-event model with SQL's three-valued logic: a comparison
 * with NULL is unknown, and only a condition that is true matches.
 *
 * <p>Supported: {@code = <> != < <= > >=}, AND, OR, XOR, NOT, parentheses, [NOT] IN, [NOT] BETWEEN,
 * [NOT] LIKE with {@code %}, {@code _} and escapes (backslash, or ESCAPE 'c'), IS [NOT] NULL,
 * {@code + - * / %} and unary minus, number, string, NULL, TRUE/FALSE and DATE/TIME/TIMESTAMP
 * literals, names in backticks. Strings compare as written (binary, case-sensitive); a string
 * literal compared with a DATE, DATETIME, TIMESTAMP (UTC) or TIME column is read as that type.
 *
 * <p>The clause is bound once per table version (names to column positions, literals to the
 * column's value type); evaluating a condition without arithmetic allocates nothing.
 */
public final class RowFilter {

    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[ HH:mm:ss][ HH:mm]").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd().parseDefaulting(ChronoField.HOUR_OF_DAY, 0).toFormatter(Locale.ROOT);

    private final String clause;
    private final String table;
    private final Expression expression;
    private final Set<String> columns;
    private final Map<TableSchema, Condition> bound = new ConcurrentHashMap<>();

    private RowFilter(String clause, String table, Expression expression, Set<String> columns) {
        this.clause = clause;
        this.table = table;
        this.expression = expression;
        this.columns = columns;
    }

    /**
     * Parses a clause; {@code table} only names the object in errors.
     *
     * @throws IllegalArgumentException a one-sentence error naming the table, the clause and the fix
     */
    public static RowFilter parse(String clause, String table) {
        if (clause == null || clause.isBlank()) {
            throw new IllegalArgumentException("The row filter of " + table + " is empty: remove it, or write a condition such as amount > 100.");
        }
        Expression expression;
        try {
            expression = CCJSqlParserUtil.parseCondExpression(clause, false);
        } catch (JSQLParserException | RuntimeException e) {
            throw new IllegalArgumentException("The row filter of " + table + " '" + clause + "' is not a SQL WHERE condition ("
                    + firstLine(e) + "): write it like amount > 100 AND status IN ('paid', 'sent').", e);
        }
        Set<String> names = new LinkedHashSet<>();
        // compile once without a table to reject what the filter does not support, and to collect the names
        try {
            new Compiler(null, clause, table, names).condition(expression);
        } catch (java.time.DateTimeException | NumberFormatException e) {
            throw new IllegalArgumentException("The row filter of " + table + " '" + clause + "' has a literal that is not a valid value ("
                    + e.getMessage() + "): write dates as '2026-11-21', times as '2026-11-21 09:30:00'.", e);
        }
        return new RowFilter(clause, table, expression, names);
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).trim();
    }

    public String clause() {
        return clause;
    }

    /** The column names the clause reads. */
    public Set<String> columns() {
        return columns;
    }

    /**
     * Checks the clause against a table's columns.
     *
     * @throws IllegalArgumentException naming the unknown column
     */
    public void check(TableSchema schema) {
        condition(schema);
    }

    /** Whether the row matches: true only when the condition is true (not false, not unknown). */
    public boolean matches(TableSchema schema, Object[] row) {
        return condition(schema).test(row) == Condition.TRUE;
    }

    /**
     * Whether a row change passes: INSERT and snapshot rows by their new row, DELETE by its old row,
     * UPDATE when either image matches (a consumer never keeps a row that left the filter).
     */
    public boolean matches(io.obsync.event.ChangeEvent event) {
        return switch (event.operation()) {
            case UPDATE -> matches(event.schema(), event.before()) || matches(event.schema(), event.after());
            case DELETE -> matches(event.schema(), event.before());
            default -> matches(event.schema(), event.after());
        };
    }

    private Condition condition(TableSchema schema) {
        Condition condition = bound.get(schema);
        if (condition == null) {
            condition = new Compiler(schema, clause, table, new LinkedHashSet<>()).condition(expression);
            bound.put(schema, condition);
        }
        return condition;
    }

    /** A compiled condition: TRUE, FALSE or UNKNOWN (SQL's NULL). */
    interface Condition {
        int TRUE = 1;
        int FALSE = 0;
        int UNKNOWN = -1;

        int test(Object[] row);
    }

    /** A compiled value expression. */
    interface Value {
        Object get(Object[] row);

        /** The Java type the value has, when known at compile time (a column's or a literal's), else null. */
        default Class<?> type() {
            return null;
        }
    }

    private record ColumnValue(int index, Class<?> type) implements Value {
        @Override
        public Object get(Object[] row) {
            return row[index];
        }
    }

    private record Constant(Object value) implements Value {
        @Override
        public Object get(Object[] row) {
            return value;
        }

        @Override
        public Class<?> type() {
            return value == null ? null : value.getClass();
        }
    }

    /** Turns JSqlParser's tree into conditions and values over one table's columns. */
    private static final class Compiler {
        private final TableSchema schema;
        private final String clause;
        private final String table;
        private final Set<String> names;

        Compiler(TableSchema schema, String clause, String table, Set<String> names) {
            this.schema = schema;
            this.clause = clause;
            this.table = table;
            this.names = names;
        }

        private IllegalArgumentException unsupported(Expression e) {
            return new IllegalArgumentException("The row filter of " + table + " '" + clause + "' uses '" + e
                    + "', which a row filter does not support: use comparisons, AND/OR/NOT, IN, BETWEEN, LIKE, IS NULL and arithmetic"
                    + " over the table's own columns.");
        }

        Condition condition(Expression e) {
            if (e instanceof Parenthesis p) {
                return condition(p.getExpression());
            }
            if (e instanceof net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList<?> list && list.size() == 1) {
                return condition(list.get(0));
            }
            if (e instanceof AndExpression and) {
                return and(condition(and.getLeftExpression()), condition(and.getRightExpression()));
            }
            if (e instanceof OrExpression or) {
                Condition l = condition(or.getLeftExpression());
                Condition r = condition(or.getRightExpression());
                return row -> {
                    int a = l.test(row);
                    if (a == Condition.TRUE) {
                        return Condition.TRUE;
                    }
                    int b = r.test(row);
                    if (b == Condition.TRUE) {
                        return Condition.TRUE;
                    }
                    return a == Condition.FALSE && b == Condition.FALSE ? Condition.FALSE : Condition.UNKNOWN;
                };
            }
            if (e instanceof XorExpression xor) {
                Condition l = condition(xor.getLeftExpression());
                Condition r = condition(xor.getRightExpression());
                return row -> {
                    int a = l.test(row);
                    int b = r.test(row);
                    return a == Condition.UNKNOWN || b == Condition.UNKNOWN ? Condition.UNKNOWN : a != b ? Condition.TRUE : Condition.FALSE;
                };
            }
            if (e instanceof NotExpression not) {
                return negate(condition(not.getExpression()));
            }
            if (e instanceof IsNullExpression isNull) {
                Value v = value(isNull.getLeftExpression());
                boolean wantNull = !isNull.isNot();
                return row -> (v.get(row) == null) == wantNull ? Condition.TRUE : Condition.FALSE;
            }
            if (e instanceof Between between) {
                Value v = value(between.getLeftExpression());
                Value low = coerce(value(between.getBetweenExpressionStart()), v);
                Value high = coerce(value(between.getBetweenExpressionEnd()), v);
                Condition inside = and(compare(v, low, c -> c >= 0), compare(v, high, c -> c <= 0));
                return between.isNot() ? negate(inside) : inside;
            }
            if (e instanceof InExpression in) {
                return in(in);
            }
            if (e instanceof LikeExpression like) {
                return like(like);
            }
            if (e instanceof EqualsTo x) {
                return comparison(x, c -> c == 0);
            }
            if (e instanceof NotEqualsTo x) {
                return comparison(x, c -> c != 0);
            }
            if (e instanceof GreaterThan x) {
                return comparison(x, c -> c > 0);
            }
            if (e instanceof GreaterThanEquals x) {
                return comparison(x, c -> c >= 0);
            }
            if (e instanceof MinorThan x) {
                return comparison(x, c -> c < 0);
            }
            if (e instanceof MinorThanEquals x) {
                return comparison(x, c -> c <= 0);
            }
            if (e instanceof Column || e instanceof BooleanValue || e instanceof LongValue || e instanceof NullValue) {
                // a bare value as a condition: true when non-zero, as MySQL reads it
                Value v = value(e);
                return row -> {
                    Object x = v.get(row);
                    if (x == null) {
                        return Condition.UNKNOWN;
                    }
                    if (x instanceof Boolean b) {
                        return b ? Condition.TRUE : Condition.FALSE;
                    }
                    return x instanceof Number n && n.doubleValue() != 0 ? Condition.TRUE : Condition.FALSE;
                };
            }
            throw unsupported(e);
        }

        private static Condition negate(Condition c) {
            return row -> {
                int v = c.test(row);
                return v == Condition.UNKNOWN ? Condition.UNKNOWN : v == Condition.TRUE ? Condition.FALSE : Condition.TRUE;
            };
        }

        private static Condition and(Condition l, Condition r) {
            return row -> {
                int a = l.test(row);
                if (a == Condition.FALSE) {
                    return Condition.FALSE;
                }
                int b = r.test(row);
                if (b == Condition.FALSE) {
                    return Condition.FALSE;
                }
                return a == Condition.TRUE && b == Condition.TRUE ? Condition.TRUE : Condition.UNKNOWN;
            };
        }

        private interface Outcome {
            boolean of(int comparison);
        }

        private Condition comparison(BinaryExpression x, Outcome outcome) {
            Value l = value(x.getLeftExpression());
            Value r = value(x.getRightExpression());
            return compare(coerce(l, r), coerce(r, l), outcome);
        }

        private static Condition compare(Value l, Value r, Outcome outcome) {
            return row -> {
                Object a = l.get(row);
                Object b = r.get(row);
                if (a == null || b == null) {
                    return Condition.UNKNOWN;
                }
                return outcome.of(Values.compare(a, b)) ? Condition.TRUE : Condition.FALSE;
            };
        }

        private Condition in(InExpression in) {
            Value v = value(in.getLeftExpression());
            if (!(in.getRightExpression() instanceof ExpressionList<?> list)) {
                throw unsupported(in);
            }
            List<Value> options = new ArrayList<>();
            for (Expression option : list) {
                options.add(coerce(value(option), v));
            }
            Value[] choices = options.toArray(new Value[0]);
            boolean not = in.isNot();
            return row -> {
                Object x = v.get(row);
                if (x == null) {
                    return Condition.UNKNOWN;
                }
                boolean unknown = false;
                for (Value choice : choices) {
                    Object c = choice.get(row);
                    if (c == null) {
                        unknown = true;
                    } else if (Values.compare(x, c) == 0) {
                        return not ? Condition.FALSE : Condition.TRUE;
                    }
                }
                return unknown ? Condition.UNKNOWN : not ? Condition.TRUE : Condition.FALSE;
            };
        }

        private Condition like(LikeExpression like) {
            if (like.getLikeKeyWord() != LikeExpression.KeyWord.LIKE) {
                throw unsupported(like);
            }
            Value v = value(like.getLeftExpression());
            Value pattern = value(like.getRightExpression());
            char escape = '\\';
            if (like.getEscape() != null) {
                if (!(like.getEscape() instanceof StringValue s) || s.getValue().length() != 1) {
                    throw unsupported(like);
                }
                escape = s.getValue().charAt(0);
            }
            char esc = escape;
            boolean not = like.isNot();
            return row -> {
                Object x = v.get(row);
                Object p = pattern.get(row);
                if (x == null || p == null) {
                    return Condition.UNKNOWN;
                }
                boolean matches = Like.matches(x instanceof String s ? s : String.valueOf(x), p.toString(), esc);
                return matches != not ? Condition.TRUE : Condition.FALSE;
            };
        }

        Value value(Expression e) {
            if (e instanceof Parenthesis p) {
                return value(p.getExpression());
            }
            if (e instanceof Column column) {
                return column(column);
            }
            if (e instanceof LongValue x) {
                return new Constant(x.getValue());
            }
            if (e instanceof DoubleValue x) {
                return new Constant(new BigDecimal(x.toString()));
            }
            if (e instanceof StringValue x) {
                return new Constant(x.getValue());
            }
            if (e instanceof NullValue) {
                return new Constant(null);
            }
            if (e instanceof BooleanValue b) {
                return new Constant(b.getValue() ? 1L : 0L);
            }
            if (e instanceof DateTimeLiteralExpression x) {
                String text = x.getValue().replace("'", "");
                return new Constant(switch (x.getType()) {
                    case DATE -> LocalDate.parse(text);
                    case TIME -> Values.time(text);
                    default -> LocalDateTime.parse(text, DATE_TIME);
                });
            }
            if (e instanceof CastExpression cast && cast.getLeftExpression() instanceof StringValue text) {
                // DATE '2026-11-21', TIMESTAMP '...', TIME '...' and CAST('...' AS DATE)
                String literal = text.getValue();
                if (CastExpression.isDate(cast.getColDataType())) {
                    return new Constant(LocalDate.parse(literal.trim()));
                }
                if (CastExpression.isTimeStamp(cast.getColDataType())) {
                    return new Constant(LocalDateTime.parse(literal.trim(), DATE_TIME));
                }
                if (CastExpression.isTime(cast.getColDataType())) {
                    return new Constant(Values.time(literal.trim()));
                }
                throw unsupported(e);
            }
            if (e instanceof SignedExpression signed) {
                Value inner = value(signed.getExpression());
                if (signed.getSign() == '-') {
                    if (inner instanceof Constant c && c.value() instanceof Long l) {
                        return new Constant(-l);
                    }
                    if (inner instanceof Constant c && c.value() instanceof BigDecimal d) {
                        return new Constant(d.negate());
                    }
                    return row -> Values.negate(inner.get(row));
                }
                return inner;
            }
            if (e instanceof Addition || e instanceof Subtraction || e instanceof Multiplication || e instanceof Division || e instanceof Modulo) {
                BinaryExpression b = (BinaryExpression) e;
                Value l = value(b.getLeftExpression());
                Value r = value(b.getRightExpression());
                char op = e instanceof Addition ? '+' : e instanceof Subtraction ? '-' : e instanceof Multiplication ? '*'
                        : e instanceof Division ? '/' : '%';
                return row -> Values.arithmetic(op, l.get(row), r.get(row));
            }
            throw unsupported(e);
        }

        private Value column(Column column) {
            if (column.getTable() != null && column.getTable().getName() != null) {
                throw new IllegalArgumentException("The row filter of " + table + " '" + clause + "' names " + column
                        + ", a column of another table: a row filter reads only the table's own columns.");
            }
            String name = unquote(column.getColumnName());
            if ("TRUE".equalsIgnoreCase(name) || "FALSE".equalsIgnoreCase(name)) {
                return new Constant("TRUE".equalsIgnoreCase(name) ? 1L : 0L);
            }
            names.add(name);
            if (schema == null) {
                return new ColumnValue(0, null);
            }
            int index = schema.indexOf(name);
            if (index < 0) {
                for (int i = 0; i < schema.size(); i++) {
                    if (schema.column(i).name().equalsIgnoreCase(name)) {
                        index = i;
                    }
                }
            }
            if (index < 0) {
                throw new IllegalArgumentException("The row filter of " + table + " '" + clause + "' names column '" + name
                        + "', which the table does not have: use one of " + schema.columns().stream().map(ColumnDef::name).toList() + ".");
            }
            return new ColumnValue(index, Values.javaType(schema.column(index)));
        }

        /** A literal compared with a column becomes the column's value type once, at compile time. */
        private static Value coerce(Value literal, Value other) {
            if (!(literal instanceof Constant c) || c.value() == null || other.type() == null) {
                return literal;
            }
            Object converted = Values.convert(c.value(), other.type());
            return converted == c.value() ? literal : new Constant(converted);
        }

        private static String unquote(String name) {
            if (name.length() >= 2 && (name.startsWith("`") && name.endsWith("`") || name.startsWith("\"") && name.endsWith("\""))) {
                return name.substring(1, name.length() - 1);
            }
            return name;
        }
    }

    /** Value types, conversions and arithmetic of the filter. */
    static final class Values {

        private Values() {
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
            Duration d = Duration.ofHours(Long.parseLong(parts[0]));
            if (parts.length > 1) {
                d = d.plusMinutes(Long.parseLong(parts[1]));
            }
            if (parts.length > 2) {
                d = d.plusNanos(new BigDecimal(parts[2]).movePointRight(9).longValueExact());
            }
            return negative ? d.negated() : d;
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
                case '/' -> r.signum() == 0 ? null : l.divide(r, Math.max(l.scale(), 0) + 4, java.math.RoundingMode.HALF_UP);
                default -> r.signum() == 0 ? null : l.remainder(r);
            };
        }
    }

    /** SQL LIKE without regular expressions: % any run, _ one character, escape before either for itself. */
    static final class Like {

        private Like() {
        }

        static boolean matches(String text, String pattern, char escape) {
            return matches(text, 0, pattern, 0, escape);
        }

        private static boolean matches(String text, int t, String pattern, int p, char escape) {
            while (p < pattern.length()) {
                char c = pattern.charAt(p);
                if (c == escape && p + 1 < pattern.length()) {
                    if (t >= text.length() || text.charAt(t) != pattern.charAt(p + 1)) {
                        return false;
                    }
                    t++;
                    p += 2;
                } else if (c == '%') {
                    while (p < pattern.length() && pattern.charAt(p) == '%') {
                        p++;
                    }
                    if (p == pattern.length()) {
                        return true;
                    }
                    for (int start = t; start <= text.length(); start++) {
                        if (matches(text, start, pattern, p, escape)) {
                            return true;
                        }
                    }
                    return false;
                } else if (c == '_') {
                    if (t >= text.length()) {
                        return false;
                    }
                    t++;
                    p++;
                } else {
                    if (t >= text.length() || text.charAt(t) != c) {
                        return false;
                    }
                    t++;
                    p++;
                }
            }
            return t == text.length();
        }
    }

    @Override
    public String toString() {
        return clause;
    }
}
