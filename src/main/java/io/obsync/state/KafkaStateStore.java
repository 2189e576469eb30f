package io.obsync.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.debezium.document.DocumentReader;
import io.debezium.embedded.KafkaConnectUtil;
import io.debezium.storage.kafka.history.KafkaSchemaHistory;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.KafkaOffsetBackingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's state in two Kafka topics named after it, so that an instance on any machine that reaches
 * the brokers resumes where another stopped: the saved position in a compacted topic
 * ({@code obsync-<task>-offsets}, Kafka Connect's offsets format, written and read by Connect's
 * {@link KafkaOffsetBackingStore}) and the schema history in a one-partition topic kept for ever
 * ({@code obsync-<task>-schema-history}, Debezium's {@link KafkaSchemaHistory}, every record
 * acknowledged by all in-sync replicas before the change it describes is sent).
 *
 * <p>Both topics are created at the first start with those settings, and checked at every start: a
 * history topic that could lose records (retention, compaction) or an offsets topic that is not
 * compacted stops the task with the command that fixes it. Before the source starts the state is read
 * strictly, to the end of every partition: a saved position that is not Connect's JSON, or a history
 * record that is not a history document, stops the task (Connect and Debezium would skip it and start
 * over from "now").
 */
public final class KafkaStateStore implements StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStateStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String task;
    private final String brokers;
    private final short replicationFactor;
    private final Map<String, Object> security;
    private final Path asideFolder;
    private final String brokersOption;
    private final String replicationOption;

    /**
     * @param brokers           bootstrap servers of the cluster that keeps the state
     * @param replicationFactor replicas of each state topic; -1 for the brokers' default.replication.factor
     * @param security          Kafka client security settings (the task's KafkaSecurity)
     * @param asideFolder       where {@link #setAside()} keeps an export of the state before it deletes the topics
     * @param brokersOption     the option that names the brokers, for messages
     * @param replicationOption the option that sets the replication factor, for messages
     */
    KafkaStateStore(String task, String brokers, short replicationFactor, Map<String, Object> security, Path asideFolder,
                    String brokersOption, String replicationOption) {
        this.task = task;
        this.brokers = brokers;
        this.replicationFactor = replicationFactor;
        this.security = Map.copyOf(security);
        this.asideFolder = asideFolder;
        this.brokersOption = brokersOption;
        this.replicationOption = replicationOption;
    }

    /** The compacted topic of a task's saved positions. */
    public static String offsetsTopic(String task) {
        return "obsync-" + task + "-offsets";
    }

    /** The one-partition topic of a task's schema history, kept for ever. */
    public static String historyTopic(String task) {
        return "obsync-" + task + "-schema-history";
    }

    @Override
    public String task() {
        return task;
    }

    @Override
    public String describe() {
        return "the Kafka topics " + offsetsTopic(task) + " and " + historyTopic(task) + " at " + brokers;
    }

    private Map<String, Object> client() {
        Map<String, Object> properties = new HashMap<>(security);
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, brokers);
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, "obsync-" + task + "-state");
        properties.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        properties.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        return properties;
    }

    private StateException unreachable(Throwable e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().split("\\R")[0];
        return new StateException("The task's state store, Kafka at " + brokers + ", could not be used (" + reason + "): check "
                + brokersOption + ", the Kafka security options and that the brokers run; the task does not start without its state.");
    }

    @Override
    public void prepare() {
        topics(true);
    }

    /**
     * Checks the state topics' settings, creating missing ones when asked.
     *
     * @return what was found, in one line
     * @throws IllegalArgumentException a topic's settings could lose state, or the replication factor cannot be met
     */
    public String topics(boolean create) {
        try (Admin admin = Admin.create(client())) {
            int brokerCount = admin.describeCluster().nodes().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).size();
            if (replicationFactor > brokerCount) {
                throw new IllegalArgumentException(replicationOption + " is " + replicationFactor + " but Kafka at " + brokers + " has "
                        + brokerCount + " broker(s): set it to " + brokerCount + " or fewer (-1 uses the brokers' default.replication.factor).");
            }
            Set<String> existing = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            Optional<Short> replicas = replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor);
            if (!existing.contains(offsetsTopic(task))) {
                missing.add(new NewTopic(offsetsTopic(task), Optional.of(1), replicas)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
            }
            if (!existing.contains(historyTopic(task))) {
                missing.add(new NewTopic(historyTopic(task), Optional.of(1), replicas).configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1")));
            }
            if (!missing.isEmpty() && !create) {
                return "the first start creates " + missing.stream().map(NewTopic::name).toList() + " (replication factor "
                        + (replicationFactor < 0 ? "the brokers' default" : replicationFactor) + ")";
            }
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    LOG.info("Created the state topic {} ({})", topic.name(), topic.configs());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    // another instance of the task created it meanwhile: checked below like any existing topic
                }
            }
            verify(admin);
            return "state topics " + offsetsTopic(task) + " (compacted) and " + historyTopic(task) + " (kept for ever) are right";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw unreachable(e);
        }
    }

    private void verify(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        String offsets = offsetsTopic(task);
        String history = historyTopic(task);
        Map<String, TopicDescription> descriptions = admin.describeTopics(List.of(offsets, history)).allTopicNames()
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        ConfigResource offsetsResource = new ConfigResource(ConfigResource.Type.TOPIC, offsets);
        ConfigResource historyResource = new ConfigResource(ConfigResource.Type.TOPIC, history);
        Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(offsetsResource, historyResource)).all()
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        String offsetsPolicy = configs.get(offsetsResource).get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(offsetsPolicy)) {
            throw wrongSetting(offsets, TopicConfig.CLEANUP_POLICY_CONFIG, offsetsPolicy, TopicConfig.CLEANUP_POLICY_COMPACT,
                    "the offsets topic must be compacted only, or old positions are deleted with the latest");
        }
        Config historyConfig = configs.get(historyResource);
        String historyPolicy = historyConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (!TopicConfig.CLEANUP_POLICY_DELETE.equals(historyPolicy)) {
            throw wrongSetting(history, TopicConfig.CLEANUP_POLICY_CONFIG, historyPolicy, TopicConfig.CLEANUP_POLICY_DELETE,
                    "history records have no key, and compaction would remove them");
        }
        for (String key : List.of(TopicConfig.RETENTION_MS_CONFIG, TopicConfig.RETENTION_BYTES_CONFIG)) {
            String value = historyConfig.get(key).value();
            if (!"-1".equals(value)) {
                throw wrongSetting(history, key, value, "-1", "the schema history must be kept for ever");
            }
        }
        int partitions = descriptions.get(history).partitions().size();
        if (partitions != 1) {
            throw new IllegalArgumentException("The state topic " + history + " has " + partitions + " partitions: the schema history "
                    + "needs one, in order; delete the topic and let the task create it (import an export with `obsync state import`).");
        }
    }

    private static IllegalArgumentException wrongSetting(String topic, String key, String value, String needed, String why) {
        return new IllegalArgumentException("The state topic " + topic + " has " + key + "=" + value + ": " + why + "; set it with "
                + "`kafka-configs.sh --alter --entity-type topics --entity-name " + topic + " --add-config " + key + "=" + needed + "`.");
    }

    @Override
    public String inspect() {
        return topics(false);
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public Map<String, Object> check() {
        Map<String, Object> offset = position();
        int records = history().size();
        if (offset != null && records == 0 && !SavedPosition.snapshotInProgress(offset)) {
            throw StateException.damaged("schema history", historyTopic(task) + " at " + brokers, "is empty or missing while a saved "
                    + "position exists in " + offsetsTopic(task));
        }
        return offset;
    }

    private static Converter converter() {
        return KafkaConnectUtil.converterForOffsetStore();
    }

    /** The key of the task's position in the offsets topic: Connect's [engine name, source partition]. */
    private byte[] positionKey() {
        return converter().fromConnectData(task, null, Arrays.asList(task, Map.of("server", task)));
    }

    @Override
    public Map<String, Object> position() {
        JsonNode key = parse(positionKey());
        byte[][] latest = new byte[1][];
        boolean[] found = new boolean[1];
        read(offsetsTopic(task), (record, ignored) -> {
            JsonNode recordKey = record.key() == null ? null : parseOrNull(record.key());
            if (key.equals(recordKey)) {
                latest[0] = record.value();
                found[0] = true;
            }
        });
        if (!found[0] || latest[0] == null) {
            return null;
        }
        try {
            JSON.readTree(latest[0]);
            Object value = converter().toConnectData(task, latest[0]).value();
            if (!(value instanceof Map<?, ?> map)) {
                throw new IOException("not an offset object");
            }
            Map<String, Object> offset = new LinkedHashMap<>();
            map.forEach((k, v) -> offset.put(String.valueOf(k), v));
            return offset;
        } catch (IOException | RuntimeException e) {
            throw StateException.damaged("saved position", offsetsTopic(task) + " at " + brokers, "cannot be read (its latest record "
                    + "is not a position: " + e.getClass().getSimpleName() + ")");
        }
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parseOrNull(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void savePosition(Map<String, ?> offset) {
        prepare();
        byte[] value = converter().fromConnectData(task, null, offset);
        send(List.of(new ProducerRecord<>(offsetsTopic(task), positionKey(), value)));
    }

    /** The record that saves a position in the offsets topic, for a Kafka transaction to carry with the messages it covers. */
    public ProducerRecord<byte[], byte[]> positionRecord(Map<String, ?> offset) {
        return new ProducerRecord<>(offsetsTopic(task), positionKey(), converter().fromConnectData(task, null, offset));
    }

    /** The brokers that keep the state. */
    public String brokers() {
        return brokers;
    }

    @Override
    public List<String> history() {
        List<String> records = new ArrayList<>();
        DocumentReader reader = DocumentReader.defaultReader();
        read(historyTopic(task), (record, partition) -> {
            String text = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
            try {
                if (text == null) {
                    throw new IOException("empty record");
                }
                reader.read(text);
            } catch (IOException | RuntimeException e) {
                throw StateException.damaged("schema history", historyTopic(task) + " at " + brokers, "cannot be read: the record at offset "
                        + record.offset() + " is not a history record");
            }
            records.add(text);
        });
        return records;
    }

    @Override
    public void appendHistory(List<String> records) {
        prepare();
        List<ProducerRecord<byte[], byte[]>> sends = new ArrayList<>();
        for (String record : records) {
            sends.add(new ProducerRecord<>(historyTopic(task), 0, null, record.getBytes(StandardCharsets.UTF_8)));
        }
        send(sends);
    }

    /** Sends records one after the other, each acknowledged by every in-sync replica before the next. */
    private void send(List<ProducerRecord<byte[], byte[]>> records) {
        Map<String, Object> properties = client();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() * 2);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get(TIMEOUT.toSeconds() * 3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw unreachable(e);
        }
    }

    /**
     * Reads every record of a topic, each partition from its start to the end offset it had when the read
     * began; a topic that does not exist has none.
     */
    private void read(String topic, BiConsumer<ConsumerRecord<byte[], byte[]>, TopicPartition> each) {
        Map<String, Object> properties = client();
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // positions written in Kafka transactions count once committed; an aborted one never
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                return;
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos() * 4;
            while (!reachedEnd(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading " + topic + " to its end took longer than " + TIMEOUT.toSeconds() * 4 + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < ends.get(partition)) {
                        each.accept(record, partition);
                    }
                }
            }
        } catch (UnknownTopicOrPartitionException e) {
            // deleted while being read: no state in it
        } catch (TimeoutException | KafkaException e) {
            throw unreachable(e);
        }
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), TIMEOUT) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String setAside() {
        // every record of both topics as stored, readable or not: damaged state is kept for inspection as well
        StringBuilder dump = new StringBuilder();
        Base64.Encoder base64 = Base64.getEncoder();
        for (String topic : List.of(offsetsTopic(task), historyTopic(task))) {
            read(topic, (record, partition) -> {
                ObjectNode line = JSON.createObjectNode();
                line.put("topic", record.topic()).put("partition", record.partition()).put("offset", record.offset())
                        .put("key", record.key() == null ? null : base64.encodeToString(record.key()))
                        .put("value", record.value() == null ? null : base64.encodeToString(record.value()));
                dump.append(line).append('\n');
            });
        }
        if (dump.isEmpty()) {
            deleteTopics(List.of(offsetsTopic(task), historyTopic(task)));
            return null;
        }
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path file = asideFolder.resolve("set-aside-" + stamp + ".jsonl");
        try {
            Files.createDirectories(asideFolder);
            StateFile.write(file, dump.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("The task's state could not be copied to " + file + " before setting it aside: " + e.getMessage(), e);
        }
        deleteTopics(List.of(offsetsTopic(task), historyTopic(task)));
        return file + " (every record of the topics " + offsetsTopic(task) + " and " + historyTopic(task) + ", which were deleted)";
    }

    private void deleteTopics(Collection<String> topics) {
        try (Admin admin = Admin.create(client())) {
            try {
                admin.deleteTopics(topics).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).stream().anyMatch(topics::contains)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the deleted topics " + topics + " are still listed");
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw unreachable(e);
        }
    }

    @Override
    public void configure(Properties debezium) {
        debezium.remove("offset.storage.file.filename");
        debezium.remove("schema.history.internal.file.filename");
        debezium.setProperty("offset.storage", KafkaOffsetBackingStore.class.getName());
        debezium.setProperty("offset.storage.topic", offsetsTopic(task));
        debezium.setProperty("offset.storage.partitions", "1");
        debezium.setProperty("offset.storage.replication.factor", Short.toString(replicationFactor));
        debezium.setProperty("bootstrap.servers", brokers);
        // positions written in Kafka transactions (exactly-once delivery) count once committed
        debezium.setProperty("isolation.level", "read_committed");
        debezium.setProperty("schema.history.internal", KafkaSchemaHistory.class.getName());
        debezium.setProperty("schema.history.internal.kafka.topic", historyTopic(task));
        debezium.setProperty("schema.history.internal.kafka.bootstrap.servers", brokers);
        // each record acknowledged by every in-sync replica before the change it describes is sent
        debezium.setProperty("schema.history.internal.producer.acks", "all");
        security.forEach((key, value) -> {
            String text = String.valueOf(value);
            // Connect's offset store takes the worker's (top-level) client settings; the history its own
            debezium.setProperty(key, text);
            debezium.setProperty("schema.history.internal.producer." + key, text);
            debezium.setProperty("schema.history.internal.consumer." + key, text);
        });
    }
}
