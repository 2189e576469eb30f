package io.obsync.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private final int securePort;
    private Process process;

    private KafkaProcess(Path config, Path log, int port, int securePort) {
        this.config = config;
        this.log = log;
        this.port = port;
        this.securePort = securePort;
    }

    /** Formats a new log directory under dir and starts the broker. */
    public static KafkaProcess start(Path dir) throws Exception {
        return start(dir, null);
    }

    /**
     * A broker that also has a SASL_SSL listener, as production brokers do: TLS with the certificate
     * of a key store, logins by PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 for the given users. Its plain
     * listener ({@link #bootstrapServers()}) stays for the harness; {@link #secureBootstrapServers()}
     * is the one under test.
     *
     * @param keystore         a PKCS12 key store with the broker's key and certificate
     * @param keystorePassword its password (also the key's)
     * @param users            user name to password, for every mechanism
     */
    public static KafkaProcess startSecure(Path dir, Path keystore, String keystorePassword, Map<String, String> users) throws Exception {
        return start(dir, new SecureListener(keystore, keystorePassword, users));
    }

    private record SecureListener(Path keystore, String keystorePassword, Map<String, String> users) {
    }

    private static KafkaProcess start(Path dir, SecureListener secure) throws Exception {
        int port = FreePorts.next();
        int controllerPort = FreePorts.next();
        int securePort = secure == null ? -1 : FreePorts.next();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String sasl = secure == null ? "" : ",SASL_SSL://127.0.0.1:" + securePort;
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + sasl + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + sasl);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" + (secure == null ? "" : ",SASL_SSL:SASL_SSL"));
        List<String> scram = new ArrayList<>();
        if (secure != null) {
            p.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
            StringBuilder plainUsers = new StringBuilder();
            secure.users().forEach((user, password) -> {
                plainUsers.append(" user_").append(user).append("=\"").append(password).append('"');
                for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
                    scram.add("--add-scram");
                    scram.add(mechanism + "=[name=" + user + ",password=" + password + "]");
                }
            });
            p.put("listener.name.sasl_ssl.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required" + plainUsers + ";");
            p.put("listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            p.put("ssl.keystore.type", "PKCS12");
            p.put("ssl.keystore.location", secure.keystore().toString());
            p.put("ssl.keystore.password", secure.keystorePassword());
            p.put("ssl.key.password", secure.keystorePassword());
        }
        p.put("log.dirs", Files.createDirectories(dir.resolve("kafka-logs")).toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        Path config = JavaProcess.write(dir.resolve("kafka-server.properties"), p);
        KafkaProcess kafka = new KafkaProcess(config, dir.resolve("kafka.log"), port, securePort);
        List<String> format = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()));
        format.addAll(scram);
        kafka.run("kafka.tools.StorageTool", format.toArray(String[]::new)).waitFor(60, TimeUnit.SECONDS);
        try {
            kafka.start();
        } catch (Exception | Error e) {
            // a broker that did not answer in time: stop its process, which would otherwise outlive this JVM
            kafka.close();
            throw e;
        }
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

    /** The SASL_SSL listener of a broker started with {@link #startSecure}. */
    public String secureBootstrapServers() {
        if (securePort < 0) {
            throw new IllegalStateException("this broker has no SASL_SSL listener");
        }
        return "127.0.0.1:" + securePort;
    }

    /** CPU time the broker process used so far, in nanoseconds (benchmarks weigh the broker's work per message with it). */
    public long cpuNanos() {
        return JavaProcess.cpuNanos(process);
    }

    private Process run(String mainClass, String... args) throws IOException {
        return JavaProcess.start(log, List.of("-Xmx512m", "-XX:+UseG1GC"), mainClass, args);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
