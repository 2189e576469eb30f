package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.obsync.sandbox.FreePorts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The task console over HTTP, as scripts use it: the status JSON follows the task, the page and its script come from the
 * jar under a strict Content-Security-Policy, and actions work for the control role only, with the action header, from
 * the console's own origin; a task without a password file has a read-only console.
 */
class TaskConsoleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static Servers servers;

    @BeforeAll
    static void start() throws Exception {
        servers = Servers.start("console");
        servers.db.execute("CREATE DATABASE con", "CREATE TABLE con.t (id INT PRIMARY KEY, v INT)");
        servers.kafka.createTopics(1, "Topic_con_t");
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    record Answer(int code, String body, HttpResponse<String> response) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    static Answer get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r);
    }

    static Answer post(int port, String action, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/obsync/actions/" + action))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        headers.forEach(request::header);
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode status(int port) throws Exception {
        Answer answer = get(port, "/obsync/status");
        assertThat(answer.code()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void theConsoleShowsTheTaskAndActsForTheControlRoleOnly() throws Exception {
        Path dir = Files.createDirectories(servers.work.resolve("console-roles"));
        Path passwords = Files.writeString(dir.resolve("jmx.password"), "control Ctl-p4ss-91\nmonitor Mon-p4ss-92\n");
        Path access = Files.writeString(dir.resolve("jmx.access"), "control readwrite\nmonitor readonly\n");
        int port = FreePorts.next();
        Map<String, String> p = Task.properties(servers, "console-it");
        p.put("obsync.source.databases", "con");
        p.put("obsync.source.signal-table", "con.obsync_signals");
        p.put("obsync.jmx.password-file", passwords.toString());
        p.put("obsync.jmx.access-file", access.toString());
        p.put("camel.management.port", Integer.toString(port));
        Map<String, String> control = Map.of("X-Obsync-Console", "1", "Authorization", basic("control", "Ctl-p4ss-91"));
        try (Task task = Task.start(p)) {
            servers.forIds(1, 10, "INSERT INTO con.t VALUES (?, 0)");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> status(port).at("/counters/rowChangesAcknowledged").asLong() >= 10);
            JsonNode status = status(port);
            assertThat(status.get("task").asText()).isEqualTo("console-it");
            assertThat(status.get("state").asText()).isEqualTo("RUNNING");
            assertThat(status.get("phase").asText()).isEqualTo("INCREMENTAL");
            assertThat(status.get("actions").asBoolean()).isTrue();
            assertThat(status.get("tables").findValuesAsText("name")).contains("con.t");
            assertThat(status.get("topics").findValuesAsText("name")).contains("Topic_con_t");
            // secrets show as set, never as themselves; other settings as they are
            assertThat(status.at("/configuration/obsync.source.password").asText()).isEqualTo("******");
            assertThat(status.at("/configuration/obsync.jmx.password-file").asText()).isEqualTo(passwords.toString());
            assertThat(status.toString()).doesNotContain("Ctl-p4ss-91").doesNotContain("Mon-p4ss-92");

            // the page and its script, from the jar, under a policy that allows nothing from elsewhere
            Answer page = get(port, "/obsync/");
            assertThat(page.code()).isEqualTo(200);
            assertThat(page.body()).contains("obsync task console").contains("console.js");
            assertThat(page.response().headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                    .contains("default-src 'self'").contains("frame-ancestors 'none'"));
            assertThat(get(port, "/obsync/console.js").body()).contains("function render(status)");
            assertThat(get(port, "/obsync/").body()).doesNotContain("http://").doesNotContain("https://");

            // refused, each in one line: no action header, no credentials, the monitoring role, another site's page
            Answer noHeader = post(port, "pause", "{}", Map.of("Authorization", basic("control", "Ctl-p4ss-91")));
            assertThat(noHeader.code()).isEqualTo(403);
            assertThat(noHeader.json().get("message").asText()).contains("X-Obsync-Console");
            Answer anonymous = post(port, "pause", "{}", Map.of("X-Obsync-Console", "1"));
            assertThat(anonymous.code()).isEqualTo(403);
            assertThat(anonymous.json().get("message").asText()).isEqualTo(
                    "The user name or password is not right: sign in as a user of obsync.jmx.password-file.");
            Answer monitor = post(port, "pause", "{}", Map.of("X-Obsync-Console", "1", "Authorization", basic("monitor", "Mon-p4ss-92")));
            assertThat(monitor.code()).isEqualTo(403);
            assertThat(monitor.json().get("message").asText()).contains("monitoring role");
            Answer elsewhere = post(port, "pause", "{}", Map.of("X-Obsync-Console", "1", "Authorization", basic("control", "Ctl-p4ss-91"),
                    "Origin", "http://evil.example"));
            assertThat(elsewhere.code()).isEqualTo(403);
            assertThat(elsewhere.json().get("message").asText()).contains("http://evil.example");
            assertThat(status(port).get("state").asText()).isEqualTo("RUNNING");

            // pause: nothing is read while paused; resume: the rows written meanwhile arrive
            Answer paused = post(port, "pause", "{}", control);
            assertThat(paused.code()).as(paused.body()).isEqualTo(200);
            assertThat(status(port).get("state").asText()).isEqualTo("PAUSED");
            long readWhenPaused = status(port).at("/counters/eventsRead").asLong();
            servers.forIds(11, 20, "INSERT INTO con.t VALUES (?, 0)");
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> status(port).at("/counters/eventsRead").asLong() == readWhenPaused);
            Answer resumed = post(port, "resume", "{}", control);
            assertThat(resumed.code()).as(resumed.body()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> status(port).at("/counters/rowChangesAcknowledged").asLong() >= 20);
            assertThat(status(port).get("state").asText()).isEqualTo("RUNNING");

            // the throttle: a bad value is refused and changes nothing; a good one is the MBean's too
            Answer bad = post(port, "throttle", "{\"incrementalRecordsPerSecond\": \"-5\"}", control);
            assertThat(bad.code()).isEqualTo(409);
            assertThat(bad.json().get("message").asText()).isEqualTo(
                    "The throttle's incrementalRecordsPerSecond is '-5': give a whole number of at least 0 (0: no limit).");
            Answer throttled = post(port, "throttle", "{\"incrementalRecordsPerSecond\": 5000}", control);
            assertThat(throttled.code()).as(throttled.body()).isEqualTo(200);
            assertThat(status(port).at("/throttle/incrementalRecordsPerSecond").asLong()).isEqualTo(5000);
            assertThat(task.bean("throttle", io.obsync.manage.Throttle.class).recordsPerSecond(false)).isEqualTo(5000);
            assertThat(post(port, "throttle", "{\"incrementalRecordsPerSecond\": 0}", control).code()).isEqualTo(200);

            // resync: the table's 20 rows are read again and sent as ROW messages
            Answer resync = post(port, "resync", "{\"tables\": \"con.t\"}", control);
            assertThat(resync.code()).as(resync.body()).isEqualTo(200);
            assertThat(resync.json().get("message").asText()).startsWith("Resync requested (obsync-resync-");
            Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_con_t"),
                    all -> all.stream().filter(r -> "ROW".equals(r.json().path("recordType").asText())).count() >= 20, Duration.ofSeconds(60));
            Answer unknownTable = post(port, "resync", "{\"tables\": \"con.nope\"}", control);
            assertThat(unknownTable.code()).isEqualTo(409);
            assertThat(unknownTable.json().get("message").asText()).contains("Table 'con.nope' is not one the task syncs");
            Answer unknown = post(port, "explode", "{}", control);
            assertThat(unknown.code()).isEqualTo(404);
            Answer notJson = post(port, "resync", "tables=con.t", control);
            assertThat(notJson.code()).isEqualTo(400);
            Answer tooLarge = post(port, "resync", "{\"tables\": \"" + "x".repeat(70_000) + "\"}", control);
            assertThat(tooLarge.code()).isEqualTo(413);
            assertThat(task.status.isFailed()).isFalse();
        }
    }

    @Test
    void withoutAPasswordFileTheConsoleIsReadOnly() throws Exception {
        int port = FreePorts.next();
        Map<String, String> p = Task.properties(servers, "console-read-only-it");
        p.put("obsync.source.databases", "con");
        p.put("camel.management.port", Integer.toString(port));
        try (Task task = Task.start(p)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(status(port).get("state").asText()));
            assertThat(status(port).get("actions").asBoolean()).isFalse();
            Answer refused = post(port, "pause", "{}", Map.of("X-Obsync-Console", "1", "Authorization", basic("control", "x")));
            assertThat(refused.code()).isEqualTo(403);
            assertThat(refused.json().get("message").asText()).isEqualTo("The console is read-only: set obsync.jmx.password-file (and "
                    + "obsync.jmx.access-file) to allow actions for users with the control role.");
            assertThat(status(port).get("state").asText()).isEqualTo("RUNNING");
            assertThat(task.status.isFailed()).isFalse();
        }
    }
}
