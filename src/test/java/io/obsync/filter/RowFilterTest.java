package io.obsync.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import io.obsync.event.ColumnDef;
import io.obsync.event.TableSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The WHERE grammar, operator by operator, on one row; NULL follows SQL's three-valued logic. */
class RowFilterTest {

    private static final TableSchema ORDERS = new TableSchema(List.of(
            new ColumnDef("id", "BIGINT", 20, -1, false),
            new ColumnDef("amount", "DECIMAL", 12, 2, true),
            new ColumnDef("status", "VARCHAR", 16, -1, true),
            new ColumnDef("qty", "INT", 11, -1, true),
            new ColumnDef("ratio", "DOUBLE", -1, -1, true),
            new ColumnDef("created", "DATETIME", 6, -1, true),
            new ColumnDef("paid", "TIMESTAMP", 3, -1, true),
            new ColumnDef("day", "DATE", -1, -1, true),
            new ColumnDef("took", "TIME", -1, -1, true),
            new ColumnDef("note", "VARCHAR", 64, -1, true),
            new ColumnDef("order", "INT", 11, -1, true),
            new ColumnDef("big", "BIGINT UNSIGNED", 20, -1, true)), List.of("id"));

    private static final Object[] ROW = {42L, new BigDecimal("120.50"), "paid", 3, 0.25,
            LocalDateTime.of(2026, 11, 21, 9, 30, 0), Instant.parse("2026-11-21T10:00:00.250Z"), LocalDate.of(2026, 11, 21),
            Duration.ofHours(1).plusMinutes(30), null, 7, new BigDecimal("18446744073709551615")};

    private static boolean matches(String clause) {
        return RowFilter.parse(clause, "shop.orders").matches(ORDERS, ROW);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // comparisons, against each value type
            "amount > 100 | true", "amount > 120.50 | false", "amount >= 120.5 | true", "amount = 120.5 | true",
            "amount <> 120.5 | false", "amount != 1 | true", "amount < 200 | true", "amount <= 120.49 | false",
            "id = 42 | true", "qty * 2 = 6 | true", "ratio < 0.3 | true", "100 < amount | true",
            "status = 'paid' | true", "status = 'PAID' | false", "status > 'new' | true",
            "created >= '2026-11-21 09:00:00' | true", "created < '2026-11-21' | false", "day = '2026-11-21' | true",
            "day = DATE '2026-11-21' | true", "paid > TIMESTAMP '2026-11-21 10:00:00' | true", "took > '01:00:00' | true",
            "big > 9223372036854775807 | true", "amount = '120.50' | true",
            // logic and parentheses
            "amount > 100 AND status = 'paid' | true", "amount > 100 AND status = 'new' | false",
            "amount > 1000 OR status = 'paid' | true", "NOT status = 'paid' | false", "NOT (amount > 1000 OR qty = 3) | false",
            "(amount > 100 OR qty > 5) AND (status IN ('paid', 'sent')) | true", "amount > 100 XOR qty = 3 | false",
            "status IN ('new', 'paid') AND qty = 3 | true", "status IN ('new', 'paid') AND note IS NOT NULL | false",
            "amount > 100 AND status IN ('paid', 'sent') AND note IS NULL | true", "status NOT IN ('x') AND qty = 4 | false",
            // IN, BETWEEN, LIKE
            "status IN ('new', 'paid') | true", "status NOT IN ('new', 'paid') | false", "qty IN (1, 2, 3) | true",
            "amount BETWEEN 100 AND 200 | true", "amount NOT BETWEEN 100 AND 200 | false", "day BETWEEN '2026-11-01' AND '2026-11-30' | true",
            "status LIKE 'pa%' | true", "status LIKE 'p_id' | true", "status LIKE '%x%' | false", "status NOT LIKE 'n%' | true",
            "status LIKE 'pai_' | true", "status LIKE 'pa\\_d' | false", "status LIKE 'pa!%' ESCAPE '!' | false",
            // arithmetic
            "amount * qty > 300 | true", "amount - 20.5 = 100 | true", "qty / 2 = 1.5 | true", "qty % 2 = 1 | true",
            "-qty < 0 | true", "id + 1 = 43 | true",
            // NULL: comparisons are unknown, never true; IS [NOT] NULL decides
            "note = 'x' | false", "note <> 'x' | false", "NOT note = 'x' | false", "note IS NULL | true", "note IS NOT NULL | false",
            "note = 'x' OR qty = 3 | true", "note = 'x' AND qty = 3 | false", "note IN ('x', 'y') | false", "qty IN (3, NULL) | true",
            "qty NOT IN (1, NULL) | false", "note LIKE '%' | false", "qty + NULL = 3 | false", "note BETWEEN 'a' AND 'z' | false",
            // backticks for reserved words
            "`order` = 7 | true", "`status` = 'paid' | true"})
    void everyOperator(String clause, boolean expected) {
        assertThat(matches(clause)).as(clause).isEqualTo(expected);
    }

    @Test
    void clausesThatDoNotParseOrNameUnknownColumnsAreRefusedNamingTheTable() {
        assertThatThrownBy(() -> RowFilter.parse("amount >", "shop.orders"))
                .hasMessageStartingWith("The row filter of shop.orders 'amount >' is not a SQL WHERE condition")
                .hasMessageEndingWith("write it like amount > 100 AND status IN ('paid', 'sent').");
        RowFilter unknown = RowFilter.parse("price > 1", "shop.orders");
        assertThat(unknown.columns()).containsExactly("price");
        assertThatThrownBy(() -> unknown.check(ORDERS))
                .hasMessageStartingWith("The row filter of shop.orders 'price > 1' names column 'price', which the table does not have");
        assertThatThrownBy(() -> RowFilter.parse("other.amount > 1", "shop.orders"))
                .hasMessageContaining("a column of another table");
        assertThatThrownBy(() -> RowFilter.parse("amount > (SELECT 1)", "shop.orders"))
                .hasMessageContaining("which a row filter does not support");
        assertThatThrownBy(() -> RowFilter.parse(" ", "shop.orders")).hasMessageContaining("is empty");
    }

    @Test
    void likeHandlesEscapesAndRuns() {
        assertThat(Like.matches("50%", "50\\%", '\\')).isTrue();
        assertThat(Like.matches("500", "50\\%", '\\')).isFalse();
        assertThat(Like.matches("a_b", "a\\_b", '\\')).isTrue();
        assertThat(Like.matches("axb", "a\\_b", '\\')).isFalse();
        assertThat(Like.matches("abcabc", "%b%c", '\\')).isTrue();
        assertThat(Like.matches("", "%", '\\')).isTrue();
        assertThat(Like.matches("", "_", '\\')).isFalse();
        assertThat(Like.matches("ab\\", "ab\\", '\\')).as("a trailing escape is itself").isTrue();
    }

    @Test
    void likeAgreesWithARegularExpressionOnRandomPatterns() {
        java.util.Random random = new java.util.Random(7);
        String alphabet = "ab%_";
        for (int i = 0; i < 20_000; i++) {
            String text = randomText(random, "ab", 8);
            String pattern = randomText(random, alphabet, 6);
            String regex = pattern.chars().mapToObj(c -> c == '%' ? ".*" : c == '_' ? "." : java.util.regex.Pattern.quote(String.valueOf((char) c)))
                    .collect(java.util.stream.Collectors.joining());
            assertThat(Like.matches(text, pattern, '\\')).as("'%s' LIKE '%s'", text, pattern).isEqualTo(text.matches("(?s)" + regex));
        }
    }

    @Test
    void aPatternWithManyRunsCannotMakeMatchingSpin() {
        // exponential for a backtracking matcher: this would not finish
        String text = "a".repeat(20_000);
        assertThat(Like.matches(text, "%a%a%a%a%a%a%a%a%a%a%b", '\\')).isFalse();
        assertThat(Like.matches(text + "b", "%a%a%a%a%a%a%a%a%a%a%b", '\\')).isTrue();
    }

    private static String randomText(java.util.Random random, String alphabet, int maxLength) {
        StringBuilder out = new StringBuilder();
        for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
