package io.obsync.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * Apache Kafka's own broker ({@code kafka.Kafka}, one combined KRaft node) as a separate process on
 * 127.0.0.1, so that it can be stopped and started again on the same port and log directory, and
 * so that its CPU and heap are not counted as the task's.
 */
public final class KafkaProcess implements KafkaBroker {

    private final Path config;
    private final Path log;
    private final int port;
    private Process process;

    private KafkaProcess(Path config, Path log, int port) {
        this.config = config;
        this.log = log;
        this.port = port;
    }

    /** Formats a new log directory under dir and starts the broker. */
    public static KafkaProcess start(Path dir) throws Exception {
        int port = FreePorts.next();
        int controllerPort = FreePorts.next();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", Files.createDirectories(dir.resolve("kafka-logs")).toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        Path config = JavaProcess.write(dir.resolve("kafka-server.properties"), p);
        KafkaProcess kafka = new KafkaProcess(config, dir.resolve("kafka.log"), port);
        kafka.run("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString())
                .waitFor(60, TimeUnit.SECONDS);
        kafka.start();
        return kafka;
    }

    /** Starts the broker (again) and waits until it answers. */
    public synchronized void start() throws Exception {
        if (process != null && process.isAlive()) {
            return;
        }
        process = run("kafka.Kafka", config.toString());
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("Kafka broker did not start; see " + log, notYet);
                }
                Thread.sleep(250);
            }
        }
    }

    /** Stops the broker the way an operator would (SIGTERM) and waits for it to exit. */
    public synchronized void stop() throws InterruptedException {
        JavaProcess.stop(process);
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private Process run(String mainClass, String... args) throws IOException {
        return JavaProcess.start(log, List.of("-Xmx512m", "-XX:+UseG1GC"), mainClass, args);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
