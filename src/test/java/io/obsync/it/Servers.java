package io.obsync.it;

import java.nio.file.Files;
import java.nio.file.Path;

import io.obsync.sandbox.EmbeddedKafka;
import io.obsync.sandbox.EmbeddedMariaDb;
import io.obsync.sandbox.KafkaBroker;
import io.obsync.sandbox.KafkaProcess;
import io.obsync.sandbox.RocketMqProcess;

/** One real MariaDB (binlog on) and one real Kafka broker for a test class; both stop when it closes. */
final class Servers implements AutoCloseable {

    final Path work;
    final EmbeddedMariaDb db;
    final KafkaBroker kafka;
    /** RocketMQ name server and broker, or null when the test class does not need them. */
    final RocketMqProcess rocketmq;

    private Servers(Path work, EmbeddedMariaDb db, KafkaBroker kafka, RocketMqProcess rocketmq) {
        this.work = work;
        this.db = db;
        this.kafka = kafka;
        this.rocketmq = rocketmq;
    }

    /** MariaDB and a Kafka broker inside the test JVM. */
    static Servers start(String name) throws Exception {
        return start(name, false);
    }

    /** MariaDB and a Kafka broker in a process of its own, which a test can stop and start again. */
    static Servers startWithKafkaProcess(String name) throws Exception {
        return start(name, true);
    }

    /** MariaDB, a Kafka broker inside the test JVM, and a RocketMQ name server and broker as processes. */
    static Servers startWithRocketMq(String name) throws Exception {
        Path work = Files.createTempDirectory("obsync-it-" + name);
        EmbeddedMariaDb db = EmbeddedMariaDb.start(work);
        KafkaBroker kafka = null;
        try {
            kafka = EmbeddedKafka.start();
            return new Servers(work, db, kafka, RocketMqProcess.start(work));
        } catch (Exception e) {
            if (kafka != null) {
                kafka.close();
            }
            db.close();
            throw e;
        }
    }

    /** MariaDB and a Kafka broker process that also has a SASL_SSL listener ({@link KafkaProcess#startSecure}). */
    static Servers startWithSecureKafka(String name, Path keystore, String keystorePassword, java.util.Map<String, String> users)
            throws Exception {
        Path work = Files.createTempDirectory("obsync-it-" + name);
        EmbeddedMariaDb db = EmbeddedMariaDb.start(work);
        try {
            return new Servers(work, db, KafkaProcess.startSecure(work, keystore, keystorePassword, users), null);
        } catch (Exception e) {
            db.close();
            throw e;
        }
    }

    /** MariaDB, a Kafka broker inside the test JVM, and RocketMQ with ACL 2.0 on, whose first (super) user has the keys. */
    static Servers startWithRocketMqAcl(String name, String accessKey, String secretKey) throws Exception {
        Path work = Files.createTempDirectory("obsync-it-" + name);
        EmbeddedMariaDb db = EmbeddedMariaDb.start(work);
        KafkaBroker kafka = null;
        try {
            kafka = EmbeddedKafka.start();
            return new Servers(work, db, kafka, RocketMqProcess.startWithAcl(work, accessKey, secretKey));
        } catch (Exception e) {
            if (kafka != null) {
                kafka.close();
            }
            db.close();
            throw e;
        }
    }

    private static Servers start(String name, boolean kafkaProcess) throws Exception {
        Path work = Files.createTempDirectory("obsync-it-" + name);
        EmbeddedMariaDb db = EmbeddedMariaDb.start(work);
        try {
            return new Servers(work, db, kafkaProcess ? KafkaProcess.start(work) : EmbeddedKafka.start(), null);
        } catch (Exception e) {
            db.close();
            throw e;
        }
    }

    /** Runs a statement with one parameter for ids first..last, each its own transaction (a stream of changes). */
    void forIds(int first, int last, String sql) {
        try (java.sql.Connection c = db.connect(); java.sql.PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = first; i <= last; i++) {
                statement.setInt(1, i);
                statement.executeUpdate();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("writing failed: " + sql, e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (rocketmq != null) {
                rocketmq.close();
            }
        } finally {
            try {
                kafka.close();
            } finally {
                db.close();
            }
        }
    }
}
