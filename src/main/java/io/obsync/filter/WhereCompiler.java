package io.obsync.filter;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.obsync.event.ColumnDef;
import io.obsync.event.TableSchema;
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
import net.sf.jsqlparser.schema.Column;

/** Turns JSqlParser's tree for a WHERE clause into conditions and values over one table's columns. */
final class WhereCompiler {

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

    record ColumnValue(int index, Class<?> type) implements Value {
        @Override
        public Object get(Object[] row) {
            return row[index];
        }
    }

    record Constant(Object value) implements Value {
        @Override
        public Object get(Object[] row) {
            return value;
        }

        @Override
        public Class<?> type() {
            return value == null ? null : value.getClass();
        }
    }

    private final TableSchema schema;
    private final String clause;
    private final String table;
    private final Set<String> names;

    WhereCompiler(TableSchema schema, String clause, String table, Set<String> names) {
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
            return outcome.of(SqlValues.compare(a, b)) ? Condition.TRUE : Condition.FALSE;
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
                } else if (SqlValues.compare(x, c) == 0) {
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
                case TIME -> SqlValues.time(text);
                default -> LocalDateTime.parse(text, SqlValues.DATE_TIME);
            });
        }
        if (e instanceof CastExpression cast && cast.getLeftExpression() instanceof StringValue text) {
            // DATE '2026-11-21', TIMESTAMP '...', TIME '...' and CAST('...' AS DATE)
            String literal = text.getValue();
            if (CastExpression.isDate(cast.getColDataType())) {
                return new Constant(LocalDate.parse(literal.trim()));
            }
            if (CastExpression.isTimeStamp(cast.getColDataType())) {
                return new Constant(LocalDateTime.parse(literal.trim(), SqlValues.DATE_TIME));
            }
            if (CastExpression.isTime(cast.getColDataType())) {
                return new Constant(SqlValues.time(literal.trim()));
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
                return row -> SqlValues.negate(inner.get(row));
            }
            return inner;
        }
        if (e instanceof Addition || e instanceof Subtraction || e instanceof Multiplication || e instanceof Division || e instanceof Modulo) {
            BinaryExpression b = (BinaryExpression) e;
            Value l = value(b.getLeftExpression());
            Value r = value(b.getRightExpression());
            char op = e instanceof Addition ? '+' : e instanceof Subtraction ? '-' : e instanceof Multiplication ? '*'
                    : e instanceof Division ? '/' : '%';
            return row -> SqlValues.arithmetic(op, l.get(row), r.get(row));
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
        return new ColumnValue(index, SqlValues.javaType(schema.column(index)));
    }

    /** A literal compared with a column becomes the column's value type once, at compile time. */
    private Value coerce(Value literal, Value other) {
        if (!(literal instanceof Constant c) || c.value() == null || other.type() == null) {
            return literal;
        }
        Object converted = SqlValues.convert(c.value(), other.type());
        if (!SqlValues.comparable(converted, other.type())) {
            // found now, when the clause meets the table, never at a row
            String column = other instanceof ColumnValue v && schema != null ? schema.column(v.index()).name() : "a column";
            throw new IllegalArgumentException("The row filter of " + table + " compares " + column + " (" + other.type().getSimpleName()
                    + " values) with " + (c.value() instanceof String t ? "'" + t + "'" : c.value()) + ", which is not one: write a "
                    + SqlValues.example(other.type()) + ".");
        }
        return converted == c.value() ? literal : new Constant(converted);
    }

    private static String unquote(String name) {
        if (name.length() >= 2 && (name.startsWith("`") && name.endsWith("`") || name.startsWith("\"") && name.endsWith("\""))) {
            return name.substring(1, name.length() - 1);
        }
        return name;
    }
}
