package io.obsync.it;

import java.nio.file.Files;
import java.nio.file.Path;

import io.obsync.sandbox.EmbeddedKafka;
import io.obsync.sandbox.EmbeddedMariaDb;

/** One real MariaDB (binlog on) and one real Kafka broker for a test class; both stop when it closes. */
final class Servers implements AutoCloseable {

    final Path work;
    final EmbeddedMariaDb db;
    final EmbeddedKafka kafka;

    private Servers(Path work, EmbeddedMariaDb db, EmbeddedKafka kafka) {
        this.work = work;
        this.db = db;
        this.kafka = kafka;
    }

    static Servers start(String name) throws Exception {
        Path work = Files.createTempDirectory("obsync-it-" + name);
        EmbeddedMariaDb db = EmbeddedMariaDb.start(work);
        try {
            return new Servers(work, db, EmbeddedKafka.start());
        } catch (Exception e) {
            db.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            kafka.close();
        } finally {
            db.close();
        }
    }
}
