package io.obsync.route;

/**
 * Headers the pipeline uses to tell a sink where a message goes. They start with "Camel" so that no
 * sink sends them to the broker; each sink maps them to its own transport (partition, queue, key).
 */
public final class RoutingHeaders {

    /** Target topic of the message. */
    public static final String TOPIC = "CamelObsyncTopic";
    /** Sharding value (record key / message key); absent for tables without a key. */
    public static final String KEY = "CamelObsyncKey";
    /** Kafka record key as the message format writes it (Debezium's JSON key); absent: the sharding value is the key. */
    public static final String RECORD_KEY = "CamelObsyncRecordKey";
    /** Positions (int[]) of an object's own sharding columns; absent: the primary key shards. */
    public static final String SHARDING_COLUMNS = "CamelObsyncShardingColumns";
    /** Which message queue system receives the message: "kafka" or "rocketmq". */
    public static final String TARGET = "CamelObsyncTarget";
    /** Exchange property: which send attempt of the source this exchange belongs to. */
    public static final String ATTEMPT = "CamelObsyncAttempt";
    /** Exchange property: a BooleanSupplier telling whether the source still runs (a waiting step gives up when it stops). */
    public static final String SOURCE_RUNNING = "CamelObsyncSourceRunning";

    private RoutingHeaders() {
    }
}
