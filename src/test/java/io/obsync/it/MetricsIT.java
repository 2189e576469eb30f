package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.obsync.sandbox.FreePorts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The task's figures for Prometheus on Camel's management server, bound to loopback. */
class MetricsIT {

    @Test
    void prometheusSeesEventsPerTableAndTopicPhaseAndCamelsRouteMetrics() throws Exception {
        try (Servers servers = Servers.start("metrics")) {
            servers.db.execute("CREATE DATABASE m", "CREATE TABLE m.kept (id INT PRIMARY KEY, v INT)");
            servers.kafka.createTopics(1, "Topic_m_kept");
            int port = FreePorts.next();
            Map<String, String> p = Task.properties(servers, "metrics-it");
            p.put("obsync.source.databases", "m");
            p.put("obsync.dml", "INSERT");
            p.put("obsync.ddl.enabled", "false");
            p.put("obsync.heartbeat.interval-ms", "1000");
            p.put("camel.management.port", Integer.toString(port));
            try (Task task = Task.start(p)) {
                servers.forIds(1, 30, "INSERT INTO m.kept VALUES (?, 1)");
                servers.forIds(1, 30, "UPDATE m.kept SET v = 2 WHERE id = ?");
                Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_m_kept"),
                        all -> all.stream().filter(r -> r.json().path("recordType").asText().equals("INSERT")).count() == 30, Duration.ofSeconds(60));
                HttpClient http = HttpClient.newHttpClient();
                URI metrics = URI.create("http://127.0.0.1:" + port + "/observe/metrics");
                Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                    // 30 INSERTs out; 30 UPDATEs (obsync.dml) and the CREATE TABLE (DDL sync off) filtered
                    assertThat(text).contains("obsync_table_events_total{kind=\"out\",table=\"m.kept\",task=\"metrics-it\"} 30.0");
                    assertThat(text).contains("obsync_table_events_total{kind=\"filtered\",table=\"m.kept\",task=\"metrics-it\"} 31.0");
                    assertThat(text).contains("obsync_table_events_total{kind=\"in\",table=\"m.kept\",task=\"metrics-it\"} 61.0");
                    assertThat(text).contains("obsync_topic_events_total{kind=\"out\",task=\"metrics-it\",topic=\"Topic_m_kept\"} 30.0");
                    assertThat(text).contains("obsync_phase{phase=\"INCREMENTAL\",task=\"metrics-it\"} 1.0");
                    assertThat(text).containsPattern("obsync_latency_milliseconds\\{task=\"metrics-it\"} -?[0-9]");
                    assertThat(text).containsPattern("obsync_events_read_total\\{task=\"metrics-it\"} [1-9]");
                    // Camel's own metrics and the JVM's alongside
                    assertThat(text).contains("camel_routes_running").contains("jvm_memory_used_bytes");
                });
                // loopback only by default: the management server does not answer on another address of this host
                String other = java.net.InetAddress.getLocalHost().getHostAddress();
                if (!other.startsWith("127.")) {
                    try (java.net.Socket socket = new java.net.Socket()) {
                        socket.connect(new java.net.InetSocketAddress(other, port), 1000);
                        throw new AssertionError("the management server answers on " + other);
                    } catch (java.io.IOException expected) {
                        // refused: bound to 127.0.0.1
                    }
                }
                assertThat(task.status.tableCounts().get("m.kept").out()).isEqualTo(30);
                // an idle source still sends heartbeats: the latency stays measured instead of growing with the idle time
                Awaitility.await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(20))
                        .until(() -> Math.abs(task.status.getLatencyMillis()) < 3_000);
            }
        }
    }
}
