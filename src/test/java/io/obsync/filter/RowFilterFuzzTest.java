package io.obsync.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.obsync.event.ColumnDef;
import io.obsync.event.TableSchema;
import org.junit.jupiter.api.Test;

/**
 * Generated WHERE clauses (fixed seed) of every shape a user can type, the pathological ones too:
 * long AND chains, arithmetic chains, deep and unbalanced parentheses, literals of the wrong type,
 * random tokens. None may crash, hang or answer with more than one line; a clause that is accepted
 * evaluates on rows without failing.
 */
class RowFilterFuzzTest {

    private static final TableSchema TABLE = new TableSchema(List.of(
            new ColumnDef("id", "INT", 11, -1, false),
            new ColumnDef("amount", "DECIMAL", 10, 2, true),
            new ColumnDef("note", "VARCHAR", 20, -1, true),
            new ColumnDef("d", "DATE", -1, -1, true),
            new ColumnDef("f", "TIME", 0, -1, true)), List.of("id"));
    private static final List<Object[]> ROWS = List.of(
            new Object[] {1, new BigDecimal("120.50"), "paid", LocalDate.of(2026, 11, 21), Duration.ofMinutes(90)},
            new Object[] {2, null, null, null, null},
            new Object[] {3, new BigDecimal("-1"), "it's", LocalDate.of(1970, 1, 1), Duration.ofHours(-5)});
    private static final String[] ATOMS = {"id = 1", "amount > 100", "note LIKE 'p%'", "note IS NULL", "d >= '2026-01-01'",
        "f BETWEEN '00:00:00' AND '12:00:00'", "id IN (1, 2, 3)", "amount / 0 > 1", "NOT id <> 2", "note = 'it''s'", "id + 1 * 2 > 3",
        "f BETWEEN 59 AND TIME '25:61:00'", "d = 'yesterday'", "amount > 'ten'", "id = ", "(id = 1", "note LIKE '%a%a%a%a%a%b'",
        "missing = 1", "id = 1)", "'unterminated", "amount BETWEEN 1 AND", "TRUE", "id % 0 = 1"};

    @Test
    void noClauseCrashesHangsOrAnswersInMoreThanOneLine() {
        List<String> clauses = clauses(new Random(20261202), 2_000);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int accepted = 0;
            int refused = 0;
            for (String clause : clauses) {
                RowFilter filter;
                try {
                    filter = RowFilter.parse(clause, "shop.orders");
                    filter.check(TABLE);
                } catch (IllegalArgumentException e) {
                    assertThat(e.getMessage()).as(clause).doesNotContain("\n").startsWith("The row filter of shop.orders");
                    refused++;
                    continue;
                }
                for (Object[] row : ROWS) {
                    filter.matches(TABLE, row);
                }
                accepted++;
            }
            assertThat(accepted).as("accepted").isGreaterThan(200);
            assertThat(refused).as("refused").isGreaterThan(200);
        });
    }

    @Test
    void theShapesThatCrashedOrHungBeforeAreRefusedWithTheirLimit() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            assertThat(refusal(String.join(" AND ", java.util.Collections.nCopies(2_000, "id = 1")))).contains("keep it within");
            assertThat(refusal("id " + "+ 1 ".repeat(1_000) + "> 0")).contains("keep it within");
            assertThat(refusal("(".repeat(200) + "id = 1" + ")".repeat(200))).contains("nests parentheses 200 deep: keep it within 16");
            assertThat(refusal("(".repeat(30) + "id = 1")).contains("unbalanced parentheses");
            assertThat(refusal("f BETWEEN 59 AND TIME '25:61:00'")).contains("has minute 61");
            // a literal of the wrong type is found when the clause meets the table, not at the first row
            RowFilter between = RowFilter.parse("f BETWEEN 59 AND '02:00:00'", "shop.orders");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> between.check(TABLE))
                    .hasMessage("The row filter of shop.orders compares f (Duration values) with 59, which is not one: write a time such as '12:30:00'.");
        });
    }

    private static String refusal(String clause) {
        try {
            RowFilter.parse(clause, "shop.orders");
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + clause);
    }

    private static List<String> clauses(Random random, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            switch (random.nextInt(8)) {
                case 0 -> out.add(String.join(" AND ", java.util.Collections.nCopies(1 + random.nextInt(3_000), ATOMS[random.nextInt(ATOMS.length)])));
                case 1 -> out.add("id" + " + 1".repeat(random.nextInt(2_000)) + " > 0");
                case 2 -> {
                    int depth = random.nextInt(300);
                    out.add("(".repeat(depth) + ATOMS[random.nextInt(ATOMS.length)] + ")".repeat(random.nextBoolean() ? depth : random.nextInt(depth + 1)));
                }
                case 3 -> {
                    StringBuilder tokens = new StringBuilder();
                    String[] words = {"id", "AND", "OR", "(", ")", "'x'", "1", "=", "<", "NOT", "IN", "LIKE", "BETWEEN", "NULL", ",", "+", "%", "`id`"};
                    for (int n = random.nextInt(40); n >= 0; n--) {
                        tokens.append(words[random.nextInt(words.length)]).append(' ');
                    }
                    out.add(tokens.toString());
                }
                default -> {
                    StringBuilder combined = new StringBuilder(ATOMS[random.nextInt(ATOMS.length)]);
                    for (int n = random.nextInt(6); n > 0; n--) {
                        combined.append(random.nextBoolean() ? " AND " : " OR ").append(random.nextBoolean() ? "(" : "")
                                .append(ATOMS[random.nextInt(ATOMS.length)]);
                    }
                    int open = (int) combined.chars().filter(c -> c == '(').count() - (int) combined.chars().filter(c -> c == ')').count();
                    out.add(combined + ")".repeat(Math.max(0, open)));
                }
            }
        }
        return out;
    }
}
