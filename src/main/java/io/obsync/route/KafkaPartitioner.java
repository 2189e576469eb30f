package io.obsync.route;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.obsync.config.Options;
import io.obsync.event.Headers;
import io.obsync.event.MessageParts;
import io.obsync.sink.kafka.KafkaTopicMetadata;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

/**
 * Chooses the Kafka partition of each message by the task's partitioning rule.
 *
 * <ul>
 * <li>HASH: Kafka's own murmur2 of the record key bytes, as the default partitioner computes it, so
 * consumers can recompute it; rows of a table without a key fall back to the TABLE rule; DDL and
 * heartbeats go to every partition so every consumer sees them in order.</li>
 * <li>TABLE: the same hash of "database.table": a table's rows stay in one partition.</li>
 * <li>ONE: every message in one configured partition, keeping transaction order.</li>
 * </ul>
 */
public class KafkaPartitioner implements Processor {

    /** The partitioning rules of a Kafka target. */
    public enum Rule { HASH, TABLE, ONE }

    private final Rule rule;
    private final int fixedPartition;
    private final KafkaTopicMetadata topics;
    // DDL to Debezium's schema-change topic goes to its one partition, not to every partition
    private String schemaChangeTopic;

    public KafkaPartitioner(String rule, int fixedPartition, KafkaTopicMetadata topics) {
        this.rule = parse(rule);
        if (fixedPartition < 0) {
            throw new IllegalArgumentException(Options.KAFKA_PARTITION.key() + " is " + fixedPartition + ": give a partition number of 0 or more.");
        }
        this.fixedPartition = fixedPartition;
        this.topics = topics;
    }

    /** The task's Debezium schema-change topic (see {@link TopicMapping#setSchemaChangeTopic}), or null. */
    public void setSchemaChangeTopic(String topic) {
        this.schemaChangeTopic = topic;
    }

    private static Rule parse(String rule) {
        try {
            return Rule.valueOf(rule.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(Options.KAFKA_PARTITIONING.key() + " is '" + rule + "': use hash, table or one.");
        }
    }

    @Override
    public void process(Exchange exchange) {
        // each half of an UPDATE that moved its key gets its own partition; DDL may become one copy per partition
        List<Message> routed = new ArrayList<>();
        for (Message part : MessageParts.of(exchange)) {
            routed.addAll(route(part));
        }
        if (MessageParts.isList(exchange) || routed.size() > 1) {
            exchange.getMessage().setBody(routed);
        }
    }

    /** Sets topic, key and partition of one message; returns it, or one copy per partition for DDL and heartbeats under HASH. */
    private List<Message> route(Message message) {
        String topic = message.getHeader(Headers.TOPIC, String.class);
        String key = message.getHeader(Headers.KEY, String.class);
        message.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic);
        String recordKey = message.getHeader(Headers.RECORD_KEY, String.class);
        if (recordKey != null || key != null) {
            // the partition follows the sharding value; the record key is what the format's consumers expect
            message.setHeader(KafkaConstants.KEY, recordKey != null ? recordKey : key);
        }
        int count = topics.partitions(topic);
        String operation = message.getHeader(Headers.OPERATION, String.class);
        if (topic != null && topic.equals(schemaChangeTopic)) {
            // Debezium's schema-change topic has one partition, read in order by every consumer
            message.setHeader(KafkaConstants.PARTITION_KEY, 0);
            return List.of(message);
        }
        int partition;
        switch (rule) {
            case ONE -> {
                if (fixedPartition >= count) {
                    throw new IllegalStateException(Options.KAFKA_PARTITION.key() + " is " + fixedPartition + " but topic '" + topic
                            + "' has " + count + " partitions: choose a partition below " + count + ".");
                }
                partition = fixedPartition;
            }
            case TABLE -> partition = tablePartition(message, count);
            case HASH -> {
                if ("DDL".equals(operation) || "HEARTBEAT".equals(operation)) {
                    return toEveryPartition(message, count);
                }
                partition = key == null ? tablePartition(message, count) : partitionOf(key, count);
            }
            default -> throw new IllegalStateException("unknown rule " + rule);
        }
        message.setHeader(KafkaConstants.PARTITION_KEY, partition);
        return List.of(message);
    }

    /** Kafka's default-partitioner choice for a record key. */
    public static int partitionOf(String key, int partitions) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
    }

    private static int tablePartition(Message message, int count) {
        String table = message.getHeader(Headers.DATABASE, String.class) + "."
                + message.getHeader(Headers.TABLE, String.class);
        return partitionOf(table, count);
    }

    private static List<Message> toEveryPartition(Message message, int count) {
        List<Message> copies = new ArrayList<>(count);
        for (int partition = 0; partition < count; partition++) {
            Message copy = message.copy();
            copy.setHeader(KafkaConstants.PARTITION_KEY, partition);
            copies.add(copy);
        }
        return copies;
    }
}
