package io.obsync.event;

/**
 * Every header and exchange property name obsync gives a message, in one place. The {@code obsync-*}
 * headers travel to the broker (Kafka headers, RocketMQ user properties); the {@code CamelObsync*}
 * ones start with "Camel" so that no sink sends them, and tell a sink where a message goes.
 */
public final class Headers {

    /** The change's event id, the same every time the change is read again. */
    public static final String EVENT_ID = "obsync-event-id";
    /** INSERT, UPDATE, DELETE, ROW, DDL or HEARTBEAT. */
    public static final String OPERATION = "obsync-operation";
    public static final String DATABASE = "obsync-database";
    public static final String TABLE = "obsync-table";
    /** obsync.format.business-system-id, on every message when set. */
    public static final String BUSINESS_SYSTEM_ID = "obsync-business-system-id";

    /** Target topic of the message. */
    public static final String TOPIC = "CamelObsyncTopic";
    /** Sharding value (record key / message key); absent for tables without a key. */
    public static final String KEY = "CamelObsyncKey";
    /** Kafka record key as the message format writes it (Debezium's JSON key); absent: the sharding value is the key. */
    public static final String RECORD_KEY = "CamelObsyncRecordKey";
    /** Positions (int[]) of an object's own sharding columns; absent: the primary key shards. */
    public static final String SHARDING_COLUMNS = "CamelObsyncShardingColumns";
    /** true when an UPDATE moved its row to another key and the exchange's own message became its two halves (a list of messages). */
    public static final String KEY_MOVED = "CamelObsyncKeyMoved";
    /** true on a message of a batch that a step dropped (filtered): it is not sent, and counted as filtered. */
    public static final String FILTERED = "CamelObsyncFiltered";
    /** The objects-file rule (SyncObjects.Rule) that selected the message, for the steps after the selection. */
    public static final String RULE = "CamelObsyncRule";
    /** Which message queue system receives the message: "kafka" or "rocketmq". */
    public static final String TARGET = "CamelObsyncTarget";
    /** Exchange property: which send attempt of the source this exchange belongs to. */
    public static final String ATTEMPT = "CamelObsyncAttempt";
    /** Exchange property: a BooleanSupplier telling whether the source still runs (a waiting step gives up when it stops). */
    public static final String SOURCE_RUNNING = "CamelObsyncSourceRunning";

    private Headers() {
    }
}
