package io.obsync.filter;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.obsync.event.TableSchema;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;

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

    private final String clause;
    private final String table;
    private final Expression expression;
    private final Set<String> columns;
    private final Map<TableSchema, WhereCompiler.Condition> bound = new ConcurrentHashMap<>();

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
            new WhereCompiler(null, clause, table, names).condition(expression);
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
        return condition(schema).test(row) == WhereCompiler.Condition.TRUE;
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

    private WhereCompiler.Condition condition(TableSchema schema) {
        WhereCompiler.Condition condition = bound.get(schema);
        if (condition == null) {
            condition = new WhereCompiler(schema, clause, table, new LinkedHashSet<>()).condition(expression);
            bound.put(schema, condition);
        }
        return condition;
    }

    @Override
    public String toString() {
        return clause;
    }
}
