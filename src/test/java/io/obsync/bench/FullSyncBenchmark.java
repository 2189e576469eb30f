package io.obsync.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.obsync.TaskLauncher;
import io.obsync.config.Options;
import io.obsync.manage.TaskStatus;
import io.obsync.sandbox.EmbeddedMariaDb;
import io.obsync.sandbox.KafkaProcess;
import io.obsync.sandbox.SandboxTask;
import org.apache.camel.main.Main;

/**
 * Full-synchronization throughput on one table of N rows: (1) a plain JDBC read of the table (the
 * source's ceiling), (2) Debezium's own snapshot into a handler that only counts, and (3) obsync's
 * full synchronization through the shipped routes into a Kafka broker process, until the broker
 * acknowledged every row, read in one pass and (4) in key chunks beside the stream (signal table).
 */
public final class FullSyncBenchmark {

    /**
     * Rows per second of each reader, obsync's peak heap, and CPU microseconds per row: this process's for
     * Debezium's snapshot and for obsync in chunks, and the Kafka broker's for obsync in chunks.
     */
    public record Result(double obsyncRps, double debeziumRps, double jdbcRps, long heapMb, double chunkedRps, long chunkedHeapMb,
                         double debeziumCpuUs, double chunkedCpuUs, double chunkedBrokerCpuUs, List<Variant> variants) {
    }

    /** obsync in chunks with other settings, in the same run: rows per second, CPU µs per row, peak heap. */
    public record Variant(Map<String, String> properties, double rps, double cpuUs, long heapMb) {
    }

    private FullSyncBenchmark() {
    }

    public static Result run(int rows, PrintStream log) throws Exception {
        return run(rows, List.of(), log);
    }

    /** As {@link #run(int, java.io.PrintStream)}, then obsync in chunks once more with each variant's properties. */
    public static Result run(int rows, List<Map<String, String>> variants, PrintStream log) throws Exception {
        Path work = Files.createTempDirectory("obsync-bench-full");
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(work); KafkaProcess kafka = KafkaProcess.start(work)) {
            kafka.createTopics(3, "Topic_bench_full");
            long start = System.nanoTime();
            db.execute("CREATE DATABASE bench",
                    "CREATE TABLE bench.full (id BIGINT PRIMARY KEY, v INT NOT NULL, s VARCHAR(32) NOT NULL, "
                            + "amount DECIMAL(12,2) NOT NULL, created DATETIME(3) NOT NULL)",
                    // MariaDB's sequence engine writes the rows in one statement
                    "INSERT INTO bench.full SELECT seq, seq % 1000, CONCAT('value-', seq), seq / 100, "
                            + "TIMESTAMP '2026-01-01 00:00:00' + INTERVAL seq SECOND FROM bench.seq_1_to_" + rows);
            log.printf("bench: wrote %,d rows in %.1f s%n", rows, (System.nanoTime() - start) / 1e9);
            double jdbc = jdbc(db, rows);
            log.printf("bench: plain JDBC read            %,10.0f rows/s%n", jdbc);
            long cpu = RunFacts.processCpuNanos();
            double debezium = debezium(db, work, rows);
            double debeziumCpu = (RunFacts.processCpuNanos() - cpu) / 1e3 / rows;
            log.printf("bench: Debezium snapshot, counted %,10.0f rows/s, %5.1f µs CPU per row%n", debezium, debeziumCpu);
            PeakHeap.reset();
            double obsync = obsync(db, kafka, work, rows, false, 0, Map.of());
            long heap = PeakHeap.megabytes();
            log.printf("bench: obsync full sync to Kafka  %,10.0f rows/s, peak heap %d MB%n", obsync, heap);
            PeakHeap.reset();
            cpu = RunFacts.processCpuNanos();
            long broker = kafka.cpuNanos();
            double chunked = obsync(db, kafka, work, rows, true, 0, Map.of());
            double chunkedCpu = (RunFacts.processCpuNanos() - cpu) / 1e3 / rows;
            double chunkedBroker = (kafka.cpuNanos() - broker) / 1e3 / rows;
            long chunkedHeap = PeakHeap.megabytes();
            log.printf("bench: obsync in chunks to Kafka  %,10.0f rows/s, peak heap %d MB, %5.1f µs CPU per row (broker %4.1f)%n",
                    chunked, chunkedHeap, chunkedCpu, chunkedBroker);
            List<Variant> measured = new ArrayList<>();
            for (int v = 0; v < variants.size(); v++) {
                PeakHeap.reset();
                cpu = RunFacts.processCpuNanos();
                double rps = obsync(db, kafka, work, rows, true, v + 1, variants.get(v));
                Variant variant = new Variant(variants.get(v), rps, (RunFacts.processCpuNanos() - cpu) / 1e3 / rows, PeakHeap.megabytes());
                measured.add(variant);
                log.printf("bench: obsync in chunks, %s %,10.0f rows/s, peak heap %d MB, %5.1f µs CPU per row%n", variants.get(v), rps,
                        variant.heapMb(), variant.cpuUs());
            }
            return new Result(obsync, debezium, jdbc, heap, chunked, chunkedHeap, debeziumCpu, chunkedCpu, chunkedBroker, measured);
        }
    }

    private static double jdbc(EmbeddedMariaDb db, int rows) throws Exception {
        long start = System.nanoTime();
        long count = 0;
        try (Connection c = db.connect(); Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            // streams the result instead of holding a million rows
            s.setFetchSize(Integer.MIN_VALUE);
            try (ResultSet r = s.executeQuery("SELECT * FROM bench.full")) {
                while (r.next()) {
                    r.getLong(1);
                    r.getInt(2);
                    r.getString(3);
                    r.getBigDecimal(4);
                    r.getTimestamp(5);
                    count++;
                }
            }
        }
        if (count != rows) {
            throw new IllegalStateException("read " + count + " rows, expected " + rows);
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }

    private static double debezium(EmbeddedMariaDb db, Path work, int rows) throws Exception {
        return RawDebezium.count(RawDebezium.settings(db, work, "bench-full-debezium", 6100, "initial_only", "preferred"), "full", rows);
    }

    private static double obsync(EmbeddedMariaDb db, KafkaProcess kafka, Path work, int rows, boolean chunked, int variant,
                                 Map<String, String> extra) throws Exception {
        String name = (chunked ? "bench-full-chunked" : "bench-full-obsync") + (variant == 0 ? "" : "-" + variant);
        Map<String, String> p = SandboxTask.properties(name, db, work.resolve("obsync-data"));
        p.put(Options.KAFKA_BROKERS.key(), kafka.bootstrapServers());
        p.put(Options.SOURCE_SERVER_ID.key(), Integer.toString((chunked ? 6300 : 6200) + variant));
        if (chunked) {
            p.put(Options.SOURCE_SIGNAL_TABLE.key(), "bench_signals.requests");
        }
        p.put(Options.SOURCE_DATABASES.key(), "bench");
        p.put(Options.SOURCE_SNAPSHOT_MODE.key(), "no_data");
        p.put(Options.FULL_SYNC_ENABLED.key(), "true");
        p.putAll(extra);
        TaskStatus status = new TaskStatus();
        Main main = TaskLauncher.create(null, null, p, status);
        long start = System.nanoTime();
        main.start();
        try {
            return await(status::getRowChangesAcknowledged, rows, start);
        } finally {
            main.stop();
        }
    }

    private static double await(LongSupplier count, int rows, long start) throws InterruptedException {
        long deadline = start + TimeUnit.MINUTES.toNanos(20);
        while (count.getAsLong() < rows) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count.getAsLong() + " of " + rows + " rows after 20 minutes");
            }
            Thread.sleep(5);
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }
}
