package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Changes of tables the task does not sync still move its saved position, so a restart does not
 * read them again (no re-reading hours of binlog after a quiet or fully filtered stretch).
 */
class PositionProgressIT {

    @Test
    void filteredChangesAdvanceTheSavedPositionAndARestartDoesNotReadThemAgain() throws Exception {
        try (Servers servers = Servers.start("progress")) {
            servers.db.execute("CREATE DATABASE hb", "CREATE TABLE hb.synced (id INT PRIMARY KEY)", "CREATE TABLE hb.ignored (id INT PRIMARY KEY)");
            servers.kafka.createTopics(1, "Topic_hb_synced");
            Path objects = Files.createTempFile(servers.work, "objects", ".yaml");
            Files.writeString(objects, "include:\n  - table: hb.synced\n");
            Map<String, String> p = Task.properties(servers, "progress-it");
            p.put("obsync.source.databases", "hb");
            p.put("obsync.objects.file", objects.toString());
            try (Task task = Task.start(p)) {
                servers.forIds(1, 500, "INSERT INTO hb.ignored VALUES (?)");
                long end = binlogEnd(servers);
                // nothing of these 500 changes is sent, yet the acknowledged position reaches the end of the binlog
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> task.status.getCommittedPosition() != null
                        && task.status.getCommittedPosition().position() >= end - 1000);
                assertThat(task.status.getEventsRead()).isGreaterThanOrEqualTo(500);
            }
            try (Task again = Task.start(p)) {
                servers.forIds(1, 1, "INSERT INTO hb.synced VALUES (?)");
                Records.readUntil(servers.kafka.bootstrapServers(), java.util.List.of("Topic_hb_synced"),
                        r -> r.stream().anyMatch(x -> "1".equals(x.key())), Duration.ofSeconds(60));
                // the restart read on from the saved position: not the 500 filtered changes again
                assertThat(again.status.getEventsRead()).isLessThan(50);
            }
        }
    }

    private static long binlogEnd(Servers servers) throws Exception {
        try (Connection c = servers.db.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW MASTER STATUS")) {
            r.next();
            return r.getLong("Position");
        }
    }
}
