package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.obsync.format.FormatName;
import io.obsync.format.MessageFormats;
import io.obsync.it.Records.Received;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One source transaction far bigger than the task's heap could hold streams through in every format: one table per
 * format, all written in one transaction, read by the packaged task under a small heap that ends the JVM at its first
 * OutOfMemoryError. Every row arrives once per topic, in order per partition, and Maxwell and SharePlex number the rows
 * of the transaction in order although it is larger than their buffer.
 *
 * <p>CI size: 9 tables of 20,000 rows (180,000 row changes in one transaction) under a 256 MB heap, with the shipped
 * transaction buffer (10,000 row changes). Holding the whole transaction does not fit: with
 * {@code obsync.source.transaction-buffer-changes=10000000} the same test ends in the task's OutOfMemoryError.
 * {@code mvn -Plong verify}: 9 tables of 222,223 rows (2,000,007 row changes) under the launcher's 512 MB.
 */
class HugeTransactionIT {

    private static final int ROWS_PER_TABLE = Integer.getInteger("obsync.huge.rows-per-table", 20_000);
    private static final String HEAP = System.getProperty("obsync.huge.heap", "256m");
    private static final Pattern KEY_ID = Pattern.compile("\"(?:pk\\.)?id\"\\s*:\\s*(\\d+)");

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void aTransactionLargerThanTheHeapStreamsThroughInEveryFormatInOrder() throws Exception {
        try (Servers servers = Servers.start("huge-transaction")) {
            List<FormatName> formats = new ArrayList<>(MessageFormats.writers());
            List<String> topics = new ArrayList<>();
            List<String> mapping = new ArrayList<>();
            List<String> overrides = new ArrayList<>();
            servers.db.execute("CREATE DATABASE huge");
            for (FormatName format : formats) {
                String name = format.displayName().toLowerCase(Locale.ROOT);
                String topic = "huge_" + name;
                topics.add(topic);
                servers.db.execute("CREATE TABLE huge.t_" + name + " (id BIGINT PRIMARY KEY, v VARCHAR(64) NOT NULL, n INT NOT NULL)");
                mapping.add("huge.t_" + name + "=kafka:" + topic);
                overrides.add(topic + "=" + format.displayName());
            }
            servers.kafka.createTopics(2, topics.toArray(String[]::new));
            Map<String, String> p = Task.properties(servers, "huge-transaction-it");
            p.put("obsync.source.databases", "huge");
            p.put("obsync.topic.mapping", String.join(",", mapping));
            p.put("obsync.format.topics", String.join(",", overrides));
            p.put("obsync.format.shareplex.transaction-sequence", "true");
            p.put("obsync.kafka.brokers", servers.kafka.bootstrapServers());
            Path dir = Files.createDirectories(servers.work.resolve("task"));
            try (TaskProcess task = TaskProcess.startWithHeap(HEAP, dir, p, "task.log")) {
                long start = System.nanoTime();
                try (Connection c = servers.db.connect(); Statement s = c.createStatement()) {
                    c.setAutoCommit(false);
                    for (FormatName format : formats) {
                        s.executeUpdate("INSERT INTO huge.t_" + format.displayName().toLowerCase(Locale.ROOT)
                                + " SELECT seq, CONCAT('value-', seq), seq % 100 FROM huge.seq_1_to_" + ROWS_PER_TABLE);
                    }
                    // a small transaction behind it, so that the big one is known complete without waiting for a heartbeat
                    c.commit();
                    s.executeUpdate("UPDATE huge.t_default SET n = -1 WHERE id = 1");
                    c.commit();
                }
                long total = (long) ROWS_PER_TABLE * formats.size();
                List<Received> all = Records.readUntil(servers.kafka.bootstrapServers(), List.of("huge_default"), r -> {
                    // a task that ran out of heap ends at once (ExitOnOutOfMemoryError): say so instead of waiting for the timeout
                    assertThat(task.isAlive()).as("the task is running under -Xmx%s", HEAP).isTrue();
                    return r.stream().anyMatch(x -> "UPDATE".equals(x.header("obsync-operation")));
                }, Duration.ofMinutes(15));
                assertThat(all).isNotEmpty();
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(task.isAlive()).as("the task survived the transaction under -Xmx%s: %s", HEAP, task.output()).isTrue();
                assertThat(task.output()).doesNotContain("OutOfMemoryError");
                System.out.printf("HugeTransactionIT: %,d row changes in one transaction through %d formats in %.1f s (%.0f rows/s) "
                        + "under -Xmx%s%n", total, formats.size(), seconds, total / seconds, HEAP);

                for (int f = 0; f < formats.size(); f++) {
                    String topic = topics.get(f);
                    List<Received> messages = Records.readToEnd(servers.kafka.bootstrapServers(), List.of(topic), Duration.ofMinutes(5)).stream()
                            .filter(r -> "INSERT".equals(r.header("obsync-operation"))).toList();
                    Map<Integer, Long> lastIdPerPartition = new HashMap<>();
                    boolean[] seen = new boolean[ROWS_PER_TABLE + 1];
                    for (Received m : messages) {
                        long id = id(m);
                        assertThat(seen[(int) id]).as("%s: row %d twice", topic, id).isFalse();
                        seen[(int) id] = true;
                        Long before = lastIdPerPartition.put(m.partition(), id);
                        assertThat(before == null || before < id).as("%s partition %d: row %d after row %d", topic, m.partition(), id, before)
                                .isTrue();
                    }
                    assertThat(messages).as("%s: every row once", topic).hasSize(ROWS_PER_TABLE);
                    checkNumbering(formats.get(f), topic, messages);
                }
            }
        }
    }

    /** The row's id: the plain record key, or the id in a key that is JSON (Maxwell, Debezium). */
    private static long id(Received m) {
        String key = m.key();
        if (key != null && key.chars().allMatch(Character::isDigit) && !key.isEmpty()) {
            return Long.parseLong(key);
        }
        Matcher matcher = KEY_ID.matcher(key == null ? "" : key);
        assertThat(matcher.find()).as("an id in the key of %s: %s", m.topic(), key).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    /** Maxwell's xoffset and SharePlex's seq grow within the transaction, although it is larger than their buffer. */
    private static void checkNumbering(FormatName format, String topic, List<Received> messages) {
        if (format != FormatName.MAXWELL && format != FormatName.SHAREPLEX) {
            return;
        }
        Map<Integer, Long> lastPerPartition = new HashMap<>();
        for (Received m : messages) {
            // SharePlex: the 1-based place; its size (and idx) stay null, as a transaction this large is sent before its end
            long place = format == FormatName.MAXWELL ? m.json().get("xoffset").asLong() : m.json().at("/meta/seq").asLong();
            if (format == FormatName.SHAREPLEX) {
                assertThat(m.json().at("/meta/size").isNull()).as("%s: size of a transaction sent before its end", topic).isTrue();
            }
            Long before = lastPerPartition.put(m.partition(), place);
            assertThat(before == null || before < place).as("%s partition %d: place %d after %d", topic, m.partition(), place, before).isTrue();
        }
    }
}
