package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.obsync.manage.TaskStatus;
import org.junit.jupiter.api.Test;

/** Incremental synchronization from a time in the past: the first transaction at or after it, and refusals. */
class StartTimeIT {

    @Test
    void startsAtTheFirstTransactionAtOrAfterTheTimeAndRefusesTimesTheBinlogDoesNotReach() throws Exception {
        try (Servers servers = Servers.start("starttime")) {
            servers.db.execute("CREATE DATABASE st", "CREATE TABLE st.t (id INT PRIMARY KEY, note VARCHAR(20))");
            servers.kafka.createTopics(3, "Topic_st_t");
            servers.forIds(1, 10, "INSERT INTO st.t VALUES (?, 'before')");
            // binlog times are whole seconds: the time lies in the second after the last change before it
            long time = System.currentTimeMillis() / 1000 + 1;
            while (System.currentTimeMillis() < time * 1000 + 50) {
                Thread.sleep(20);
            }
            servers.forIds(11, 20, "INSERT INTO st.t VALUES (?, 'after')");
            servers.db.execute("UPDATE st.t SET note = 'changed' WHERE id = 5");
            Thread.sleep(1_500);

            Map<String, String> p = Task.properties(servers, "starttime-it");
            p.put("obsync.source.databases", "st");
            p.put("obsync.source.snapshot-mode", "no_data");
            p.put("obsync.source.start-time", Instant.ofEpochSecond(time).toString());
            try (Task task = Task.start(p)) {
                servers.forIds(21, 30, "INSERT INTO st.t VALUES (?, 'live')");
                Set<String> wanted = java.util.stream.IntStream.rangeClosed(11, 30).mapToObj(Integer::toString).collect(Collectors.toSet());
                Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_st_t"), all -> keys(all).containsAll(wanted),
                        Duration.ofSeconds(60));
                // every partition read to its end: what came before the time would be there too
                List<Records.Received> received = Records.readToEnd(servers.kafka.bootstrapServers(), List.of("Topic_st_t"), Duration.ofSeconds(60));
                Set<String> inserted = received.stream().filter(r -> r.json().path("recordType").asText().equals("INSERT"))
                        .map(Records.Received::key).collect(Collectors.toSet());
                // 11..30 inserted, nothing from before the time; the UPDATE after it arrives too
                assertThat(inserted).hasSize(20).allMatch(k -> Integer.parseInt(k) > 10);
                assertThat(received.stream().filter(r -> r.json().path("recordType").asText().equals("UPDATE")).map(Records.Received::key))
                        .containsExactly("5");
                assertThat(task.status.getPhase()).isEqualTo(TaskStatus.Phase.INCREMENTAL);
            }

            Map<String, String> early = Task.properties(servers, "starttime-early");
            early.put("obsync.source.start-time", "2001-09-09T01:46:40Z");
            assertThatThrownBy(() -> Task.start(early).close())
                    .hasStackTraceContaining("obsync.source.start-time 2001-09-09T01:46:40Z is earlier than the oldest binlog the source keeps");
            Map<String, String> future = Task.properties(servers, "starttime-future");
            future.put("obsync.source.start-time", "4102444800");
            assertThatThrownBy(() -> Task.start(future).close())
                    .hasStackTraceContaining("obsync.source.start-time 2100-01-01T00:00:00Z lies in the future");
        }
    }

    private static Set<String> keys(List<Records.Received> all) {
        return all.stream().map(Records.Received::key).collect(Collectors.toSet());
    }
}
