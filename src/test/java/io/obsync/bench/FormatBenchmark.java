package io.obsync.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.ThreadMXBean;
import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.Operation;
import io.obsync.event.SourcePosition;
import io.obsync.event.TableSchema;
import io.obsync.format.FormatName;
import io.obsync.format.JsonChangeEventFormat;
import io.obsync.format.MessageFormats;

/**
 * Marshalling cost per format on the change-event model, without brokers: events/s, bytes/event and
 * bytes allocated per event, beside a baseline that builds a map per row and writes it with
 * Jackson's ObjectMapper (what a generic JSON marshal of a converted body does).
 */
public final class FormatBenchmark {

    /** One format's figures. */
    public record Figures(String name, double eventsPerSecond, double bytesPerEvent, double allocatedPerEvent) {
    }

    private static final TableSchema ORDERS = new TableSchema(List.of(
            new ColumnDef("id", "BIGINT", 20, -1, false),
            new ColumnDef("customer_id", "INT", 11, -1, true),
            new ColumnDef("status", "VARCHAR", 16, -1, true),
            new ColumnDef("amount", "DECIMAL", 12, 2, true),
            new ColumnDef("tax", "DECIMAL", 12, 2, true),
            new ColumnDef("created_at", "DATETIME", 6, -1, true),
            new ColumnDef("paid_at", "TIMESTAMP", 3, -1, true),
            new ColumnDef("ship_day", "DATE", -1, -1, true),
            new ColumnDef("note", "VARCHAR", 255, -1, true),
            new ColumnDef("flags", "BIT", 8, -1, true),
            new ColumnDef("weight", "DOUBLE", -1, -1, true),
            new ColumnDef("took", "TIME", 0, -1, true)), List.of("id"));

    private FormatBenchmark() {
    }

    /** The events the benchmark marshals: inserts, updates and deletes of a 12-column table in turn. */
    static List<ChangeEvent> events(int count) {
        List<ChangeEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Object[] row = {(long) i, i % 1000, i % 2 == 0 ? "paid" : "new", new BigDecimal(i).movePointLeft(2), new BigDecimal("1.25"),
                    LocalDateTime.of(2026, 11, 21, 9, 0, i % 60, 123_456_000), Instant.ofEpochSecond(1_795_255_200L + i, 250_000_000),
                    LocalDate.of(2026, 11, 21), "order note number " + i, new byte[] {(byte) i}, i * 0.5, Duration.ofSeconds(i % 86_400)};
            Object[] before = row.clone();
            before[2] = "new";
            Operation op = switch (i % 3) {
                case 0 -> Operation.INSERT;
                case 1 -> Operation.UPDATE;
                default -> Operation.DELETE;
            };
            events.add(ChangeEvent.builder(op).eventId("mariadb-bin.000001:" + i + ":0:0").tenant("t1").database("shop").table("orders")
                    .schema(ORDERS).before(op == Operation.INSERT ? null : before).after(op == Operation.DELETE ? null : row)
                    .commitTimeMillis(1_795_255_200_000L + i).transactionId("mariadb-bin.000001:" + i)
                    .position(new SourcePosition(1, "mariadb-bin.000001", 1000L + i, 1000L + i, 0, 0, null)).transaction(1, 1).build());
        }
        return events;
    }

    public static List<Figures> run(int count, int rounds, PrintStream out) throws IOException {
        List<ChangeEvent> events = events(count);
        MessageFormats.Settings settings = new MessageFormats.Settings("bench", "cluster");
        List<Figures> results = new ArrayList<>();
        results.add(measure("map+ObjectMapper (baseline)", events, rounds, FormatBenchmark::viaMap));
        for (FormatName name : MessageFormats.writers()) {
            JsonChangeEventFormat format = MessageFormats.create(name, settings);
            JsonFactory json = JsonFactory.builder().build();
            results.add(measure(name.displayName(), events, rounds, (event, sink) -> {
                try (JsonGenerator generator = json.createGenerator(sink, JsonEncoding.UTF8)) {
                    format.write(event, generator);
                }
            }));
        }
        double baseline = results.get(0).eventsPerSecond();
        out.printf("%-30s %14s %10s %12s %12s%n", "format", "events/s", "vs_base", "bytes/event", "alloc/event");
        for (Figures f : results) {
            out.printf("%-30s %,14.0f %10.2f %12.0f %12.0f%n", f.name(), f.eventsPerSecond(), f.eventsPerSecond() / baseline,
                    f.bytesPerEvent(), f.allocatedPerEvent());
        }
        return results;
    }

    private interface Writer {
        void write(ChangeEvent event, ByteArrayOutputStream sink) throws IOException;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The baseline: the row as a map of column to value (strings for the types JSON lacks), written by ObjectMapper. */
    private static void viaMap(ChangeEvent event, ByteArrayOutputStream sink) throws IOException {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("before", image(event.before(), event.schema()));
        message.put("after", image(event.after(), event.schema()));
        message.put("op", event.operation().name());
        message.put("db", event.database());
        message.put("table", event.table());
        message.put("ts", event.commitTimeMillis());
        MAPPER.writeValue(sink, message);
    }

    private static Map<String, Object> image(Object[] row, TableSchema schema) {
        if (row == null) {
            return null;
        }
        Map<String, Object> image = new LinkedHashMap<>();
        for (int i = 0; i < row.length; i++) {
            Object value = row[i];
            image.put(schema.column(i).name(), value instanceof Number || value instanceof String || value == null ? value : value.toString());
        }
        return image;
    }

    private static Figures measure(String name, List<ChangeEvent> events, int rounds, Writer writer) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream(1 << 20);
        // warm up, then measure the best of the rounds
        for (ChangeEvent event : events) {
            sink.reset();
            writer.write(event, sink);
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        double best = 0;
        double bytes = 0;
        double allocated = 0;
        for (int round = 0; round < rounds; round++) {
            long written = 0;
            long allocatedBefore = threads.getThreadAllocatedBytes(thread);
            long start = System.nanoTime();
            for (ChangeEvent event : events) {
                sink.reset();
                writer.write(event, sink);
                written += sink.size();
            }
            long elapsed = System.nanoTime() - start;
            long allocatedAfter = threads.getThreadAllocatedBytes(thread);
            double eps = events.size() / (elapsed / 1e9);
            if (eps > best) {
                best = eps;
                bytes = (double) written / events.size();
                allocated = (double) (allocatedAfter - allocatedBefore) / events.size();
            }
        }
        return new Figures(name, best, bytes, allocated);
    }
}
