package io.obsync.sink.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import org.apache.camel.component.kafka.KafkaClientFactory;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once delivery into Kafka ({@code obsync.delivery=exactly-once}): every message of a batch and
 * the task's position go to the brokers in one Kafka transaction, so a {@code read_committed} consumer
 * sees the batch's changes and the position that covers them together or not at all.
 *
 * <p>One transactional producer per task, with the transactional id {@code obsync-<task>}: opening it
 * (each time the task's source starts) fences every older producer with that id at the brokers, so
 * an instance that lost its role can neither commit a message nor a position after the instance that
 * replaced it started. Camel's Kafka step sends through it ({@link #getProducer}: the route's kafka step keeps
 * its settings, this class only adds the transaction); the source begins and commits.
 */
public final class KafkaTransactions extends ServiceSupport implements KafkaClientFactory {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTransactions.class);

    private final String transactionalId;
    private final Map<String, Object> config;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private volatile boolean inTransaction;

    /**
     * @param transactionalId the task's transactional id
     * @param config          producer settings (brokers, security, batching); the transaction's own are added
     */
    public KafkaTransactions(String transactionalId, Map<String, Object> config) {
        this.transactionalId = transactionalId;
        Map<String, Object> settings = new HashMap<>(config);
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId + "-producer");
        this.config = Map.copyOf(settings);
    }

    /** Why a task that delivers exactly once sends nothing to RocketMQ. */
    public static final String NO_ROCKETMQ = Options.DELIVERY.key() + " is exactly-once but some topics go to RocketMQ: RocketMQ's "
            + "transactional messages commit one message, not a batch with the task's position; send those topics to Kafka, or use at-least-once.";

    /**
     * Whether the task delivers exactly once ({@code obsync.delivery=exactly-once}).
     *
     * @throws IllegalArgumentException one line when the state cannot join the Kafka transactions
     */
    public static boolean enabled(TaskConfig config) {
        if (!config.text(Options.DELIVERY).equals("exactly-once")) {
            return false;
        }
        if (!config.text(Options.STATE_STORE).equals("kafka")) {
            throw new IllegalArgumentException(Options.DELIVERY.key() + " is exactly-once but " + Options.STATE_STORE.key() + " is "
                    + config.text(Options.STATE_STORE) + ": the position is written in the same Kafka transaction as the messages; set "
                    + Options.STATE_STORE.key() + "=kafka.");
        }
        String stateBrokers = config.text(Options.STATE_KAFKA_BROKERS);
        if (!stateBrokers.isEmpty() && !stateBrokers.equals(config.text(Options.KAFKA_BROKERS))) {
            throw new IllegalArgumentException(Options.DELIVERY.key() + " is exactly-once but " + Options.STATE_KAFKA_BROKERS.key() + " ("
                    + stateBrokers + ") names another cluster than " + Options.KAFKA_BROKERS.key() + ": a Kafka transaction spans one cluster; "
                    + "leave " + Options.STATE_KAFKA_BROKERS.key() + " empty.");
        }
        return true;
    }

    /** The producer settings of a task's Kafka sink, as the shipped route's kafka step sets them, plus its security. */
    public static KafkaTransactions of(TaskConfig task) {
        Map<String, Object> config = new HashMap<>(KafkaSecurity.of(task).clientProperties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, task.text(Options.KAFKA_BROKERS));
        config.put(ProducerConfig.LINGER_MS_CONFIG, task.text(Options.KAFKA_LINGER_MS));
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, task.text(Options.KAFKA_BATCH_SIZE));
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, task.text(Options.KAFKA_COMPRESSION));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, task.text(Options.KAFKA_REQUEST_TIMEOUT_MS));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, task.text(Options.KAFKA_DELIVERY_TIMEOUT_MS));
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, task.text(Options.KAFKA_MAX_REQUEST_SIZE));
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        return new KafkaTransactions("obsync-" + task.text(Options.TASK_NAME), config);
    }

    /** The transactional id that fences older instances of the task. */
    public String transactionalId() {
        return transactionalId;
    }

    /**
     * Opens a new producer for the task and registers its transactional id with the brokers: every older
     * producer with the id, in this process or another instance, is fenced, and its open transaction
     * aborted. Called before the source reads the task's position.
     */
    public synchronized void open() {
        KafkaProducer<byte[], byte[]> old = producer;
        producer = null;
        inTransaction = false;
        if (old != null) {
            old.close(Duration.ofSeconds(5));
        }
        KafkaProducer<byte[], byte[]> fresh = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            fresh.initTransactions();
        } catch (RuntimeException e) {
            fresh.close(Duration.ZERO);
            throw e;
        }
        producer = fresh;
        LOG.info("Kafka transactions of {} opened: older instances of the task are fenced", transactionalId);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        KafkaProducer<byte[], byte[]> current = producer;
        if (current == null) {
            throw new IllegalStateException("the Kafka transactions of " + transactionalId + " are not open (the source is not running)");
        }
        return current;
    }

    /** Begins the transaction that the next messages and the position join. */
    public void begin() {
        if (!inTransaction) {
            producer().beginTransaction();
            inTransaction = true;
        }
    }

    /**
     * Adds the position record (when there is one) to the open transaction and commits it: its messages
     * and the position become visible together.
     */
    public void commit(ProducerRecord<byte[], byte[]> position) throws Exception {
        KafkaProducer<byte[], byte[]> current = producer();
        if (position != null) {
            Future<RecordMetadata> sent = current.send(position);
            current.flush();
            sent.get();
        }
        current.commitTransaction();
        inTransaction = false;
    }

    /** Aborts the open transaction: none of its messages is ever read by a read_committed consumer. */
    public void abort() {
        KafkaProducer<byte[], byte[]> current = producer;
        if (current == null || !inTransaction) {
            return;
        }
        try {
            current.abortTransaction();
        } catch (ProducerFencedException e) {
            // fenced: the brokers aborted it already
        } finally {
            inTransaction = false;
        }
    }

    @Override
    protected void doStop() {
        KafkaProducer<byte[], byte[]> old = producer;
        producer = null;
        if (old != null) {
            old.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public Producer getProducer(Properties camelSettings) {
        return new Sender(this, serializer(camelSettings, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, true),
                serializer(camelSettings, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, false));
    }

    @SuppressWarnings("unchecked")
    private static Serializer<Object> serializer(Properties settings, String key, boolean isKey) {
        Object configured = settings.get(key);
        String name = configured instanceof Class<?> type ? type.getName() : configured == null ? ByteArraySerializer.class.getName() : configured.toString();
        try {
            Serializer<Object> serializer = Utils.newInstance(name, Serializer.class);
            serializer.configure(new HashMap<>(), isKey);
            return serializer;
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("the Kafka step's " + key + " " + name + " cannot be loaded", e);
        }
    }

    @Override
    public Consumer getConsumer(Properties settings) {
        return new KafkaConsumer<>(settings);
    }

    @Override
    public String getBrokers(KafkaConfiguration configuration) {
        return configuration.getBrokers();
    }

    /**
     * What Camel's Kafka step sends through: the task's current transactional producer, with the
     * step's serializers applied first. Closing it leaves the producer to the transactions.
     */
    private static final class Sender implements Producer<Object, Object> {
        private final KafkaTransactions transactions;
        private final Serializer<Object> keys;
        private final Serializer<Object> values;

        Sender(KafkaTransactions transactions, Serializer<Object> keys, Serializer<Object> values) {
            this.transactions = transactions;
            this.keys = keys;
            this.values = values;
        }

        private ProducerRecord<byte[], byte[]> serialized(ProducerRecord<Object, Object> record) {
            return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(),
                    keys.serialize(record.topic(), record.headers(), record.key()), values.serialize(record.topic(), record.headers(), record.value()),
                    record.headers());
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<Object, Object> record) {
            return transactions.producer().send(serialized(record));
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<Object, Object> record, Callback callback) {
            return transactions.producer().send(serialized(record), callback);
        }

        @Override
        public void flush() {
            transactions.producer().flush();
        }

        @Override
        public List<PartitionInfo> partitionsFor(String topic) {
            return transactions.producer().partitionsFor(topic);
        }

        @Override
        public Map<MetricName, ? extends Metric> metrics() {
            KafkaProducer<byte[], byte[]> current = transactions.producer;
            return current == null ? Map.of() : current.metrics();
        }

        @Override
        public Uuid clientInstanceId(Duration timeout) {
            return transactions.producer().clientInstanceId(timeout);
        }

        @Override
        public void close() {
            // the transactions own the producer
        }

        @Override
        public void close(Duration timeout) {
            // the transactions own the producer
        }

        // the source begins and ends transactions, never the Kafka step
        @Override
        public void initTransactions() {
            throw new UnsupportedOperationException("the task's source manages its Kafka transactions");
        }

        @Override
        public void beginTransaction() {
            throw new UnsupportedOperationException("the task's source manages its Kafka transactions");
        }

        @Override
        @Deprecated
        public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, String groupId) {
            throw new UnsupportedOperationException("the task's source manages its Kafka transactions");
        }

        @Override
        public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
            throw new UnsupportedOperationException("the task's source manages its Kafka transactions");
        }

        @Override
        public void commitTransaction() {
            throw new UnsupportedOperationException("the task's source manages its Kafka transactions");
        }

        @Override
        public void abortTransaction() {
            throw new UnsupportedOperationException("the task's source manages its Kafka transactions");
        }
    }
}
