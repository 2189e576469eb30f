package io.obsync.filter;

import java.time.DateTimeException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.obsync.event.ChangeEvent;
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

    /** Longest clause accepted. */
    static final int MAX_LENGTH = 4000;
    /** Deepest nesting of parentheses accepted. */
    static final int MAX_DEPTH = 16;
    /** Most operators (comparisons, AND/OR/XOR/NOT, IN, LIKE, BETWEEN, IS, arithmetic) accepted. */
    static final int MAX_OPERATORS = 200;
    /** Longest a clause may take to parse. */
    static final long PARSE_TIMEOUT_MS = 1000;

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
        checkSize(clause, table);
        Expression expression;
        try {
            expression = parseWithin(clause, PARSE_TIMEOUT_MS);
        } catch (JSQLParserException | RuntimeException | StackOverflowError e) {
            throw new IllegalArgumentException("The row filter of " + table + " '" + shown(clause) + "' is not a SQL WHERE condition ("
                    + firstLine(e) + "): write it like amount > 100 AND status IN ('paid', 'sent').", e);
        }
        Set<String> names = new LinkedHashSet<>();
        // compile once without a table to reject what the filter does not support, and to collect the names
        try {
            new WhereCompiler(null, clause, table, names).condition(expression);
        } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("The row filter of " + table + " '" + shown(clause) + "' has a literal that is not a valid value ("
                    + firstLine(e) + "): write dates as '2026-11-21', times as '2026-11-21 09:30:00' or '12:30:00'.", e);
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("The row filter of " + table + " is nested too deeply: write a simpler condition.", e);
        }
        return new RowFilter(clause, table, expression, names);
    }

    /**
     * JSqlParser backtracks on some syntax errors inside parentheses for seconds: the clause is parsed
     * as the condition of a query on a parser thread that JSqlParser stops after the time limit.
     */
    private static Expression parseWithin(String clause, long timeoutMs) throws JSQLParserException {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "obsync-row-filter-parser");
            thread.setDaemon(true);
            return thread;
        });
        try {
            net.sf.jsqlparser.statement.Statement statement = CCJSqlParserUtil.parse("SELECT 1 FROM t WHERE " + clause, executor,
                    parser -> parser.withTimeOut(timeoutMs).withAllowComplexParsing(false));
            if (!(statement instanceof net.sf.jsqlparser.statement.select.PlainSelect select) || select.getWhere() == null) {
                throw new JSQLParserException("not a single condition");
            }
            return select.getWhere();
        } finally {
            executor.shutdownNow();
        }
    }

    /** A clause is a condition, not a program: its length, parenthesis depth and number of operators are bounded. */
    private static void checkSize(String clause, String table) {
        if (clause.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("The row filter of " + table + " is " + clause.length() + " characters long: keep it within "
                    + MAX_LENGTH + " characters.");
        }
        int depth = 0;
        int deepest = 0;
        int operators = 0;
        char quote = 0;
        for (int i = 0; i < clause.length(); i++) {
            char c = clause.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '\'', '"', '`' -> quote = c;
                case '(' -> deepest = Math.max(deepest, ++depth);
                case ')' -> depth--;
                case '+', '-', '*', '/', '%', '=', '<', '>' -> operators++;
                default -> {
                    if (Character.isLetter(c) && (i == 0 || !Character.isLetterOrDigit(clause.charAt(i - 1)) && clause.charAt(i - 1) != '_')
                            && startsWord(clause, i, "AND", "OR", "XOR", "NOT", "IN", "LIKE", "BETWEEN", "IS")) {
                        operators++;
                    }
                }
            }
            if (depth < 0) {
                break;
            }
        }
        if (depth != 0 || quote != 0) {
            throw new IllegalArgumentException("The row filter of " + table + " '" + shown(clause) + "' has unbalanced "
                    + (quote != 0 ? "quotes" : "parentheses") + ": close every one it opens.");
        }
        if (deepest > MAX_DEPTH) {
            throw new IllegalArgumentException("The row filter of " + table + " nests parentheses " + deepest + " deep: keep it within "
                    + MAX_DEPTH + ".");
        }
        if (operators > MAX_OPERATORS) {
            throw new IllegalArgumentException("The row filter of " + table + " has " + operators + " operators: keep it within " + MAX_OPERATORS
                    + " (for many values use IN (...)).");
        }
    }

    private static boolean startsWord(String text, int at, String... words) {
        for (String word : words) {
            int end = at + word.length();
            if (text.regionMatches(true, at, word, 0, word.length())
                    && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)) && text.charAt(end) != '_')) {
                return true;
            }
        }
        return false;
    }

    /** The clause as an error shows it: at most 200 characters, on one line. */
    private static String shown(String clause) {
        String line = clause.replaceAll("\\s+", " ");
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    private static String firstLine(Throwable e) {
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
    public boolean matches(ChangeEvent event) {
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
