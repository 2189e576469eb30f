package io.obsync.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what arrived in Kafka topics, from the beginning, as a consumer of the product would. */
final class Records {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One Kafka record as the tests look at it. */
    record Received(String topic, int partition, long offset, String key, String value, List<Header> headers) {
        String header(String name) {
            String found = null;
            int count = 0;
            for (Header h : headers) {
                if (h.key().equals(name)) {
                    found = new String(h.value(), StandardCharsets.UTF_8);
                    count++;
                }
            }
            if (count > 1) {
                throw new AssertionError("header " + name + " appears " + count + " times in " + this);
            }
            return found;
        }

        JsonNode json() {
            try {
                return JSON.readTree(value);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + value, e);
            }
        }
    }

    private Records() {
    }

    /** Polls every partition of the topics until the condition holds for all records read, or the timeout passes. */
    static List<Received> readUntil(String brokers, List<String> topics, Predicate<List<Received>> done, Duration timeout) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        List<Received> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(all)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not met within " + timeout + "; " + all.size() + " records read");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    List<Header> headers = new ArrayList<>();
                    r.headers().forEach(headers::add);
                    all.add(new Received(r.topic(), r.partition(), r.offset(), r.key(),
                            r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8), headers));
                }
            }
        }
        return all;
    }
}
