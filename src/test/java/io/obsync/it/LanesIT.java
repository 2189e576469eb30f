package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.obsync.destination.Lanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four lanes, one change per exchange, four concurrent writers on 100 keys, a DDL half-way: the lanes
 * share the work, every key's changes arrive in commit order, and in every partition the DDL stands
 * between the rows written before it and the rows written after it.
 */
@Timeout(300)
class LanesIT {

    static final int WRITERS = 4;
    static final int KEYS_PER_WRITER = 25;
    static final int ROUNDS = 20;

    @Test
    void eachKeyKeepsItsOrderAndDdlIsABarrierInEveryPartition() throws Exception {
        try (Servers servers = Servers.start("lanes")) {
            servers.db.execute("CREATE DATABASE lanes", "CREATE TABLE lanes.t (id INT PRIMARY KEY, v INT)");
            servers.kafka.createTopics(3, "Topic_lanes_t");
            Map<String, String> p = Task.properties(servers, "lanes-it");
            p.put("obsync.source.databases", "lanes");
            p.put("obsync.pipeline.lanes", "4");
            // one change per exchange: each goes to its key's lane (a batch of one table's changes keeps to the table's
            // lane, so with batches this one table would use one lane and prove nothing about the others)
            p.put("obsync.pipeline.batch-events", "1");
            try (Task task = Task.start(p)) {
                write(servers, 0, ROUNDS / 2);
                servers.db.execute("ALTER TABLE lanes.t ADD COLUMN c INT DEFAULT 7");
                write(servers, ROUNDS / 2 + 1, ROUNDS);
                int keys = WRITERS * KEYS_PER_WRITER;
                List<Records.Received> all = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_lanes_t"),
                        r -> rows(r).size() >= keys * (ROUNDS + 1L),
                        Duration.ofSeconds(120));
                assertThat(task.status.isFailed()).isFalse();
                // the claim holds only if the lanes ran: more than one of them carried exchanges
                long[] taken = task.bean("lanes", Lanes.class).taken();
                assertThat(Arrays.stream(taken).filter(n -> n > 0).count()).as("lanes that carried exchanges, of %s", Arrays.toString(taken))
                        .isGreaterThanOrEqualTo(2);

                // every key: its values in the order its partition holds them are 0, 1, ..., ROUNDS
                Map<String, List<Integer>> byKey = new TreeMap<>();
                for (Records.Received row : rows(all)) {
                    byKey.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(value(row));
                }
                assertThat(byKey).hasSize(keys);
                List<Integer> expected = IntStream.rangeClosed(0, ROUNDS).boxed().toList();
                assertThat(byKey).allSatisfy((key, values) -> assertThat(values).as("key " + key).isEqualTo(expected));

                // every partition: the DDL after each row written before it and before each row written after it
                for (int partition = 0; partition < 3; partition++) {
                    int current = partition;
                    List<Records.Received> messages = all.stream().filter(r -> r.partition() == current).toList();
                    int ddl = -1;
                    for (int i = 0; i < messages.size(); i++) {
                        if ("DDL".equals(messages.get(i).header("obsync-operation"))) {
                            ddl = i;
                        }
                    }
                    assertThat(ddl).as("partition " + partition + " holds the DDL").isGreaterThanOrEqualTo(0);
                    for (int i = 0; i < messages.size(); i++) {
                        Records.Received m = messages.get(i);
                        if (m.header("obsync-operation").equals("DDL")) {
                            continue;
                        }
                        boolean after = value(m) > ROUNDS / 2;
                        assertThat(i > ddl).as("partition " + partition + " message " + i + " v=" + value(m)).isEqualTo(after);
                        assertThat(m.json().get("postStruct").has("c")).isEqualTo(after);
                    }
                }
            }
        }
    }

    private static List<Records.Received> rows(List<Records.Received> all) {
        return all.stream().filter(r -> r.key() != null && !"DDL".equals(r.header("obsync-operation"))).toList();
    }

    private static int value(Records.Received row) {
        return Integer.parseInt(row.json().get("postStruct").get("v").asText());
    }

    /** Rounds first..last of every writer: round 0 inserts each key with v = 0, round n sets v = n, each change its own transaction. */
    private static void write(Servers servers, int first, int last) throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    try (Connection c = servers.db.connect();
                         PreparedStatement insert = c.prepareStatement("INSERT INTO lanes.t (id, v) VALUES (?, 0)");
                         PreparedStatement update = c.prepareStatement("UPDATE lanes.t SET v = ? WHERE id = ?")) {
                        for (int round = first; round <= last; round++) {
                            for (int k = 0; k < KEYS_PER_WRITER; k++) {
                                int id = writer * KEYS_PER_WRITER + k;
                                if (round == 0) {
                                    insert.setInt(1, id);
                                    insert.executeUpdate();
                                } else {
                                    update.setInt(1, round);
                                    update.setInt(2, id);
                                    update.executeUpdate();
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            writers.shutdownNow();
        }
    }
}
