package io.obsync.sink.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.obsync.config.Options;
import io.obsync.config.TopicMethod;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Partition counts of target topics, looked up with Kafka's admin client and kept for a while. */
public class KafkaTopicMetadata extends ServiceSupport {

    // created with one partition when schema sync creates it; null for none
    private volatile String singlePartitionTopic;
    private static final long REFRESH_MS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopicMetadata.class);

    private final String brokers;
    private final Map<String, Object> clientProperties;
    private final Map<String, Entry> partitions = new ConcurrentHashMap<>();
    private boolean createMissing;
    private int newPartitions = 3;
    private short replicationFactor = 1;
    private volatile Admin admin;
    private Map<String, TopicMethod> methods = Map.of();

    private record Entry(int count, long expiresAt) {
    }

    public KafkaTopicMetadata(String brokers) {
        this(brokers, Map.of());
    }

    /** @param clientProperties security settings (KafkaSecurity) for the admin client */
    public KafkaTopicMetadata(String brokers, Map<String, Object> clientProperties) {
        this.brokers = brokers;
        this.clientProperties = Map.copyOf(clientProperties);
    }

    /**
     * Schema synchronization: create a missing target topic before the first message goes to it.
     *
     * @throws IllegalArgumentException when the counts are not positive
     */
    public void setCreateMissing(boolean createMissing, int partitions, int replicationFactor) {
        if (partitions < 1 || replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
            throw new IllegalArgumentException(Options.SCHEMA_SYNC_PARTITIONS.key() + " is " + partitions + " and replication-factor "
                    + replicationFactor + ": both must be at least 1.");
        }
        this.createMissing = createMissing;
        this.newPartitions = partitions;
        this.replicationFactor = (short) replicationFactor;
    }

    /**
     * The named topics and how they are mapped: existing ones are never created; those to create are
     * created when the task starts (schema sync), before any message flows.
     */
    public void setTopicMethods(Map<String, TopicMethod> methods) {
        this.methods = Map.copyOf(methods);
    }

    @Override
    protected void doStart() {
        if (!createMissing) {
            return;
        }
        methods.forEach((topic, method) -> {
            if (method == TopicMethod.CREATE) {
                partitions(topic);
            }
        });
    }

    /** How many partitions the topic has; a missing topic is created (schema sync) or an error that says how to create it. */
    public int partitions(String topic) {
        Entry entry = partitions.get(topic);
        long now = System.currentTimeMillis();
        if (entry != null && entry.expiresAt > now) {
            return entry.count;
        }
        int count = describe(topic);
        partitions.put(topic, new Entry(count, now + REFRESH_MS));
        return count;
    }

    private int describe(String topic) {
        try {
            return admin().describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
        } catch (ExecutionException e) {
            boolean existing = methods.get(topic) == TopicMethod.EXISTING;
            if (e.getCause() instanceof UnknownTopicOrPartitionException && existing) {
                throw new IllegalStateException("Kafka topic '" + topic + "' does not exist on " + brokers + " and is mapped as an existing "
                        + "topic: create it (kafka-topics.sh --create --topic " + topic + "), or map it with the create method.");
            }
            if (e.getCause() instanceof UnknownTopicOrPartitionException && createMissing) {
                return create(topic);
            }
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("Kafka topic '" + topic + "' does not exist on " + brokers
                        + ": create it (kafka-topics.sh --create --topic " + topic + ") or map the table to an existing topic.");
            }
            throw new IllegalStateException("Kafka at " + brokers + " could not describe topic '" + topic + "': "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing Kafka topic '" + topic + "'", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + brokers + " did not answer within 30 s about topic '" + topic
                    + "': check obsync.kafka.brokers and that the broker is up.", e);
        }
    }

    private int create(String topic) {
        int count = topic.equals(singlePartitionTopic) ? 1 : newPartitions;
        try {
            admin().createTopics(List.of(new NewTopic(topic, count, replicationFactor)))
                    .all().get(30, TimeUnit.SECONDS);
            LOG.info("Created Kafka topic {} with {} partitions, replication factor {} (schema sync)", topic, count, replicationFactor);
            awaitLeaders(topic);
            return count;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                // created meanwhile (another task): use it as it is
                return describe(topic);
            }
            throw new IllegalStateException("Kafka at " + brokers + " could not create topic '" + topic + "' (" + e.getCause().getMessage()
                    + "): create it yourself, or check obsync.schema-sync.partitions and replication-factor against the cluster.", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka topic '" + topic + "'", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + brokers + " did not create topic '" + topic + "' within 30 s: check that the broker is up.", e);
        }
    }

    /**
     * Waits until every partition of a just-created topic has a leader that serves it: a first send to
     * a partition whose leader has not taken it up yet fails with NOT_LEADER_OR_FOLLOWER, after which
     * the idempotent producer can loop on OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout
     * (seen here: two minutes). A leader in the metadata is not enough (KRaft brokers announce it
     * before they serve it); asking each partition's leader for its end offset is. Bounded: after 30 s
     * the sends go ahead and resending takes over.
     */
    private void awaitLeaders(String topic) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long pause = 20;
        while (System.nanoTime() < deadline) {
            try {
                var description = admin().describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
                if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                    description.partitions().forEach(p -> ends.put(new TopicPartition(topic, p.partition()),
                            OffsetSpec.latest()));
                    // served by each partition's leader: fails until the leader has taken the partition up
                    admin().listOffsets(ends).all().get(10, TimeUnit.SECONDS);
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                // not visible yet on the broker we asked: ask again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = Math.min(pause * 2, 500);
        }
        LOG.warn("Kafka topic {} still has partitions without a leader 30 s after it was created; sending anyway", topic);
    }

    /** A topic that schema sync creates with one partition (Debezium's schema-change topic). */
    public void setSinglePartitionTopic(String topic) {
        this.singlePartitionTopic = topic;
    }

    private Admin admin() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                if (admin == null) {
                    Properties config = new Properties();
                    config.putAll(clientProperties);
                    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
                    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "obsync-metadata");
                    admin = Admin.create(config);
                }
                current = admin;
            }
        }
        return current;
    }

    @Override
    protected void doStop() {
        Admin current = admin;
        admin = null;
        if (current != null) {
            current.close();
        }
    }
}
