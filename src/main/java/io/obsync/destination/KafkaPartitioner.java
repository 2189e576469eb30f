package io.obsync.destination;

import java.util.ArrayList;
import java.util.List;

import io.obsync.config.Options;
import io.obsync.event.Headers;
import io.obsync.event.MessageParts;
import io.obsync.sink.Placement;
import io.obsync.sink.kafka.KafkaTopicMetadata;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Sets the Kafka topic, record key and partition of each message, the partition by the task's rule as
 * {@link Placement} states it (HASH: the sharding value, DDL and heartbeats to every partition; TABLE: the
 * table; ONE: one configured partition). Debezium's schema-change topic has one partition.
 */
public class KafkaPartitioner implements Processor {

    private final Placement.Rule rule;
    private final int fixedPartition;
    private final KafkaTopicMetadata topics;
    // DDL to Debezium's schema-change topic goes to its one partition, not to every partition
    private String schemaChangeTopic;

    /**
     * @param rule           the partitioning rule ({@code obsync.kafka.partitioning})
     * @param fixedPartition the partition of the ONE rule, 0 or more ({@code obsync.kafka.partition})
     * @param topics         each topic's partition count
     */
    public KafkaPartitioner(Placement.Rule rule, int fixedPartition, KafkaTopicMetadata topics) {
        this.rule = rule;
        this.fixedPartition = fixedPartition;
        this.topics = topics;
    }

    /** The task's Debezium schema-change topic (see {@link TopicMapping#setSchemaChangeTopic}), or null. */
    public void setSchemaChangeTopic(String topic) {
        this.schemaChangeTopic = topic;
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
        // asking for the partitions creates a missing topic (schema sync), the schema-change topic with one partition
        int count = topics.partitions(topic);
        if (topic != null && topic.equals(schemaChangeTopic)) {
            // Debezium's schema-change topic has one partition, read in order by every consumer
            message.setHeader(KafkaConstants.PARTITION_KEY, 0);
            return List.of(message);
        }
        if (rule == Placement.Rule.HASH && Placement.toEvery(message.getHeader(Headers.OPERATION, String.class))) {
            return toEveryPartition(message, count);
        }
        String placement = Placement.key(rule, key, message.getHeader(Headers.DATABASE, String.class), message.getHeader(Headers.TABLE, String.class));
        if (placement == null && fixedPartition >= count) {
            throw new IllegalStateException(Options.KAFKA_PARTITION.key() + " is " + fixedPartition + " but topic '" + topic
                    + "' has " + count + " partitions: choose a partition below " + count + ".");
        }
        message.setHeader(KafkaConstants.PARTITION_KEY, placement == null ? fixedPartition : Placement.kafkaPartition(placement, count));
        return List.of(message);
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
