package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * DDL written the OceanBase way reaching obsync through the binlog: the stand-in runs a MariaDB
 * statement of the same effect and {@link BinlogRelay} writes OceanBase's text in its place, as the
 * Binlog Service writes it when it does not convert DDL. A statement that changes no column is
 * skipped and the rows after it keep their structure; one that may change columns stops the task
 * with the statement; skipped on request, the table it created is unknown and its first row stops the
 * task loudly, never a silent wrong structure.
 */
class OceanBaseDdlIT {

    private static final String TOPIC = "Topic_obd_t";
    private static final String CREATE_T3 = "CREATE TABLE obd.t3 (id INT PRIMARY KEY, v VARCHAR(10)) REPLICA_NUM = 1 BLOCK_SIZE = 16384";

    @Test
    void statementsThatChangeNoColumnAreSkippedTheOthersStopTheTask() throws Exception {
        try (Servers servers = Servers.start("ob-ddl");
             BinlogRelay relay = BinlogRelay.start(servers.db.host(), servers.db.port())) {
            servers.db.execute("CREATE DATABASE obd", "CREATE TABLE obd.t (id INT PRIMARY KEY, c1 INT)");
            servers.kafka.createTopics(1, TOPIC);
            String localIndex = written(relay, "CREATE INDEX idx_c1 ON obd.t (c1)", "CREATE INDEX idx_c1 ON obd.t (c1) LOCAL");
            String tablegroup = written(relay, "ALTER TABLE obd.t COMMENT = 'x'", "ALTER TABLE obd.t TABLEGROUP = 'tg1', REPLICA_NUM = 2");
            String createT3 = written(relay, "CREATE TABLE obd.t3 (id INT PRIMARY KEY, v VARCHAR(10))", CREATE_T3);

            Map<String, String> p = Task.properties(servers, "ob-ddl-it");
            p.put("obsync.source.hostname", relay.host());
            p.put("obsync.source.port", Integer.toString(relay.port()));
            p.put("obsync.source.databases", "obd");
            try (Task task = Task.start(p)) {
                servers.db.execute(localIndex, tablegroup, "ALTER TABLE obd.t ADD COLUMN c2 INT DEFAULT 7", "INSERT INTO obd.t VALUES (1, 10, 20)");
                List<Records.Received> first = Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC),
                        all -> all.stream().anyMatch(r -> "1".equals(r.key())), Duration.ofSeconds(60));
                // the skipped statements left the structure right: the column added after them is there
                Records.Received row = first.stream().filter(r -> "1".equals(r.key())).findFirst().orElseThrow();
                assertThat(row.json().path("postStruct").path("c2").asInt()).as(row.toString()).isEqualTo(20);
                assertThat(task.status.isFailed()).isFalse();

                servers.db.execute(createT3, "INSERT INTO obd.t VALUES (2, 11, 21)");
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(task.status::isFailed);
                assertThat(task.status.getLastError()).contains("stopped at a DDL statement it cannot parse, which may change a table's columns")
                        .contains(CREATE_T3).contains("obsync.source.skip-unparseable-ddl=true");
                List<Records.Received> sent = Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC),
                        all -> all.stream().anyMatch(r -> "1".equals(r.key())), Duration.ofSeconds(30));
                assertThat(sent).noneMatch(r -> "2".equals(r.key()));
            }

            p.put("obsync.source.skip-unparseable-ddl", "true");
            try (Task task = Task.start(p)) {
                Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC), all -> all.stream().anyMatch(r -> "2".equals(r.key())),
                        Duration.ofSeconds(60));
                assertThat(task.status.isFailed()).isFalse();
                // the skipped CREATE TABLE left the table unknown: its first row stops the task, naming it
                servers.db.execute("INSERT INTO obd.t3 VALUES (1, 'a')");
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(task.status::isFailed);
                assertThat(task.status.getLastError()).contains("obd.t3");
            }
        }
    }

    /** The statement to run on the stand-in (padded with a comment) after telling the relay to write {@code written} in its place. */
    private static String written(BinlogRelay relay, String executed, String written) {
        String padded = executed + " /*" + " ".repeat(Math.max(0, written.length() - executed.length())) + "*/";
        relay.rewriteStatement(padded, written);
        return padded;
    }
}
