package io.obsync.bench;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.obsync.bench.CatchUpBenchmark.Reader;
import io.obsync.bench.CatchUpBenchmark.Result;
import io.obsync.cli.ToolCommand;
import io.obsync.config.Options;
import io.obsync.destination.Lanes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code obsync bench}: catch-up throughput against the raw Debezium engine and Camel's stock route. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Write N single-row transactions into an embedded MariaDB binlog, then measure catch-up into a Kafka "
                + "broker process: obsync's routes, the stock debezium-mysql -> JSON -> kafka route, and the raw Debezium engine.")
public class BenchCommand implements ToolCommand {

    @Option(names = "--rows", defaultValue = "200000", description = "Single-row transactions to write (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--runs", defaultValue = "1", description = "Rounds of the three measurements; medians are reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--ssl-mode", defaultValue = "preferred",
            description = "TLS to MariaDB for all three readers: disabled or preferred (default: ${DEFAULT-VALUE}).")
    String sslMode;

    @Option(names = "--rocketmq", description = "Also measure obsync into a RocketMQ broker process on the same binlog.")
    boolean rocketmq;

    @Option(names = "--exactly-once", description = "Also measure obsync with the state in Kafka, at-least-once and exactly-once.")
    boolean exactlyOnce;

    @Option(names = "--profile", paramLabel = "DIR",
            description = "Record each catch-up reader with Java Flight Recorder (profile settings) into DIR/<reader>-<n>.jfr.")
    Path profile;

    @Option(names = "--variant", paramLabel = "KEY=VALUE[,KEY=VALUE]",
            description = "Also measure obsync with these properties (repeatable): a RESULT-VARIANT (with --live "
                    + "RESULT-LIVE-VARIANT, with --full-sync RESULT-FULL-SYNC-VARIANT for obsync in chunks) line compares it with the shipped settings.")
    List<String> variants = List.of();

    @Option(names = "--no-stock", description = "Leave out Camel's stock route (the slowest reader).")
    boolean noStock;

    @Option(names = "--formats", description = "Only measure marshalling per message format on the model (no servers).")
    boolean formats;

    @Option(names = "--filters", description = "Only measure row filters and column selection on the model (no servers).")
    boolean filters;

    @Option(names = "--full-sync", description = "Measure full synchronization of one table of --rows rows (use 1000000) instead.")
    boolean fullSync;

    @Option(names = "--live", description = "Measure commit -> Kafka latency while writers commit --rate changes/s for --seconds.")
    boolean live;

    @Option(names = "--rate", defaultValue = "5000", description = "With --live: changes per second the writers commit (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--seconds", defaultValue = "60", description = "With --live: how long each rate is held (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--search", description = "With --live: then raise the rate by half while it is kept, and report the highest kept.")
    boolean search;

    @Override
    public Integer call() throws Exception {
        if (live) {
            LiveBenchmark.Result r = LiveBenchmark.run(rate, seconds, search, Map.of(), System.out);
            System.out.printf("RESULT-LIVE rate=%.0f p50_ms=%.0f p99_ms=%.0f max_ms=%.0f max_rate=%.0f %s%n",
                    r.rate(), r.p50Ms(), r.p99Ms(), r.maxMs(), r.maxRate(), RunFacts.line());
            for (String variant : variants) {
                LiveBenchmark.Result v = LiveBenchmark.run(rate, seconds, search, properties(variant), System.out);
                System.out.printf("RESULT-LIVE-VARIANT properties=\"%s\" rate=%.0f p50_ms=%.0f p99_ms=%.0f max_ms=%.0f max_rate=%.0f %s%n",
                        variant, v.rate(), v.p50Ms(), v.p99Ms(), v.maxMs(), v.maxRate(), RunFacts.line());
            }
            return 0;
        }
        if (fullSync) {
            FullSyncBenchmark.Result r = FullSyncBenchmark.run(rows,
                    variants.stream().map(BenchCommand::properties).toList(), System.out);
            System.out.printf("RESULT-FULL-SYNC obsync_rps=%.0f debezium_rps=%.0f jdbc_rps=%.0f vs_debezium=%.2f vs_jdbc=%.2f heap_mb=%d "
                            + "chunked_rps=%.0f chunked_vs_debezium=%.2f chunked_heap_mb=%d debezium_cpu_us=%.1f chunked_cpu_us=%.1f "
                            + "chunked_broker_cpu_us=%.1f %s%n",
                    r.obsyncRps(), r.debeziumRps(), r.jdbcRps(), r.obsyncRps() / r.debeziumRps(), r.obsyncRps() / r.jdbcRps(), r.heapMb(),
                    r.chunkedRps(), r.chunkedRps() / r.debeziumRps(), r.chunkedHeapMb(), r.debeziumCpuUs(), r.chunkedCpuUs(),
                    r.chunkedBrokerCpuUs(), RunFacts.line());
            for (int v = 0; v < r.variants().size(); v++) {
                FullSyncBenchmark.Variant variant = r.variants().get(v);
                System.out.printf("RESULT-FULL-SYNC-VARIANT properties=\"%s\" variant_rps=%.0f vs_chunked=%.2f vs_debezium=%.2f variant_cpu_us=%.1f "
                                + "variant_heap_mb=%d %s%n", variants.get(v), variant.rps(), variant.rps() / r.chunkedRps(),
                        variant.rps() / r.debeziumRps(), variant.cpuUs(), variant.heapMb(), RunFacts.line());
            }
            return 0;
        }
        if (filters) {
            List<FilterBenchmark.Figures> figures = FilterBenchmark.run(Math.max(rows, 1000), Math.max(runs, 3), System.out);
            for (FilterBenchmark.Figures f : figures.subList(1, figures.size())) {
                System.out.printf("RESULT-FILTER step=\"%s\" eps=%.0f vs_baseline=%.2f alloc_per_event=%.0f %s%n",
                        f.name(), f.eventsPerSecond(), f.eventsPerSecond() / figures.get(0).eventsPerSecond(), f.allocatedPerEvent(),
                        RunFacts.line());
            }
            return 0;
        }
        if (formats) {
            List<FormatBenchmark.Figures> figures = FormatBenchmark.run(Math.max(rows, 1000), Math.max(runs, 3), System.out);
            for (FormatBenchmark.Figures f : figures.subList(1, figures.size())) {
                System.out.printf("RESULT-FORMAT format=%s eps=%.0f vs_baseline=%.2f bytes_per_event=%.0f alloc_per_event=%.0f %s%n",
                        f.name(), f.eventsPerSecond(), f.eventsPerSecond() / figures.get(0).eventsPerSecond(), f.bytesPerEvent(),
                        f.allocatedPerEvent(), RunFacts.line());
            }
            return 0;
        }
        List<Map<String, String>> variantProperties = variants.stream().map(BenchCommand::properties).toList();
        List<Result> results = CatchUpBenchmark.run(new CatchUpBenchmark.Plan(rows, runs, sslMode, rocketmq, exactlyOnce, !noStock,
                variantProperties, profile), System.out);
        Reader obsync = median(results, Result::obsync);
        Reader stock = median(results, Result::stock);
        Reader raw = median(results, Result::raw);
        Reader lean = median(results, Result::lean);
        long[] heaps = results.stream().mapToLong(Result::heapMb).sorted().toArray();
        long heap = heaps[(heaps.length - 1) / 2];
        Reader otherLanes = median(results, Result::otherLanes);
        String facts = RunFacts.line();
        System.out.printf("RESULT obsync_eps=%.0f lean_eps=%.0f raw_eps=%.0f stock_eps=%.0f vs_lean=%.2f vs_raw=%.2f vs_stock=%.2f "
                        + "obsync_cpu_us=%.1f lean_cpu_us=%.1f raw_cpu_us=%.1f stock_cpu_us=%.1f heap_mb=%d lanes=%d "
                        + "other_lanes=%d other_lanes_eps=%.0f other_vs_default=%.2f broker_cpu_us=%.1f lean_broker_cpu_us=%.1f %s%n",
                obsync.eps(), lean.eps(), raw.eps(), stock.eps(), obsync.eps() / lean.eps(), obsync.eps() / raw.eps(),
                stock.eps() > 0 ? obsync.eps() / stock.eps() : 0,
                obsync.cpuUs(), lean.cpuUs(), raw.cpuUs(), stock.cpuUs(), heap, Lanes.count(0),
                CatchUpBenchmark.otherLanes(), otherLanes.eps(), otherLanes.eps() / obsync.eps(), obsync.brokerCpuUs(), lean.brokerCpuUs(), facts);
        if (rocketmq) {
            Reader toRocketMq = median(results, Result::rocketmq);
            System.out.printf("RESULT-ROCKETMQ obsync_rocketmq_eps=%.0f obsync_kafka_eps=%.0f vs_kafka=%.2f vs_raw=%.2f rocketmq_cpu_us=%.1f "
                            + "kafka_cpu_us=%.1f rocketmq_broker_cpu_us=%.1f kafka_broker_cpu_us=%.1f %s%n",
                    toRocketMq.eps(), obsync.eps(), toRocketMq.eps() / obsync.eps(), toRocketMq.eps() / raw.eps(), toRocketMq.cpuUs(),
                    obsync.cpuUs(), toRocketMq.brokerCpuUs(), obsync.brokerCpuUs(), facts);
        }
        if (exactlyOnce) {
            Reader kafkaState = median(results, Result::kafkaState);
            Reader transactional = median(results, Result::exactlyOnce);
            System.out.printf("RESULT-EXACTLY-ONCE exactly_once_eps=%.0f at_least_once_eps=%.0f vs_at_least_once=%.2f vs_raw=%.2f "
                            + "exactly_once_cpu_us=%.1f at_least_once_cpu_us=%.1f %s%n",
                    transactional.eps(), kafkaState.eps(), transactional.eps() / kafkaState.eps(), transactional.eps() / raw.eps(),
                    transactional.cpuUs(), kafkaState.cpuUs(), facts);
        }
        for (int v = 0; v < variants.size(); v++) {
            int index = v;
            Reader variant = median(results, r -> r.variants().get(index));
            // a variant into RocketMQ is compared with obsync into RocketMQ, any other with obsync into Kafka
            boolean toRocketMq = rocketmq && "rocketmq".equals(variantProperties.get(v).get(Options.TARGET.key()));
            Reader base = toRocketMq ? median(results, Result::rocketmq) : obsync;
            System.out.printf("RESULT-VARIANT properties=\"%s\" variant_eps=%.0f base=%s base_eps=%.0f vs_base=%.2f vs_lean=%.2f "
                            + "variant_cpu_us=%.1f base_cpu_us=%.1f %s%n",
                    variants.get(v), variant.eps(), toRocketMq ? "obsync-rocketmq" : "obsync", base.eps(), variant.eps() / base.eps(),
                    variant.eps() / lean.eps(), variant.cpuUs(), base.cpuUs(), facts);
        }
        return 0;
    }

    /** "k=v,k=v" as properties; one line naming the entry when it is not of that form. */
    private static Map<String, String> properties(String variant) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String entry : variant.split(",")) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(new CommandLine(new BenchCommand()),
                        "--variant entry '" + entry + "' is not KEY=VALUE: write it like obsync.pipeline.lanes=2");
            }
            properties.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return properties;
    }

    /** The run with the median rate (its CPU figure with it), so that a reader's two figures come from one run. */
    private static <T> Reader median(List<T> results, Function<T, Reader> figure) {
        List<Reader> sorted = results.stream().map(figure).sorted(Comparator.comparingDouble(Reader::eps)).toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
