package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.obsync.it.Records.Received;
import io.obsync.manage.TaskStatus;
import io.obsync.sandbox.KafkaProcess;
import org.junit.jupiter.api.Test;

/** The Kafka broker goes away mid-stream for longer than the producer's delivery timeout, then comes back. */
class BrokerOutageIT {

    private static final int ROWS = 2000;
    private static final String TOPIC = "Topic_outage_events";
    private static final String INSERT = "INSERT INTO outage.events VALUES (?, 'created')";

    @Test
    void taskRecoversByItselfAndLosesNothing() throws Exception {
        try (Servers servers = Servers.startWithKafkaProcess("outage")) {
            KafkaProcess broker = (KafkaProcess) servers.kafka;
            broker.createTopics(3, TOPIC);
            servers.db.execute("CREATE DATABASE outage", "CREATE TABLE outage.events (id INT PRIMARY KEY, note VARCHAR(32))");
            Map<String, String> p = Task.properties(servers, "outage-it");
            p.put("obsync.source.databases", "outage");
            // sends fail quickly while the broker is away, so the source's own resend path is exercised
            p.put("obsync.kafka.request-timeout-ms", "3000");
            p.put("obsync.kafka.delivery-timeout-ms", "6000");
            p.put("obsync.delivery.retry-backoff-ms", "200");
            try (Task task = Task.start(p)) {
                // a quarter of the stream with the broker up, half while it is down, the rest after it is back
                servers.forIds(1, ROWS / 4, INSERT);
                Records.readUntil(broker.bootstrapServers(), List.of(TOPIC), r -> r.size() >= ROWS / 4, Duration.ofSeconds(60));
                broker.stop();
                servers.forIds(ROWS / 4 + 1, 3 * ROWS / 4, INSERT);
                // longer than the delivery timeout: sends fail and are resent by the source
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> task.status.getResends() >= 2);
                // the error says the broker is away, not that a topic is missing
                assertThat(task.status.getLastError()).contains("the broker is down or unreachable").doesNotContain("create");
                assertThat(task.status.getState()).isNotEqualTo(TaskStatus.State.FAILED);
                broker.start();
                servers.forIds(3 * ROWS / 4 + 1, ROWS, INSERT);

                Set<String> ids = new HashSet<>();
                List<Received> all = Records.readUntil(broker.bootstrapServers(), List.of(TOPIC), r -> {
                    ids.clear();
                    r.stream().filter(x -> "INSERT".equals(x.header("obsync-operation"))).forEach(x -> ids.add(x.header("obsync-event-id")));
                    return ids.size() >= ROWS;
                }, Duration.ofSeconds(120));
                Set<String> keys = new HashSet<>();
                all.stream().filter(x -> "INSERT".equals(x.header("obsync-operation"))).forEach(x -> keys.add(x.key()));
                for (int i = 1; i <= ROWS; i++) {
                    assertThat(keys).contains(Integer.toString(i));
                }
                // a resent change carries the id of its first copy: one id per inserted key
                Map<String, Set<String>> idsPerKey = new java.util.HashMap<>();
                all.stream().filter(x -> "INSERT".equals(x.header("obsync-operation")))
                        .forEach(x -> idsPerKey.computeIfAbsent(x.key(), k -> new HashSet<>()).add(x.header("obsync-event-id")));
                assertThat(idsPerKey.values()).allSatisfy(set -> assertThat(set).hasSize(1));
                long inserts = all.stream().filter(x -> "INSERT".equals(x.header("obsync-operation"))).count();
                System.out.printf("BROKER-OUTAGE changes=%d messages=%d duplicates=%d failed-sends=%d resends=%d state=%s%n",
                        ROWS, inserts, inserts - ids.size(), task.status.getFailedSends(), task.status.getResends(), task.status.getState());
                assertThat(task.status.getResends()).as("the outage made the source resend").isPositive();
                assertThat(task.status.getState()).isEqualTo(TaskStatus.State.RUNNING);
            }
        }
    }

}
