package io.obsync.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.obsync.verify.Delivered;
import io.obsync.verify.KafkaReader;
import io.obsync.verify.MessageReader;
import io.obsync.verify.RocketMqReader;

/** Reads what arrived in Kafka or RocketMQ topics, from the beginning, as a consumer of the product would. */
final class Records {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message as the tests look at it; partition is the Kafka partition or the RocketMQ queue id. */
    record Received(String topic, int partition, long offset, String key, String value, java.util.Map<String, String> headers) {
        String header(String name) {
            return headers.get(name);
        }

        JsonNode json() {
            try {
                return JSON.readTree(value);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + value, e);
            }
        }
    }

    /** The messages of one topic (one partition or queue in the tests that use it) in the order they were stored. */
    static List<Received> inOrder(List<Received> all, String topic) {
        return all.stream().filter(r -> r.topic().equals(topic)).sorted(java.util.Comparator.comparingLong(Received::offset)).toList();
    }

    /** How to open a reader on some topics. */
    interface Source {
        MessageReader open(List<String> topics) throws Exception;
    }

    private Records() {
    }

    static Source kafka(String brokers) {
        return topics -> new KafkaReader(brokers, topics);
    }

    static Source rocketmq(String namesrv) {
        return topics -> new RocketMqReader(namesrv, topics);
    }

    /** Polls every partition of the Kafka topics until the condition holds for all records read, or the timeout passes. */
    static List<Received> readUntil(String brokers, List<String> topics, Predicate<List<Received>> done, Duration timeout) {
        return readUntil(kafka(brokers), topics, done, timeout);
    }

    /** Polls every partition or queue of the topics until the condition holds for all messages read, or the timeout passes. */
    static List<Received> readUntil(Source source, List<String> topics, Predicate<List<Received>> done, Duration timeout) {
        List<Received> all = new ArrayList<>();
        // a pull consumer may hand one stored message over twice; a stored message counts once (topic, partition, offset)
        java.util.Set<String> stored = new java.util.HashSet<>();
        try (MessageReader reader = source.open(topics)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(all)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not met within " + timeout + "; " + all.size() + " messages read" + freshRead(source, topics, done));
                }
                for (Delivered d : reader.poll(Duration.ofMillis(200))) {
                    if (!stored.add(d.topic() + "/" + d.partition() + "/" + d.offset())) {
                        continue;
                    }
                    all.add(new Received(d.topic(), d.partition(), d.offset(), d.key(), d.value(), d.headers()));
                }
            }
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("reading " + topics + " failed", e);
        }
        return all;
    }

    /** Whether a new reader, reading every partition or queue to its end, finds what the first one did not (reader or broker). */
    private static String freshRead(Source source, List<String> topics, Predicate<List<Received>> done) {
        try {
            List<Received> fresh = readToEnd(source, topics, Duration.ofMinutes(1));
            return "; a new reader read " + fresh.size() + " to the end of every partition or queue, which "
                    + (done.test(fresh) ? "meets" : "does not meet") + " the condition";
        } catch (AssertionError e) {
            return "; a new reader did not reach the end either (" + e.getMessage() + ")";
        }
    }

    /** Every topic the broker holds except Kafka's internal ones: what a check that something went nowhere reads. */
    static List<String> allTopics(String brokers) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of("bootstrap.servers", brokers))) {
            return admin.listTopics().names().get(60, java.util.concurrent.TimeUnit.SECONDS).stream().sorted().toList();
        } catch (Exception e) {
            throw new AssertionError("listing the topics of " + brokers + " failed", e);
        }
    }

    /**
     * Waits until the condition holds (a change written after the ones a test expects to be left out has arrived), then
     * reads every partition of the topics from its start to its end offset: what an absence or completeness check needs,
     * since a reader that stops at its condition has not seen what a partition holds after it.
     */
    static List<Received> settled(String brokers, List<String> topics, Predicate<List<Received>> done, Duration timeout) {
        readUntil(brokers, topics, done, timeout);
        List<Received> all = readToEnd(brokers, topics, timeout);
        if (!done.test(all)) {
            throw new AssertionError("read to the end of every partition of " + topics + ", " + all.size() + " messages no longer meet the condition");
        }
        return all;
    }

    /**
     * Every message of the topics (Kafka partitions or RocketMQ queues), each read from its start to the end offset it
     * had when the read began, through the reader {@code obsync verify} uses; a message handed over twice counts once.
     */
    static List<Received> readToEnd(Source source, List<String> topics, Duration timeout) {
        List<Received> all = new ArrayList<>();
        java.util.Set<String> stored = new java.util.HashSet<>();
        try (MessageReader reader = source.open(topics)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reader.atEnd()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the end of " + topics + " was not reached within " + timeout + "; " + all.size() + " messages read");
                }
                for (Delivered d : reader.poll(Duration.ofMillis(200))) {
                    if (stored.add(d.topic() + "/" + d.partition() + "/" + d.offset())) {
                        all.add(new Received(d.topic(), d.partition(), d.offset(), d.key(), d.value(), d.headers()));
                    }
                }
            }
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("reading " + topics + " failed", e);
        }
        return all;
    }

    /**
     * Every message of the Kafka topics, each partition read from its start to the end offset it had
     * when the read began: what a completeness or absence check needs.
     */
    static List<Received> readToEnd(String brokers, List<String> topics, Duration timeout) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", brokers);
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        List<Received> all = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(p,
                new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.StringDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, timeout).forEach(i -> partitions.add(new org.apache.kafka.common.TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            java.util.Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the end of " + topics + " was not reached within " + timeout + "; " + all.size() + " messages read");
                }
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < ends.get(new org.apache.kafka.common.TopicPartition(r.topic(), r.partition()))) {
                        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
                        r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
                        all.add(new Received(r.topic(), r.partition(), r.offset(), r.key(), r.value(), headers));
                    }
                }
            }
        }
        return all;
    }
}
