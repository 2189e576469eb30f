package io.obsync.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

/** Filling source tables, writing to them while a task runs, and the tables as a consumer of the messages sees them. */
final class SourceTables {

    private SourceTables() {
    }

    interface Write {
        void run(Statement statement, Random random) throws Exception;
    }

    /** A thread that writes (once running is true) until running turns false, counting its statements. */
    static Writer writer(Servers servers, AtomicBoolean running, AtomicLong count, Write write) {
        return new Writer(servers, running, count, write);
    }

    /** A writer thread whose failure is seen: {@link #join} rethrows what ended it, so a test cannot pass on a dead writer. */
    static final class Writer {
        private final Thread thread;
        private final AtomicLong count;
        private volatile Throwable failure;

        private Writer(Servers servers, AtomicBoolean running, AtomicLong count, Write write) {
            this.count = count;
            this.thread = new Thread(() -> {
                Random random = new Random(7);
                try (Connection c = servers.db.connect(); Statement statement = c.createStatement()) {
                    while (!running.get()) {
                        Thread.sleep(10);
                    }
                    while (running.get()) {
                        write.run(statement, random);
                        count.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure = e;
                }
            }, "source-writer");
        }

        void start() {
            thread.start();
        }

        /** Waits for the writer to end; fails when it ended by an error. */
        void join() throws InterruptedException {
            thread.join();
            check();
        }

        /** Waits at most the time for the writer to end; fails when it is still writing or ended by an error. */
        void join(long millis) throws InterruptedException {
            thread.join(millis);
            if (thread.isAlive()) {
                throw new AssertionError("the source writer still runs " + millis + " ms after it was told to stop");
            }
            check();
        }

        private void check() {
            if (failure != null) {
                throw new AssertionError("the source writer died after " + count.get() + " statements: " + failure, failure);
            }
        }
    }

    /**
     * One random change of a table (id, v, note): an UPDATE, a DELETE or an INSERT of a key up to
     * {@code keys}; returns the rows it changed (0 when the key was not there, or was taken).
     */
    static int changeRandomRow(Statement statement, Random random, String table, int keys) throws java.sql.SQLException {
        int id = 1 + random.nextInt(keys);
        return switch (random.nextInt(3)) {
            case 0 -> statement.executeUpdate("UPDATE " + table + " SET v = v + 1, note = 'u' WHERE id = " + id);
            case 1 -> statement.executeUpdate("DELETE FROM " + table + " WHERE id = " + id);
            default -> statement.executeUpdate("INSERT IGNORE INTO " + table + " VALUES (" + id + ", 0, 'new')");
        };
    }

    /** Inserts rows 1..rows, a thousand per statement. */
    static void fill(Servers servers, String insert, int rows, java.util.function.IntFunction<String> values) throws Exception {
        try (Connection c = servers.db.connect(); Statement statement = c.createStatement()) {
            for (int from = 1; from <= rows; from += 1000) {
                StringBuilder sql = new StringBuilder(insert);
                for (int i = from; i < from + 1000 && i <= rows; i++) {
                    sql.append(i == from ? "" : ",").append(values.apply(i));
                }
                statement.execute(sql.toString());
            }
        }
    }

    /** A keyed table's rows: id to the other columns joined by '|'. */
    static Map<Integer, String> rows(Servers servers, String table, String... columns) throws Exception {
        Map<Integer, String> rows = new HashMap<>();
        try (Connection c = servers.db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id, " + String.join(", ", columns) + " FROM " + table)) {
            while (r.next()) {
                StringBuilder value = new StringBuilder();
                for (int i = 0; i < columns.length; i++) {
                    value.append(i == 0 ? "" : "|").append(r.getString(i + 2));
                }
                rows.put(r.getInt(1), value.toString());
            }
        }
        return rows;
    }

    /** A keyed table as a consumer that applies the default format's messages in order ends up with (upsert by key). */
    static Map<Integer, String> applied(List<Records.Received> all, String topic, String... columns) {
        Map<Integer, String> rows = new HashMap<>();
        for (Records.Received r : ordered(all, topic)) {
            JsonNode m = r.json();
            switch (m.path("recordType").asText()) {
                case "ROW", "INSERT", "UPDATE" -> {
                    StringBuilder value = new StringBuilder();
                    for (int i = 0; i < columns.length; i++) {
                        JsonNode field = m.path("postStruct").path(columns[i]);
                        value.append(i == 0 ? "" : "|").append(field.isNull() ? "null" : field.asText());
                    }
                    rows.put(m.path("postStruct").path("id").asInt(), value.toString());
                }
                case "DELETE" -> rows.remove(m.path("prevStruct").path("id").asInt());
                default -> { }
            }
        }
        return rows;
    }

    /** Messages of a topic in the order of each partition (a key's changes are in one partition). */
    static List<Records.Received> ordered(List<Records.Received> all, String topic) {
        List<Records.Received> messages = new ArrayList<>(all.stream().filter(r -> r.topic().equals(topic)).toList());
        messages.sort(java.util.Comparator.comparingInt(Records.Received::partition).thenComparingLong(Records.Received::offset));
        return messages;
    }
}
