package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.obsync.sandbox.FreePorts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard (deploy/grafana) and the Prometheus alert rules (deploy/prometheus) against a running task: every
 * metric they name is in the task's metrics output, and promtool (Debian's prometheus package) accepts the rules and
 * passes their tests.
 */
class MonitoringIT {

    private static final Path DASHBOARD = Path.of("deploy/grafana/obsync-dashboard.json");
    private static final Path RULES = Path.of("deploy/prometheus/obsync-alerts.yml");
    private static final Path RULE_TESTS = Path.of("deploy/prometheus/obsync-alerts.test.yml");
    // a metric name in a PromQL expression: obsync's own, the JVM's and the process's
    private static final Pattern METRIC = Pattern.compile("\\b((?:obsync|jvm|process)_[a-z_]+)\\b");

    /** The metric names the dashboard's panels and the rules' expressions use. */
    static Set<String> namedMetrics() throws Exception {
        List<String> expressions = new ArrayList<>();
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("targets")).as("targets of panel %s", panel.get("title")).isNotEmpty();
            panel.get("targets").forEach(target -> expressions.add(target.get("expr").asText()));
        }
        for (String line : Files.readAllLines(RULES)) {
            if (line.trim().startsWith("expr:")) {
                expressions.add(line);
            }
        }
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            Matcher m = METRIC.matcher(expression);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void everyMetricTheDashboardAndTheRulesNameIsInTheTasksOutput() throws Exception {
        Set<String> named = namedMetrics();
        assertThat(named).contains("obsync_failed", "obsync_latency_milliseconds", "obsync_events_acknowledged_total", "obsync_full_sync_rows",
                "jvm_memory_used_bytes");
        try (Servers servers = Servers.start("monitoring")) {
            servers.db.execute("CREATE DATABASE mon", "CREATE TABLE mon.t (id INT PRIMARY KEY, v INT)");
            servers.kafka.createTopics(1, "Topic_mon_t");
            servers.forIds(1, 50, "INSERT INTO mon.t VALUES (?, 0)");
            int port = FreePorts.next();
            Map<String, String> p = Task.properties(servers, "monitoring-it");
            p.put("obsync.source.databases", "mon");
            p.put("obsync.full-sync.enabled", "true");
            p.put("obsync.throttle.incremental.records-per-second", "100000");
            p.put("camel.management.port", Integer.toString(port));
            try (Task task = Task.start(p)) {
                HttpClient http = HttpClient.newHttpClient();
                URI metrics = URI.create("http://127.0.0.1:" + port + "/observe/metrics");
                Set<String> missing = new TreeSet<>(named);
                int[] id = {100};
                // filters, sends and garbage collections show once they happened: write until every named metric is there
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    servers.db.execute("INSERT INTO mon.t VALUES (" + id[0]++ + ", 1)");
                    System.gc();
                    String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                    missing.removeIf(name -> Pattern.compile("(?m)^" + name + "[{ ]").matcher(text).find());
                    return missing.isEmpty();
                });
                assertThat(missing).as("metrics the dashboard or the rules name that the task does not export").isEmpty();
                assertThat(task.status.isFailed()).isFalse();
            }
        }
    }

    @Test
    void promtoolAcceptsTheRulesAndTheirTestsPass() throws Exception {
        Path promtool = List.of(Path.of("/usr/bin/promtool"), Path.of("/usr/local/bin/promtool")).stream().filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new AssertionError("No promtool here: install Debian's prometheus package (.ci/run does)."));
        assertThat(run(promtool.toString(), "check", "rules", RULES.toString())).contains("SUCCESS: 4 rules found");
        assertThat(run(promtool.toString(), "test", "rules", RULE_TESTS.toString())).contains("SUCCESS");
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command) + " ended in time").isTrue();
            assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
            return output;
        } finally {
            process.destroyForcibly();
        }
    }
}
