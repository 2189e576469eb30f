package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.obsync.it.Records.Received;
import io.obsync.manage.TaskStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A failure that resending cannot cure stops the task before the change, in one line with the fix; nothing is skipped. */
class DeliveryErrorsIT {

    private static final String TOPIC = "Topic_big_rows";

    @Test
    void aMessageLargerThanKafkaAcceptsStopsTheTaskBeforeItAndIsSentOnceAllowed() throws Exception {
        try (Servers servers = Servers.start("too-large")) {
            servers.kafka.createTopics(1, TOPIC);
            servers.db.execute("CREATE DATABASE big", "CREATE TABLE big.rows (id INT PRIMARY KEY, body MEDIUMTEXT)");
            Map<String, String> p = Task.properties(servers, "too-large-it");
            p.put("obsync.source.databases", "big");
            p.put("obsync.kafka.max-request-size", "100000");
            try (Task task = Task.start(p)) {
                servers.db.execute("INSERT INTO big.rows VALUES (1, 'small')",
                        "INSERT INTO big.rows VALUES (2, REPEAT('x', 300000))",
                        "INSERT INTO big.rows VALUES (3, 'after the big one')");
                Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> task.status.getState() == TaskStatus.State.FAILED);
                assertThat(task.status.getLastError()).doesNotContain("\n")
                        .contains("Kafka topic '" + TOPIC + "'").contains("larger than Kafka at " + servers.kafka.bootstrapServers())
                        .contains("obsync.kafka.max-request-size")
                        .contains("stopped before this change");
            }
            // the big row never went out (the row after it may have: it was in flight in the same batch, and comes again)
            assertThat(keys(servers, Set.of("1"))).contains("1").doesNotContain("2");

            // allowed now: the big row and the one after it arrive, nothing was skipped
            p.put("obsync.kafka.max-request-size", "2000000");
            try (Task task = Task.start(p)) {
                assertThat(keys(servers, Set.of("1", "2", "3"))).contains("1", "2", "3");
            }
        }
    }

    private static Set<String> keys(Servers servers, Set<String> wanted) {
        List<Received> received = Records.settled(servers.kafka.bootstrapServers(), List.of(TOPIC),
                r -> r.stream().map(Received::key).collect(Collectors.toSet()).containsAll(wanted), Duration.ofSeconds(120));
        return received.stream().filter(r -> !"DDL".equals(r.header("obsync-operation"))).map(Received::key)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
