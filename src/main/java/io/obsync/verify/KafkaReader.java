package io.obsync.verify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Every partition of some Kafka topics, from the beginning. */
public final class KafkaReader implements MessageReader {

    private final KafkaConsumer<String, byte[]> consumer;

    public KafkaReader(String brokers, List<String> topics) {
        this(brokers, Map.of(), topics);
    }

    /** @param clientProperties security settings (KafkaSecurity) for the consumer */
    public KafkaReader(String brokers, Map<String, Object> clientProperties, List<String> topics) {
        Properties config = new Properties();
        config.putAll(clientProperties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        // what consumers see: committed transactions only (exactly-once delivery); plain sends are committed as written
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(config);
        this.topics = List.copyOf(topics);
        assign(Duration.ofSeconds(30));
    }

    private final List<String> topics;
    // each assigned partition's end offset when it was assigned (read_committed: the last stable offset)
    private final Map<TopicPartition, Long> ends = new HashMap<>();

    // topics created later (schema sync creates them at their first message) are taken up when they exist
    private void assign(Duration wait) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            try {
                for (PartitionInfo info : consumer.partitionsFor(topic, wait)) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            } catch (TimeoutException e) {
                // a topic being created has no leader yet: its partitions are taken up at a later poll
                partitions.addAll(consumer.assignment().stream().filter(p -> p.topic().equals(topic)).toList());
            }
        }
        if (partitions.size() > consumer.assignment().size()) {
            List<TopicPartition> added = partitions.stream().filter(p -> !consumer.assignment().contains(p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(added);
            ends.putAll(consumer.endOffsets(added));
        }
    }

    @Override
    public List<Delivered> poll(Duration timeout) {
        List<Delivered> out = new ArrayList<>();
        if (consumer.assignment().stream().map(TopicPartition::topic).distinct().count() < topics.size()) {
            assign(Duration.ofMillis(200));
        }
        if (consumer.assignment().isEmpty()) {
            // none of the topics exists (yet): nothing to read
            return out;
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header h : r.headers()) {
                if (headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8)) != null) {
                    throw new IllegalStateException("header " + h.key() + " appears twice in " + r);
                }
            }
            out.add(new Delivered(r.topic(), r.partition(), r.offset(), r.key(), headers,
                    r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Override
    public boolean atEnd() {
        if (consumer.assignment().stream().map(TopicPartition::topic).distinct().count() < topics.size()) {
            assign(Duration.ofMillis(200));
        }
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
