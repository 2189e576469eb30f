package io.obsync.sink;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/**
 * Where a message lands in its topic: the one rule that the Kafka partitioner, the RocketMQ queue
 * choice and the pipeline's lanes follow.
 *
 * <ul>
 * <li>DDL and heartbeats go to every partition or queue of their topic, so every consumer sees them in
 * order with the rows around them (Kafka: under the HASH rule).</li>
 * <li>A row change goes where its placement key points: the record key (the sharding value), or
 * {@code database.table} for a table without one; {@code database.table} under the TABLE rule; one
 * configured partition under the ONE rule.</li>
 * <li>The key picks the partition with Kafka's default-partitioner hash (murmur2, Kafka's public
 * {@link Utils}), so that consumers can recompute it, and the queue with RocketMQ's hash-of-key
 * selector ({@code SelectMessageQueueByHash}), so that RocketMQ consumers can.</li>
 * </ul>
 */
public final class Placement {

    /** The partitioning rules of a Kafka target ({@code obsync.kafka.partitioning}); RocketMQ always places by HASH. */
    public enum Rule { HASH, TABLE, ONE }

    private Placement() {
    }

    /** Whether a message of this operation goes to every partition or queue of its topic (DDL, heartbeats). */
    public static boolean toEvery(String operation) {
        return "DDL".equals(operation) || "HEARTBEAT".equals(operation);
    }

    /**
     * What picks the partition or queue of a row change under a rule: its record key, else its table;
     * its table under TABLE; null under ONE (one configured partition).
     */
    public static String key(Rule rule, String key, String database, String table) {
        return switch (rule) {
            case ONE -> null;
            case TABLE -> database + "." + table;
            case HASH -> key != null ? key : database + "." + table;
        };
    }

    /** Kafka's default-partitioner choice for a placement key: {@code toPositive(murmur2(UTF-8 bytes)) % partitions}. */
    public static int kafkaPartition(String placementKey, int partitions) {
        return Utils.toPositive(Utils.murmur2(placementKey.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** RocketMQ's hash-of-key choice ({@code SelectMessageQueueByHash}): {@code |hashCode % queues|}. */
    public static int rocketMqQueue(String placementKey, int queues) {
        return Math.abs(placementKey.hashCode() % queues);
    }
}
