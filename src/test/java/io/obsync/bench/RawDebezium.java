package io.obsync.bench;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.debezium.embedded.Connect;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.obsync.sandbox.EmbeddedMariaDb;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The ceiling for anything built on Debezium: its MySQL connector in the embedded engine, with the
 * engine settings obsync uses, into a batch handler that only counts the records of one table.
 */
final class RawDebezium {

    private RawDebezium() {
    }

    /** The connector's settings for the sandbox's database {@code bench}, offsets and schema history in {@code work}. */
    static Properties settings(EmbeddedMariaDb db, Path work, String name, int serverId, String snapshotMode, String sslMode) {
        Properties p = new Properties();
        p.put("name", name);
        p.put("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        p.put("database.hostname", db.host());
        p.put("database.port", Integer.toString(db.port()));
        p.put("database.user", db.user());
        p.put("database.password", db.password());
        p.put("database.server.id", Integer.toString(serverId));
        p.put("database.ssl.mode", sslMode);
        p.put("topic.prefix", name);
        p.put("database.include.list", "bench");
        p.put("snapshot.mode", snapshotMode);
        p.put("snapshot.locking.mode", "none");
        p.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.put("offset.storage.file.filename", work.resolve(name + "-offsets.dat").toString());
        p.put("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        p.put("schema.history.internal.file.filename", work.resolve(name + "-history.dat").toString());
        // the engine settings obsync's source applies (BinlogComponent's defaults), so every reader does the same engine work;
        // not the offset flush after every batch, which safe readers need (the lean reference sets it) and a counter does not
        p.put("max.batch.size", "4096");
        p.put("max.queue.size", "16384");
        p.put("column.propagate.source.type", ".*");
        p.put("bigint.unsigned.handling.mode", "precise");
        p.put("skipped.operations", "none");
        return p;
    }

    /** Runs the engine until it counted {@code expected} records of the table, and returns records per second from its start. */
    static double count(Properties settings, String table, long expected) throws Exception {
        AtomicLong count = new AtomicLong();
        String suffix = "." + table;
        try (DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine = DebeziumEngine.create(Connect.class)
                .using(settings)
                .notifying((records, committer) -> {
                    for (var r : records) {
                        if (r.value() != null && r.value().topic().endsWith(suffix)) {
                            count.incrementAndGet();
                        }
                        committer.markProcessed(r);
                    }
                    committer.markBatchFinished();
                })
                .build()) {
            ExecutorService runner = Executors.newSingleThreadExecutor();
            long start = System.nanoTime();
            try {
                runner.execute(engine);
                long deadline = start + TimeUnit.MINUTES.toNanos(20);
                while (count.get() < expected) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + count.get() + " of " + expected + " records after 20 minutes");
                    }
                    Thread.sleep(5);
                }
                return expected / ((System.nanoTime() - start) / 1e9);
            } finally {
                runner.shutdown();
            }
        }
    }
}
