package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A DDL statement the task cannot parse (OceanBase has DDL extensions; MariaDB's system versioning
 * stands in for them here) never passes silently: by default the task stops and says which
 * statement and how to go on; with obsync.source.skip-unparseable-ddl it is logged and skipped.
 */
class UnparseableDdlIT {

    private static final String DDL = "CREATE TABLE ud.versioned (id INT PRIMARY KEY, v INT) WITH SYSTEM VERSIONING";

    @Test
    void stopsWithTheStatementByDefaultAndSkipsItWhenAsked() throws Exception {
        try (Servers servers = Servers.start("unparseable")) {
            servers.db.execute("CREATE DATABASE ud", "CREATE TABLE ud.t (id INT PRIMARY KEY)");
            servers.kafka.createTopics(1, "Topic_ud_t");
            Map<String, String> p = Task.properties(servers, "unparseable-it");
            p.put("obsync.source.databases", "ud");
            try (Task task = Task.start(p)) {
                servers.db.execute("INSERT INTO ud.t VALUES (1)");
                Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_ud_t"), all -> all.stream().anyMatch(r -> "1".equals(r.key())),
                        Duration.ofSeconds(60));
                servers.db.execute(DDL, "INSERT INTO ud.t VALUES (2)");
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(task.status::isFailed);
                assertThat(task.status.getLastError()).startsWith("binlog source ").contains("stopped at a DDL statement it cannot parse")
                        .contains(DDL).contains("set obsync.source.skip-unparseable-ddl=true");
                // the change after the statement did not go out
                List<Records.Received> before = Records.settled(servers.kafka.bootstrapServers(), List.of("Topic_ud_t"),
                        all -> all.stream().anyMatch(r -> "1".equals(r.key())), Duration.ofSeconds(30));
                assertThat(before).noneMatch(r -> "2".equals(r.key()));
            }
            p.put("obsync.source.skip-unparseable-ddl", "true");
            try (Task task = Task.start(p)) {
                List<Records.Received> received = Records.settled(servers.kafka.bootstrapServers(), List.of("Topic_ud_t"),
                        all -> all.stream().anyMatch(r -> "2".equals(r.key())), Duration.ofSeconds(60));
                assertThat(received.stream().filter(r -> r.key() != null).map(Records.Received::key)).contains("1", "2");
                assertThat(task.status.isFailed()).isFalse();
            }
        }
    }
}
