package io.obsync.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.obsync.manage.TaskStatus;
import io.obsync.sandbox.DemoScript;
import io.obsync.sandbox.EmbeddedKafka;
import io.obsync.sandbox.EmbeddedMariaDb;
import io.obsync.sandbox.SandboxTask;
import io.obsync.source.BinlogConsumer;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
public class DemoCommand implements Callable<Integer> {

    /** Where the demo sends messages. */
    public enum Target { kafka }

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

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for the last change to arrive (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        PrintStream info = output == Output.jsonl ? System.err : System.out;
        Path work = Files.createTempDirectory("obsync-demo");
        info.println("obsync demo: starting MariaDB (binlog on) and Kafka in " + work);
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(work); EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(3, DemoScript.TOPICS.toArray(String[]::new));
            TaskStatus status = new TaskStatus();
            Main main = TaskLauncher.create(null, null, overrides(db, kafka, work), status);
            main.start();
            try {
                info.println("obsync demo: MariaDB on 127.0.0.1:" + db.port() + ", Kafka on " + kafka.bootstrapServers()
                        + ", format " + format + ", partitioning " + partitioning);
                DemoScript.createSchema(db);
                DemoScript.applyChanges(db);
                List<ConsumerRecord<String, byte[]>> records = consumeUntilLast(kafka, status, out);
                summary(records, info);
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

    private Map<String, String> overrides(EmbeddedMariaDb db, EmbeddedKafka kafka, Path work) {
        Map<String, String> p = SandboxTask.properties("obsync-demo", db, kafka, work.resolve("obsync-data"));
        p.put("obsync.source.tenant", "demo_tenant");
        p.put("obsync.source.cluster", "demo_cluster");
        p.put("obsync.source.databases", "shop");
        p.put("obsync.kafka.partitioning", partitioning);
        p.put("obsync.format", format);
        return p;
    }

    private List<ConsumerRecord<String, byte[]>> consumeUntilLast(EmbeddedKafka kafka, TaskStatus status, PrintStream out) throws Exception {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : DemoScript.TOPICS) {
                for (PartitionInfo p : consumer.partitionsFor(topic)) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.currentTimeMillis() + timeoutSeconds * 1000L;
            long drainUntil = Long.MAX_VALUE;
            String last = Long.toString(DemoScript.LAST_ORDER_ID);
            while (System.currentTimeMillis() < Math.min(deadline, drainUntil) && !status.isFailed()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record);
                    print(record, out);
                    if (last.equals(record.key()) && "INSERT".equals(header(record, BinlogConsumer.HEADER_OPERATION))) {
                        // the script's last change is in; give other partitions a moment to show theirs
                        drainUntil = System.currentTimeMillis() + 1500;
                    }
                }
            }
            if (drainUntil == Long.MAX_VALUE) {
                throw new IllegalStateException("the demo's last change did not reach Kafka within " + timeoutSeconds
                        + " s" + (status.getLastError() == null ? "" : " (last error: " + status.getLastError() + ")"));
            }
        }
        return seen;
    }

    private void print(ConsumerRecord<String, byte[]> record, PrintStream out) throws Exception {
        String value = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
        if (output == Output.jsonl) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("topic", record.topic());
            line.put("partition", record.partition());
            line.put("key", record.key());
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header h : record.headers()) {
                headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
            line.put("headers", headers);
            line.put("value", value);
            out.println(json.writeValueAsString(line));
        } else {
            out.printf("%s[%d] key=%s %s%n  %s%n", record.topic(), record.partition(),
                    record.key() == null ? "null" : record.key().replace("\u0001", "\\u0001"),
                    header(record, BinlogConsumer.HEADER_OPERATION), value);
        }
        out.flush();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void summary(List<ConsumerRecord<String, byte[]>> records, PrintStream info) {
        Map<String, Integer> counts = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            counts.merge(record.topic() + " " + header(record, BinlogConsumer.HEADER_OPERATION), 1, Integer::sum);
        }
        info.println("obsync demo: " + records.size() + " messages arrived in Kafka");
        counts.forEach((k, v) -> info.printf("  %-40s %d%n", k, v));
    }
}
