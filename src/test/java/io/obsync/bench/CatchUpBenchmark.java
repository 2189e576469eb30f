package io.obsync.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.obsync.TaskLauncher;
import io.obsync.config.Options;
import io.obsync.destination.Lanes;
import io.obsync.format.FormatName;
import io.obsync.manage.TaskStatus;
import io.obsync.sandbox.EmbeddedMariaDb;
import io.obsync.sandbox.KafkaProcess;
import io.obsync.sandbox.RocketMqProcess;
import io.obsync.sandbox.SandboxTask;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.debezium.DebeziumConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.model.dataformat.JsonLibrary;

/**
 * Catch-up throughput on one binlog: N single-row transactions are written first, then read by
 * (1) the raw Debezium engine into a handler that only counts, (2) the stock debezium-mysql to
 * JSON to kafka Camel route, and (3) obsync's shipped routes; each until its last change is done.
 */
public final class CatchUpBenchmark {

    /**
     * One reader's figures: changes per second, CPU microseconds per change (this process's CPU time over the
     * changes), and the brokers' CPU microseconds per change over the same time (the Kafka and RocketMQ processes,
     * which share the cores with the reader).
     */
    public record Reader(double eps, double cpuUs, double brokerCpuUs) {
        static final Reader NONE = new Reader(0, 0, 0);

        @Override
        public String toString() {
            return String.format("%,10.0f events/s, %6.1f µs CPU per event (brokers %5.1f)", eps, cpuUs, brokerCpuUs);
        }
    }

    /**
     * Figures of one run; rocketmq is NONE when RocketMQ was not measured; kafkaState (at-least-once with the
     * state in Kafka) and exactlyOnce are NONE when exactly-once was not measured.
     */
    public record Result(Reader obsync, Reader stock, Reader raw, Reader lean, long heapMb, Reader rocketmq, Reader otherLanes,
                         Reader kafkaState, Reader exactlyOnce, List<Reader> variants) {
    }

    /**
     * What to measure: rows written, rounds, TLS to MariaDB, the optional readers (RocketMQ, exactly-once, the stock route),
     * obsync again with each variant's properties, and a folder for Flight Recorder files (null: none).
     */
    public record Plan(int rows, int runs, String sslMode, boolean rocketmq, boolean exactlyOnce, boolean stock,
                       List<Map<String, String>> variants, Path profile) {
    }

    private interface Measured {
        double eps() throws Exception;
    }

    /** One reader of a round: its name (profile files), how the log names it, and how it is measured. */
    private record Step(String name, String label, Measured reader) {
    }

    private final Path work;
    private final int rows;
    private final String sslMode;
    private final EmbeddedMariaDb db;
    private final KafkaProcess kafka;
    // the RocketMQ servers when measured (their CPU time is weighed with every reader's), else null
    private RocketMqProcess rocketmq;
    private int serverId = 6000;
    // Flight Recorder files per reader go here when asked (bench --profile); null otherwise
    private Path profile;
    private int recorded;

    private CatchUpBenchmark(Path work, int rows, String sslMode, EmbeddedMariaDb db, KafkaProcess kafka) {
        this.work = work;
        this.rows = rows;
        this.sslMode = sslMode;
        this.db = db;
        this.kafka = kafka;
    }

    /**
     * Starts MariaDB and a Kafka broker process (and RocketMQ's name server and broker when asked),
     * writes the changes, runs the readers `runs` times.
     */
    public static List<Result> run(Plan plan, PrintStream log) throws Exception {
        int rows = plan.rows();
        Path profile = plan.profile();
        boolean withRocketMq = plan.rocketmq();
        boolean exactlyOnce = plan.exactlyOnce();
        String sslMode = plan.sslMode();
        Path work = Files.createTempDirectory("obsync-bench");
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(work); KafkaProcess kafka = KafkaProcess.start(work);
             RocketMqProcess rocketmq = withRocketMq ? RocketMqProcess.start(work) : null) {
            CatchUpBenchmark bench = new CatchUpBenchmark(work, rows, sslMode, db, kafka);
            if (profile != null) {
                bench.profile = Files.createDirectories(profile);
            }
            bench.rocketmq = rocketmq;
            if (rocketmq != null) {
                rocketmq.createTopics(4, "Topic_bench_events", "Topic_bench_done");
            }
            kafka.createTopics(3, "Topic_bench_events", "bench_stock");
            long written = bench.write();
            log.printf("bench: wrote %d single-row transactions in %.1f s%n", rows, written / 1e9);
            // one unmeasured pass of the readers that share code (the engine, the converter, the format, the producer), so that
            // the first measured reader does not pay the JIT compilation the later ones are spared
            log.printf("bench: warm-up (not measured): raw %.0f, lean %.0f, obsync %.0f events/s%n", bench.raw(), bench.lean(),
                    bench.obsync(Map.of()));
            // what each round measures, in a fixed list; each round starts one further along it, so that no reader always runs
            // right after the same one (with a fixed order the readers measured last ran up to a tenth faster than their settings explain)
            List<Step> steps = new ArrayList<>();
            steps.add(new Step("raw", "raw Debezium engine", bench::raw));
            steps.add(new Step("lean", "lean reference", bench::lean));
            if (plan.stock()) {
                steps.add(new Step("stock", "stock Camel route", bench::stock));
            }
            steps.add(new Step("obsync", "obsync", () -> bench.obsync(Map.of())));
            if (rocketmq != null) {
                steps.add(new Step("obsync-rocketmq", "obsync to RocketMQ", () -> bench.obsync(Map.of(Options.TARGET.key(), "rocketmq",
                        Options.ROCKETMQ_NAMESRV.key(), rocketmq.namesrvAddress()))));
            }
            // the same with the other choice of lanes: one lane if the default has several, else two
            int other = otherLanes();
            steps.add(new Step("obsync-lanes-" + other, "obsync, " + other + " lane(s)",
                    () -> bench.obsync(Map.of(Options.PIPELINE_LANES.key(), Integer.toString(other)))));
            if (exactlyOnce) {
                // both with the state in Kafka: the difference is the transactions alone
                Map<String, String> state = Map.of(Options.STATE_STORE.key(), "kafka", Options.STATE_KAFKA_REPLICATION_FACTOR.key(), "1");
                Map<String, String> eos = new HashMap<>(state);
                eos.put(Options.DELIVERY.key(), "exactly-once");
                steps.add(new Step("obsync-kafka-state", "obsync, state in Kafka", () -> bench.obsync(state)));
                steps.add(new Step("obsync-exactly-once", "obsync, exactly-once", () -> bench.obsync(eos)));
            }
            for (int v = 0; v < plan.variants().size(); v++) {
                Map<String, String> variant = new HashMap<>(plan.variants().get(v));
                if (rocketmq != null && "rocketmq".equals(variant.get(Options.TARGET.key()))) {
                    // a variant into RocketMQ goes to the bench's broker
                    variant.putIfAbsent(Options.ROCKETMQ_NAMESRV.key(), rocketmq.namesrvAddress());
                }
                steps.add(new Step("obsync-variant-" + (v + 1), "obsync with " + plan.variants().get(v), () -> bench.obsync(variant)));
            }
            List<Result> results = new ArrayList<>();
            for (int run = 1; run <= plan.runs(); run++) {
                Map<String, Reader> measured = new HashMap<>();
                long heap = 0;
                for (int k = 0; k < steps.size(); k++) {
                    Step step = steps.get((k + run - 1) % steps.size());
                    PeakHeap.reset();
                    Reader reader = bench.measure(step.name(), step.reader());
                    measured.put(step.name(), reader);
                    if (step.name().equals("obsync")) {
                        heap = PeakHeap.megabytes();
                        log.printf("bench: run %d %-28s %s, peak heap %d MB%n", run, step.label(), reader, heap);
                    } else {
                        log.printf("bench: run %d %-28s %s%n", run, step.label(), reader);
                    }
                }
                List<Reader> variants = new ArrayList<>();
                for (int v = 1; v <= plan.variants().size(); v++) {
                    variants.add(measured.get("obsync-variant-" + v));
                }
                results.add(new Result(measured.get("obsync"), measured.getOrDefault("stock", Reader.NONE), measured.get("raw"),
                        measured.get("lean"), heap, measured.getOrDefault("obsync-rocketmq", Reader.NONE),
                        measured.get("obsync-lanes-" + other), measured.getOrDefault("obsync-kafka-state", Reader.NONE),
                        measured.getOrDefault("obsync-exactly-once", Reader.NONE), variants));
            }
            return results;
        }
    }

    /** The lanes measured beside the default: one when the default has several, else two. */
    public static int otherLanes() {
        return Lanes.count(0) == 1 ? 2 : 1;
    }

    /** Writes the rows as single-row transactions from four connections; returns nanoseconds taken. */
    private long write() throws Exception {
        db.execute("CREATE DATABASE bench", "CREATE TABLE bench.events (id BIGINT PRIMARY KEY, v INT NOT NULL, s VARCHAR(32) NOT NULL)");
        long start = System.nanoTime();
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int first = w;
            done.add(pool.submit(() -> {
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    for (int id = first + 1; id <= rows; id += writers) {
                        s.addBatch("INSERT INTO bench.events VALUES (" + id + ", " + (id % 1000) + ", 'value-" + id + "')");
                        if (id % 2000 < writers) {
                            s.executeBatch();
                        }
                    }
                    s.executeBatch();
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        // one transaction after the measured ones: without GTIDs a reader that holds transactions learns that the
        // last measured one is complete only from the next event (else from the next heartbeat, seconds later)
        db.execute("CREATE TABLE bench.done (id INT PRIMARY KEY)", "INSERT INTO bench.done VALUES (1)");
        return System.nanoTime() - start;
    }

    private Map<String, String> source(String name) {
        Map<String, String> p = new HashMap<>();
        p.put("database.hostname", db.host());
        p.put("database.port", Integer.toString(db.port()));
        p.put("database.user", db.user());
        p.put("database.password", db.password());
        p.put("database.server.id", Integer.toString(++serverId));
        p.put("topic.prefix", name);
        p.put("database.include.list", "bench");
        p.put("snapshot.mode", "never");
        p.put("database.ssl.mode", sslMode);
        return p;
    }

    /** Runs one reader and takes this process's CPU time over it; with a profile folder, records it with Flight Recorder. */
    private Reader measure(String name, Measured reader) throws Exception {
        jdk.jfr.Recording recording = null;
        if (profile != null) {
            recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            recording.setName(name);
            // a sample every millisecond per thread: enough samples in a run of seconds to tell the stages apart
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.start();
        }
        try {
            long cpu = RunFacts.processCpuNanos();
            long brokers = brokersCpuNanos();
            double eps = reader.eps();
            return new Reader(eps, (RunFacts.processCpuNanos() - cpu) / 1e3 / rows, (brokersCpuNanos() - brokers) / 1e3 / rows);
        } finally {
            if (recording != null) {
                recording.stop();
                recording.dump(profile.resolve(name + "-" + (++recorded) + ".jfr"));
                recording.close();
            }
        }
    }

    private long brokersCpuNanos() {
        return kafka.cpuNanos() + (rocketmq == null ? 0 : rocketmq.cpuNanos());
    }

    /** The lean safe reference: the same engine, obsync's converter and format, a plain producer, commits after acknowledgement. */
    private double lean() throws Exception {
        String name = "bench-lean-" + serverId;
        kafka.createTopics(3, name);
        Properties settings = RawDebezium.settings(db, work, name, ++serverId, "never", sslMode);
        // each batch's offsets written once it is acknowledged, as obsync writes its position
        settings.put("offset.flush.interval.ms", "0");
        return LeanPipeline.run(settings, kafka.bootstrapServers(), name, "events", FormatName.DEFAULT, rows);
    }

    /** The ceiling: Debezium's engine into a batch handler that only counts. */
    private double raw() throws Exception {
        String name = "bench-raw-" + serverId;
        return RawDebezium.count(RawDebezium.settings(db, work, name, ++serverId, "never", sslMode), "events", rows);
    }

    /** Camel's stock route: debezium-mysql, the record value as JSON, kafka; one exchange at a time. */
    private double stock() throws Exception {
        String name = "bench-stock-" + serverId;
        Map<String, String> s = source(name);
        String uri = "debezium-mysql:" + name
                + "?databaseHostname=" + s.get("database.hostname")
                + "&databasePort=" + s.get("database.port")
                + "&databaseUser=" + s.get("database.user")
                + "&databasePassword=" + s.get("database.password")
                + "&databaseServerId=" + s.get("database.server.id")
                + "&topicPrefix=" + name
                + "&databaseIncludeList=bench&snapshotMode=never&databaseSslMode=" + sslMode
                + "&offsetStorageFileName=" + work.resolve(name + "-offsets.dat")
                + "&schemaHistoryInternal=io.debezium.storage.file.history.FileSchemaHistory"
                + "&schemaHistoryInternalFileFilename=" + work.resolve(name + "-history.dat");
        AtomicLong count = new AtomicLong();
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("stock")
                        .filter(header(DebeziumConstants.HEADER_OPERATION).isNotNull())
                        .convertBodyTo(Map.class)
                        .marshal().json(JsonLibrary.Jackson)
                        .to("kafka:bench_stock?brokers=" + kafka.bootstrapServers())
                        .process(e -> count.incrementAndGet());
            }
        });
        long start = System.nanoTime();
        camel.start();
        try {
            return awaitCount(count::get, start);
        } finally {
            camel.stop();
        }
    }

    /** obsync's shipped routes and properties, pointed at the bench servers, plus the given properties. */
    private double obsync(Map<String, String> extra) throws Exception {
        String name = "bench-obsync-" + serverId;
        Map<String, String> p = SandboxTask.properties(name, db, work.resolve("obsync-data"));
        p.put(Options.KAFKA_BROKERS.key(), kafka.bootstrapServers());
        p.put(Options.SOURCE_SERVER_ID.key(), Integer.toString(++serverId));
        p.put(Options.SOURCE_DATABASES.key(), "bench");
        p.put(Options.SOURCE_SSL_MODE.key(), sslMode);
        p.putAll(extra);
        TaskStatus status = new TaskStatus();
        Main main = TaskLauncher.create(null, null, p, status);
        long start = System.nanoTime();
        main.start();
        try {
            return awaitCount(status::getRowChangesAcknowledged, start);
        } finally {
            main.stop();
        }
    }

    private double awaitCount(LongSupplier count, long start) throws InterruptedException {
        long deadline = start + TimeUnit.MINUTES.toNanos(10);
        while (count.getAsLong() < rows) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count.getAsLong() + " of " + rows + " changes done after 10 minutes");
            }
            Thread.sleep(5);
        }
        return rows / ((System.nanoTime() - start) / 1e9);
    }
}
