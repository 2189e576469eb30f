package io.obsync.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import com.sun.management.ThreadMXBean;
import io.obsync.event.ChangeEvent;
import io.obsync.filter.ObjectSelection;
import io.obsync.filter.RowFilter;
import io.obsync.filter.SyncObjects;

/**
 * Per-event cost of row filters and column selection on the model: events/s and bytes allocated
 * per event, beside a baseline measured in the same run (the same condition written in Java).
 */
public final class FilterBenchmark {

    /** One measurement. */
    public record Figures(String name, double eventsPerSecond, double allocatedPerEvent) {
    }

    private FilterBenchmark() {
    }

    public static List<Figures> run(int count, int rounds, PrintStream out) throws Exception {
        List<ChangeEvent> events = FormatBenchmark.events(count);
        var schema = events.get(0).schema();
        String clause = "amount > 100 AND status IN ('paid', 'sent') AND note IS NOT NULL";
        RowFilter filter = RowFilter.parse(clause, "shop.orders");
        RowFilter like = RowFilter.parse("note LIKE '%number 1%' OR customer_id BETWEEN 10 AND 20", "shop.orders");
        BigDecimal hundred = new BigDecimal(100);
        Predicate<Object[]> java = row -> row[3] != null && ((BigDecimal) row[3]).compareTo(hundred) > 0
                && ("paid".equals(row[2]) || "sent".equals(row[2])) && row[8] != null;
        Path objectsFile = Files.createTempFile("obsync-bench-objects", ".yaml");
        Files.writeString(objectsFile, "include:\n  - table: shop.orders\n    columns: [id, status, amount, created_at]\n");
        ObjectSelection selection = new ObjectSelection(SyncObjects.load(objectsFile.toString(), "INSERT,UPDATE,DELETE"), false);
        Files.delete(objectsFile);
        List<Figures> results = List.of(
                measure("java predicate (baseline)", events, rounds, e -> java.test(e.currentImage())),
                measure("row filter: " + clause, events, rounds, e -> filter.matches(schema, e.currentImage())),
                measure("row filter: LIKE and BETWEEN", events, rounds, e -> like.matches(schema, e.currentImage())),
                measure("column selection: 4 of 12", events, rounds, e -> selection.project(e) != e));
        double baseline = results.get(0).eventsPerSecond();
        out.printf("%-90s %14s %10s %12s%n", "step", "events/s", "vs_base", "alloc/event");
        for (Figures f : results) {
            out.printf("%-90s %,14.0f %10.2f %12.0f%n", f.name(), f.eventsPerSecond(), f.eventsPerSecond() / baseline, f.allocatedPerEvent());
        }
        return results;
    }

    private static Figures measure(String name, List<ChangeEvent> events, int rounds, Predicate<ChangeEvent> step) {
        int sink = 0;
        for (ChangeEvent event : events) {
            sink += step.test(event) ? 1 : 0;
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        double best = 0;
        double allocated = 0;
        for (int round = 0; round < rounds; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            long start = System.nanoTime();
            for (ChangeEvent event : events) {
                sink += step.test(event) ? 1 : 0;
            }
            long elapsed = System.nanoTime() - start;
            long after = threads.getThreadAllocatedBytes(thread);
            double eps = events.size() / (elapsed / 1e9);
            if (eps > best) {
                best = eps;
                allocated = (double) (after - before) / events.size();
            }
        }
        if (sink == Integer.MIN_VALUE) {
            System.out.print(""); // keeps the results alive
        }
        return new Figures(name, best, allocated);
    }
}
