package io.obsync.sandbox;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.obsync.TaskLauncher;
import io.obsync.cli.ToolCommand;
import io.obsync.config.Options;
import io.obsync.event.Headers;
import io.obsync.manage.TaskStatus;
import io.obsync.verify.Delivered;
import io.obsync.verify.KafkaReader;
import io.obsync.verify.MessageReader;
import io.obsync.verify.RocketMqReader;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code obsync demo}: a real MariaDB with the binary log and a real Kafka broker, both embedded,
 * the shipped routes between them, a scripted mix of changes, and every message printed as it
 * arrives in Kafka.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded MariaDB (binlog on) and Kafka broker, run the shipped routes against them, "
                + "apply sample changes, print every message that arrives in Kafka, then exit.")
public class DemoCommand implements ToolCommand {

    /** Where the demo sends messages. */
    public enum Target { kafka, rocketmq }

    /** How messages are printed. */
    public enum Output { text, jsonl }

    @Option(names = "--format", paramLabel = "NAME", defaultValue = "Default", description = "Serialization method (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--target", defaultValue = "kafka", description = "Message queue to send to: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Target target;

    @Option(names = "--output", defaultValue = "text", description = "text for people, jsonl for one JSON object per message on stdout: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Output output;

    @Option(names = "--partitioning", defaultValue = "hash", description = "Kafka partitioning rule: hash, table or one (default: ${DEFAULT-VALUE}).")
    String partitioning;

    @Option(names = "--keep-running", description = "After the script, keep the task running and write one order a second until Ctrl-C, "
            + "to watch it in the task console.")
    boolean keepRunning;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for the last change to arrive (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    private static final long QUIET_MS = 3000;

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        PrintStream info = output == Output.jsonl ? System.err : System.out;
        Path work = Files.createTempDirectory("obsync-demo");
        info.println("obsync demo: starting MariaDB (binlog on) and " + (target == Target.kafka ? "Kafka" : "RocketMQ") + " in " + work);
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(work); DemoTarget broker = DemoTarget.start(target, work)) {
            TaskStatus status = new TaskStatus();
            Map<String, String> properties = overrides(db, work);
            properties.putAll(broker.properties());
            int consolePort = FreePorts.next();
            properties.put("camel.management.port", Integer.toString(consolePort));
            Main main = TaskLauncher.create(null, null, properties, status);
            main.start();
            try {
                info.println("obsync demo: MariaDB on 127.0.0.1:" + db.port() + ", " + broker.describe() + ", format " + format
                        + (target == Target.kafka ? ", partitioning " + partitioning : ", hash of key onto queues"));
                info.println("obsync demo: task console at http://127.0.0.1:" + consolePort + "/obsync/ (JSON at /obsync/status)");
                DemoScript.createSchema(db);
                DemoScript.applyChanges(db);
                List<Delivered> delivered = consumeUntilLast(broker, status, out);
                summary(delivered, info);
                if (keepRunning) {
                    info.println("obsync demo: writing one order a second; the console shows it live. Ctrl-C ends the demo.");
                    for (long id = 1000; !status.isFailed(); id++) {
                        DemoScript.applyOrder(db, id);
                        Thread.sleep(1000);
                    }
                }
            } finally {
                main.stop();
            }
            if (status.isFailed()) {
                System.err.println("obsync demo: the task stopped: " + status.getLastError());
                return 1;
            }
        }
        return 0;
    }

    private Map<String, String> overrides(EmbeddedMariaDb db, Path work) {
        Map<String, String> p = SandboxTask.properties("obsync-demo", db, work.resolve("obsync-data"));
        p.put(Options.SOURCE_TENANT.key(), "demo_tenant");
        p.put(Options.SOURCE_CLUSTER.key(), "demo_cluster");
        p.put(Options.SOURCE_DATABASES.key(), "shop");
        p.put(Options.KAFKA_PARTITIONING.key(), partitioning);
        p.put(Options.TARGET.key(), target.name());
        p.put(Options.FORMAT.key(), format);
        // the demo shows a schema change too
        p.put(Options.DDL_ENABLED.key(), "true");
        return p;
    }

    private List<Delivered> consumeUntilLast(DemoTarget broker, TaskStatus status, PrintStream out) throws Exception {
        List<Delivered> seen = new ArrayList<>();
        try (MessageReader reader = broker.reader(DemoScript.TOPICS)) {
            long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
            boolean lastSeen = false;
            long quietSince = System.currentTimeMillis();
            // the key is the id itself, or a JSON key holding it (Debezium, Maxwell)
            Pattern last = Pattern.compile("(^|\\D)" + DemoScript.LAST_ORDER_ID + "(\\D|$)");
            // after the script's last change shows up, other partitions or queues may still be on their way:
            // read on until nothing new has come for a while
            while (System.currentTimeMillis() < deadline && !status.isFailed()
                    && !(lastSeen && System.currentTimeMillis() - quietSince > QUIET_MS)) {
                for (Delivered message : reader.poll(Duration.ofMillis(200))) {
                    seen.add(message);
                    print(message, out);
                    quietSince = System.currentTimeMillis();
                    if (message.key() != null && last.matcher(message.key()).find()
                            && "INSERT".equals(message.header(Headers.OPERATION))) {
                        lastSeen = true;
                    }
                }
            }
            if (!lastSeen) {
                throw new IllegalStateException("the demo's last change did not reach " + target + " within " + timeoutSeconds
                        + " s" + (status.getLastError() == null ? "" : " (last error: " + status.getLastError() + ")"));
            }
        }
        return seen;
    }

    private void print(Delivered message, PrintStream out) throws Exception {
        if (output == Output.jsonl) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("topic", message.topic());
            line.put("partition", message.partition());
            line.put("key", message.key());
            line.put("headers", message.headers());
            line.put("value", message.value());
            out.println(json.writeValueAsString(line));
        } else {
            out.printf("%s[%d] key=%s %s%n  %s%n", message.topic(), message.partition(),
                    message.key() == null ? "null" : message.key().replace("\u0001", "\\u0001"),
                    message.header(Headers.OPERATION), message.value());
        }
        out.flush();
    }

    private static void summary(List<Delivered> delivered, PrintStream info) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Delivered message : delivered) {
            counts.merge(message.topic() + " " + message.header(Headers.OPERATION), 1, Integer::sum);
        }
        info.println("obsync demo: " + delivered.size() + " messages arrived");
        counts.forEach((k, v) -> info.printf("  %-40s %d%n", k, v));
    }

    /** The demo's message queue: an embedded Kafka broker, or a RocketMQ name server and broker. */
    private interface DemoTarget extends AutoCloseable {
        Map<String, String> properties();

        String describe();

        MessageReader reader(List<String> topics) throws Exception;

        static DemoTarget start(Target target, Path work) throws Exception {
            if (target == Target.kafka) {
                EmbeddedKafka kafka = EmbeddedKafka.start();
                kafka.createTopics(3, DemoScript.TOPICS.toArray(String[]::new));
                return new DemoTarget() {
                    public Map<String, String> properties() {
                        // the demo's own broker has no login nor TLS, whatever the task's configuration says
                        return Map.of(Options.KAFKA_BROKERS.key(), kafka.bootstrapServers(),
                                Options.KAFKA_SECURITY_PROTOCOL.key(), Options.KAFKA_SECURITY_PROTOCOL.defaultValue(),
                                Options.KAFKA_SASL_USERNAME.key(), "", Options.KAFKA_SASL_PASSWORD.key(), "",
                                Options.KAFKA_SSL_TRUSTSTORE_LOCATION.key(), "", Options.KAFKA_SSL_KEYSTORE_LOCATION.key(), "");
                    }

                    public String describe() {
                        return "Kafka on " + kafka.bootstrapServers();
                    }

                    public MessageReader reader(List<String> topics) {
                        return new KafkaReader(kafka.bootstrapServers(), topics);
                    }

                    public void close() throws Exception {
                        kafka.close();
                    }
                };
            }
            RocketMqProcess rocketmq = RocketMqProcess.start(work);
            rocketmq.createTopics(4, DemoScript.TOPICS.toArray(String[]::new));
            return new DemoTarget() {
                public Map<String, String> properties() {
                    return Map.of(Options.ROCKETMQ_NAMESRV.key(), rocketmq.namesrvAddress());
                }

                public String describe() {
                    return "RocketMQ name server on " + rocketmq.namesrvAddress();
                }

                public MessageReader reader(List<String> topics) throws Exception {
                    return new RocketMqReader(rocketmq.namesrvAddress(), topics);
                }

                public void close() throws Exception {
                    rocketmq.close();
                }
            };
        }
    }
}
