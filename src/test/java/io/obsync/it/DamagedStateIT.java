package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.obsync.it.Records.Received;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A saved position that a full disk or a crash damaged is never read as "no position": the task
 * resumes from the previous generation and loses nothing, or stops in one line until the user
 * chooses where reading starts with {@code obsync run --from}.
 */
@Timeout(600)
class DamagedStateIT {

    private static final String TOPIC = "Topic_damaged_items";

    @Test
    void aDamagedPositionResumesFromThePreviousGenerationOrStopsUntilTheUserChooses() throws Exception {
        try (Servers servers = Servers.start("damaged")) {
            servers.kafka.createTopics(1, TOPIC);
            servers.db.execute("CREATE DATABASE damaged", "CREATE TABLE damaged.items (id INT PRIMARY KEY, note VARCHAR(20))");
            Map<String, String> p = Task.properties(servers, "damaged-it");
            p.put("obsync.source.databases", "damaged");
            p.put("camel.management.port", "0");
            Path folder = servers.work.resolve("data").resolve("damaged-it");
            Path offsets = folder.resolve("offsets.dat");

            try (TaskProcess task = TaskProcess.start(servers.work, p, "task-1.log")) {
                servers.forIds(1, 5, "INSERT INTO damaged.items VALUES (?, 'first')");
                awaitIds(servers, 1, 5);
                // a later batch: its save keeps the one before as the previous generation
                servers.forIds(6, 6, "INSERT INTO damaged.items VALUES (?, 'first')");
                awaitIds(servers, 1, 6);
            }

            // written while the task is down; then the saved position is emptied, as a full disk leaves it
            servers.forIds(7, 12, "INSERT INTO damaged.items VALUES (?, 'while down')");
            Files.write(offsets, new byte[0]);
            try (TaskProcess task = TaskProcess.start(servers.work, p, "task-2.log")) {
                awaitIds(servers, 1, 12);
                assertThat(task.output()).contains("resuming from its previous generation offsets.dat.prev");
            }

            // both generations unreadable: the task stops with one line and reads nothing
            String before = currentPosition(servers);
            servers.forIds(13, 15, "INSERT INTO damaged.items VALUES (?, 'lost?')");
            Files.write(offsets, new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5, 's', 'r'});
            Files.write(folder.resolve("offsets.dat.prev"), new byte[0]);
            try (TaskProcess task = TaskProcess.start(servers.work, p, "task-3.log")) {
                assertThat(task.exitCode(Duration.ofSeconds(120))).isNotZero();
                List<String> lines = task.output().lines().filter(l -> l.startsWith("obsync:")).toList();
                assertThat(lines).hasSize(1);
                assertThat(lines.get(0)).contains(offsets.toString()).contains("obsync run --from earliest|latest|<binlog file>:<position>|<time>");
            }
            assertThat(offsets).exists();
            // and it sent nothing: the topic, read to its end offset, holds the rows before and none of the three
            List<Received> stored = Records.readToEnd(servers.kafka.bootstrapServers(), List.of(TOPIC), Duration.ofSeconds(60));
            assertThat(stored.stream().map(Received::key).collect(Collectors.toSet())).containsAll(ids(1, 12)).doesNotContainAnyElementsOf(ids(13, 15));

            // the user chooses the position before the three rows: they arrive
            try (TaskProcess task = TaskProcess.start(servers.work, p, "task-4.log", "--from", before)) {
                awaitIds(servers, 1, 15);
            }
            try (var files = Files.list(folder)) {
                assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith("set-aside-"));
            }
        }
    }

    private static String currentPosition(Servers servers) throws Exception {
        try (var c = servers.db.connect(); var rs = c.createStatement().executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return rs.getString(1) + ":" + rs.getLong(2);
        }
    }

    private static Set<String> ids(int first, int last) {
        return IntStream.rangeClosed(first, last).mapToObj(Integer::toString).collect(Collectors.toSet());
    }

    private static void awaitIds(Servers servers, int first, int last) {
        Set<String> wanted = ids(first, last);
        List<Received> received = Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC),
                r -> r.stream().map(Received::key).collect(Collectors.toSet()).containsAll(wanted), Duration.ofSeconds(120));
        assertThat(received.stream().map(Received::key).collect(Collectors.toSet())).containsAll(wanted);
    }
}
