package io.obsync.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

import io.obsync.bench.CatchUpBenchmark;
import io.obsync.bench.FilterBenchmark;
import io.obsync.bench.FormatBenchmark;
import io.obsync.bench.CatchUpBenchmark.Result;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code obsync bench}: catch-up throughput against the raw Debezium engine and Camel's stock route. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Write N single-row transactions into an embedded MariaDB binlog, then measure catch-up into a Kafka "
                + "broker process: obsync's routes, the stock debezium-mysql -> JSON -> kafka route, and the raw Debezium engine.")
public class BenchCommand implements Callable<Integer> {

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
            io.obsync.bench.LiveBenchmark.Result r = io.obsync.bench.LiveBenchmark.run(rate, seconds, search, System.out);
            System.out.printf("RESULT-LIVE rate=%.0f p50_ms=%.0f p99_ms=%.0f max_ms=%.0f max_rate=%.0f%n",
                    r.rate(), r.p50Ms(), r.p99Ms(), r.maxMs(), r.maxRate());
            return 0;
        }
        if (fullSync) {
            io.obsync.bench.FullSyncBenchmark.Result r = io.obsync.bench.FullSyncBenchmark.run(rows, System.out);
            System.out.printf("RESULT-FULL-SYNC obsync_rps=%.0f debezium_rps=%.0f jdbc_rps=%.0f vs_debezium=%.2f vs_jdbc=%.2f heap_mb=%d "
                            + "chunked_rps=%.0f chunked_vs_debezium=%.2f chunked_heap_mb=%d%n",
                    r.obsyncRps(), r.debeziumRps(), r.jdbcRps(), r.obsyncRps() / r.debeziumRps(), r.obsyncRps() / r.jdbcRps(), r.heapMb(),
                    r.chunkedRps(), r.chunkedRps() / r.debeziumRps(), r.chunkedHeapMb());
            return 0;
        }
        if (filters) {
            List<FilterBenchmark.Figures> figures = FilterBenchmark.run(Math.max(rows, 1000), Math.max(runs, 3), System.out);
            for (FilterBenchmark.Figures f : figures.subList(1, figures.size())) {
                System.out.printf("RESULT-FILTER step=\"%s\" eps=%.0f vs_baseline=%.2f alloc_per_event=%.0f%n",
                        f.name(), f.eventsPerSecond(), f.eventsPerSecond() / figures.get(0).eventsPerSecond(), f.allocatedPerEvent());
            }
            return 0;
        }
        if (formats) {
            List<FormatBenchmark.Figures> figures = FormatBenchmark.run(Math.max(rows, 1000), Math.max(runs, 3), System.out);
            for (FormatBenchmark.Figures f : figures.subList(1, figures.size())) {
                System.out.printf("RESULT-FORMAT format=%s eps=%.0f vs_baseline=%.2f bytes_per_event=%.0f alloc_per_event=%.0f%n",
                        f.name(), f.eventsPerSecond(), f.eventsPerSecond() / figures.get(0).eventsPerSecond(), f.bytesPerEvent(),
                        f.allocatedPerEvent());
            }
            return 0;
        }
        List<Result> results = CatchUpBenchmark.run(rows, runs, sslMode, rocketmq, exactlyOnce, System.out);
        double obsync = median(results, Result::obsyncEps);
        double stock = median(results, Result::stockEps);
        double raw = median(results, Result::rawEps);
        long heap = (long) median(results, Result::heapMb);
        double otherLanes = median(results, Result::otherLanesEps);
        System.out.printf("RESULT obsync_eps=%.0f stock_eps=%.0f raw_eps=%.0f vs_stock=%.2f vs_raw=%.2f heap_mb=%d lanes=%d "
                        + "other_lanes=%d other_lanes_eps=%.0f other_vs_default=%.2f%n",
                obsync, stock, raw, obsync / stock, obsync / raw, heap, io.obsync.route.Lanes.count(0),
                CatchUpBenchmark.otherLanes(), otherLanes, otherLanes / obsync);
        if (rocketmq) {
            double toRocketMq = median(results, Result::rocketmqEps);
            System.out.printf("RESULT-ROCKETMQ obsync_rocketmq_eps=%.0f obsync_kafka_eps=%.0f vs_kafka=%.2f vs_raw=%.2f%n",
                    toRocketMq, obsync, toRocketMq / obsync, toRocketMq / raw);
        }
        if (exactlyOnce) {
            double kafkaState = median(results, Result::kafkaStateEps);
            double transactional = median(results, Result::exactlyOnceEps);
            System.out.printf("RESULT-EXACTLY-ONCE exactly_once_eps=%.0f at_least_once_eps=%.0f vs_at_least_once=%.2f vs_raw=%.2f%n",
                    transactional, kafkaState, transactional / kafkaState, transactional / raw);
        }
        return 0;
    }

    private static double median(List<Result> results, ToDoubleFunction<Result> figure) {
        double[] values = results.stream().mapToDouble(figure).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
