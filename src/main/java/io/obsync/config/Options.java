package io.obsync.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every {@code obsync.*} option, declared once: key, type, default and one line of documentation.
 * {@code application.properties} and the README's configuration reference list the same keys with
 * the same defaults (OptionsTest keeps them in step); an unknown {@code obsync.*} key is refused
 * with the nearest known one.
 */
public final class Options {

    private static final Map<String, Option> BY_KEY = new LinkedHashMap<>();

    public static final Option TASK_NAME = declare("obsync.task.name", Option.Type.TEXT, "obsync-task",
            "Task name: at most 64 characters, no spaces; names its state (files or topics) and its standby group.");
    public static final Option DATA_DIR = declare("obsync.data-dir", Option.Type.TEXT, "data",
            "Where positions (offsets) and schema history are kept; a restart resumes from here.");
    public static final Option STATE_STORE = choice("obsync.state.store", List.of("file", "kafka"), "file",
            "Where positions and schema history are kept: file (obsync.data-dir, this machine) or kafka (topics named after the task, "
            + "for instances on several machines).");
    public static final Option STATE_KAFKA_BROKERS = declare("obsync.state.kafka.brokers", Option.Type.TEXT, "",
            "Kafka cluster that keeps the state when obsync.state.store=kafka (empty: obsync.kafka.brokers; the Kafka security options apply).");
    public static final Option STATE_KAFKA_REPLICATION_FACTOR = declare("obsync.state.kafka.replication-factor", Option.Type.NUMBER, "3",
            "Replicas of each state topic created at the first start (-1: the brokers' default.replication.factor).", -1, Short.MAX_VALUE);
    public static final Option STANDBY_CLUSTER_SERVICE = choice("obsync.standby.cluster-service", List.of("none", "file", "zookeeper", "kubernetes"), "none",
            "Run the task on several instances, one active, the others waiting: none, file (a lock on shared storage), zookeeper or kubernetes (a Lease).");
    public static final Option STANDBY_LEASE_MS = declare("obsync.standby.lease-ms", Option.Type.NUMBER, "10000",
            "How long an active instance that stopped answering keeps its role before a standby takes over.", 2000, 600_000);
    public static final Option STANDBY_INSTANCE_ID = declare("obsync.standby.instance-id", Option.Type.TEXT, "",
            "This instance's name in the group (empty: host name and process id).");
    public static final Option STANDBY_FILE_ROOT = declare("obsync.standby.file.root", Option.Type.TEXT, "",
            "Folder on storage every instance shares, holding the lock (empty: <obsync.data-dir>/standby).");
    public static final Option STANDBY_ZOOKEEPER_NODES = declare("obsync.standby.zookeeper.nodes", Option.Type.TEXT, "",
            "ZooKeeper servers (host:port, comma-separated) with obsync.standby.cluster-service=zookeeper.");
    public static final Option STANDBY_ZOOKEEPER_BASE_PATH = declare("obsync.standby.zookeeper.base-path", Option.Type.TEXT, "/obsync",
            "ZooKeeper path under which each task's instances elect their active one.");
    public static final Option STANDBY_KUBERNETES_NAMESPACE = declare("obsync.standby.kubernetes.namespace", Option.Type.TEXT, "",
            "Namespace of the task's Lease with obsync.standby.cluster-service=kubernetes (empty: the pod's own).");
    public static final Option STANDBY_KUBERNETES_MASTER_URL = declare("obsync.standby.kubernetes.master-url", Option.Type.TEXT, "",
            "Kubernetes API server (empty: the in-cluster configuration of the pod's service account).");
    public static final Option SOURCE_HOSTNAME = declare("obsync.source.hostname", Option.Type.TEXT, "127.0.0.1",
            "obproxy host.");
    public static final Option SOURCE_PORT = declare("obsync.source.port", Option.Type.NUMBER, "2883",
            "obproxy SQL port.", 1, 65535);
    public static final Option SOURCE_USER = declare("obsync.source.user", Option.Type.TEXT, "obsync",
            "User as user@tenant#cluster when going through obproxy; needs REPLICATION SLAVE/CLIENT and SELECT.");
    public static final Option SOURCE_PASSWORD = declare("obsync.source.password", Option.Type.SECRET, "",
            "The source user's password; never shown (better set through OBSYNC_SOURCE_PASSWORD or obsync.source.password-file).");
    public static final Option SOURCE_SERVER_ID = declare("obsync.source.server-id", Option.Type.NUMBER, "5400",
            "Replica server id this task uses; unique among the source's subscribers.", 1, 4294967295L);
    public static final Option SOURCE_SSL_MODE = choice("obsync.source.ssl-mode", List.of("disabled", "preferred", "required", "verify_ca", "verify_identity"), "preferred",
            "TLS to the source: disabled, preferred (use it when offered), required, verify_ca or verify_identity.");
    public static final Option SOURCE_TENANT = declare("obsync.source.tenant", Option.Type.TEXT, "",
            "Tenant name (the binlog does not carry it): db becomes tenant.database in messages.");
    public static final Option SOURCE_CLUSTER = declare("obsync.source.cluster", Option.Type.TEXT, "",
            "Cluster name (the binlog does not carry it).");
    public static final Option SOURCE_DATABASES = declare("obsync.source.databases", Option.Type.TEXT, "",
            "Databases to read, comma-separated regular expressions (empty reads every database).");
    public static final Option SOURCE_SNAPSHOT_MODE = choice("obsync.source.snapshot-mode", List.of("no_data", "never"), "no_data",
            "Where reading starts the first time: no_data = from now; never = from the oldest binlog kept.");
    public static final Option SOURCE_START_TIME = declare("obsync.source.start-time", Option.Type.TEXT, "",
            "Where the first start reads from instead: a past time (epoch seconds or ISO-8601), earliest, latest or <binlog file>:<position>.");
    public static final Option FULL_SYNC_ENABLED = declare("obsync.full-sync.enabled", Option.Type.BOOLEAN, "false",
            "On the first start: every row of the selected tables as ROW messages, without any lock, then the changes from that moment.");
    public static final Option SOURCE_SIGNAL_TABLE = declare("obsync.source.signal-table", Option.Type.TEXT, "",
            "Table (database.table) where obsync writes snapshot requests and chunk watermarks; set, full synchronization, "
            + "tables added to the objects file and resyncs are read in key chunks while the changes stream on (created when missing). "
            + "A source with GTIDs needs none: chunks are read read-only there.");
    public static final Option FULL_SYNC_CHUNK_SIZE = declare("obsync.full-sync.chunk-size", Option.Type.NUMBER, "4096",
            "Rows per chunk when tables are read in chunks (obsync.source.signal-table set).", 16, 100_000);
    public static final Option FULL_SYNC_PARALLELISM = declare("obsync.full-sync.parallelism", Option.Type.NUMBER, "0",
            "Chunks read at once, each over a connection of its own, when tables are read in chunks through the signal table; "
            + "0 takes it from the machine (its cores, at least 2, at most 4); the rows of one chunk more than this wait in memory.", 0, 64);
    public static final Option SOURCE_SKIP_UNPARSEABLE_DDL = declare("obsync.source.skip-unparseable-ddl", Option.Type.BOOLEAN, "false",
            "A DDL statement the source's parser cannot read that may change columns stops the task naming it (false), or is logged "
            + "and skipped (true); one that changes no column is always skipped.");
    public static final Option SOURCE_INITIAL_STATEMENTS = declare("obsync.source.initial-statements", Option.Type.TEXT, "",
            "SQL statements run on each new SQL connection to the source, separated by ';'.");
    public static final Option SOURCE_NOT_NULL_EPOCH_IS_ZERO_DATE = declare("obsync.source.not-null-epoch-is-zero-date", Option.Type.BOOLEAN, "false",
            "Whether 1970-01-01 in a NOT NULL DATE or DATETIME column is written as the zero date Debezium's reader turned into it.");
    public static final Option SOURCE_BATCH_SIZE = declare("obsync.source.batch-size", Option.Type.NUMBER, "4096",
            "Records the source hands over at once; the whole batch is in flight at the same time.", 1, 1000000);
    public static final Option PIPELINE_BATCH_EVENTS = declare("obsync.pipeline.batch-events", Option.Type.NUMBER, "1024",
            "Consecutive row changes of one table and operation that go through the route as one exchange (1: one change per exchange).", 1, 100000);
    public static final Option PIPELINE_LANES = declare("obsync.pipeline.lanes", Option.Type.NUMBER, "0",
            "Threads that marshal and send, chosen by a batch's table (a single change's key, table or topic as its partition is) (0: cores - 1, at most 8; 1: none).", 0, 64);
    public static final Option SOURCE_POLL_INTERVAL_MS = declare("obsync.source.poll-interval-ms", Option.Type.NUMBER, "5",
            "Longest wait for more changes before a batch that is not full goes out (Debezium waits 500 ms by default).", 1, 60000);
    public static final Option DELIVERY = choice("obsync.delivery", List.of("at-least-once", "exactly-once"), "at-least-once",
            "at-least-once, or exactly-once: messages and the position in one Kafka transaction per batch, each source transaction whole "
            + "(needs obsync.state.store=kafka on the target's cluster, and Kafka targets only).");
    public static final Option DELIVERY_RETRIES = declare("obsync.delivery.retries", Option.Type.NUMBER, "-1",
            "How often a failed batch is resent before the task stops (-1: for ever); nothing is ever skipped.", -1, Long.MAX_VALUE);
    public static final Option DELIVERY_RETRY_BACKOFF_MS = declare("obsync.delivery.retry-backoff-ms", Option.Type.NUMBER, "500",
            "First wait before resending; doubles each time up to 30 s.", 0, Long.MAX_VALUE);
    public static final Option HEARTBEAT_INTERVAL_MS = declare("obsync.heartbeat.interval-ms", Option.Type.NUMBER, "10000",
            "How often the source emits a heartbeat so idle tables still advance the saved position (0: off).", 0, Long.MAX_VALUE);
    public static final Option HEARTBEAT_TOPIC = declare("obsync.heartbeat.topic", Option.Type.TEXT, "",
            "Topic that receives heartbeat messages (empty: none are sent).");
    public static final Option SOURCE_TRANSACTION_BUFFER_CHANGES = declare("obsync.source.transaction-buffer-changes", Option.Type.NUMBER, "10000",
            "Row changes of one transaction held at most while Maxwell or SharePlex with sequence waits for its end.", 1, 10000000);
    public static final Option OBJECTS_FILE = declare("obsync.objects.file", Option.Type.TEXT, "",
            "The objects file (YAML): include rules (exact db.table or * wildcards) with their own topic, row filter (SQL WHERE) and columns, and exclusions.");
    public static final Option OBJECTS_RELOAD_INTERVAL_MS = declare("obsync.objects.reload-interval-ms", Option.Type.NUMBER, "2000",
            "How often the running task checks the objects file for edits (0: only at start-up).", 0, Long.MAX_VALUE);
    public static final Option DML = choices("obsync.dml", List.of("INSERT", "UPDATE", "DELETE"), "INSERT,UPDATE,DELETE",
            "Row changes to sync, any of INSERT, UPDATE, DELETE (comma-separated).");
    public static final Option DDL_ENABLED = declare("obsync.ddl.enabled", Option.Type.BOOLEAN, "false",
            "DDL synchronization of the selected tables (CREATE/ALTER/DROP/TRUNCATE/RENAME TABLE, indexes, comments).");
    public static final Option FORMAT = declare("obsync.format", Option.Type.TEXT, "Default",
            "Serialization method of the task, by name or wire name, any case (Default, Canal, DataWorks, Debezium, Maxwell, ...).");
    public static final Option FORMAT_TOPICS = declare("obsync.format.topics", Option.Type.TEXT, "",
            "Per-topic format overrides, comma-separated topic=Format pairs (orders=Canal).");
    public static final Option FORMAT_BUSINESS_SYSTEM_ID = declare("obsync.format.business-system-id", Option.Type.TEXT, "",
            "Business system identifier (1 to 20 letters, digits, '_' or '-'): the obsync-business-system-id header of every message, and in DataWorks bodies.");
    public static final Option FORMAT_DEBEZIUM_DECIMAL_HANDLING_MODE = choice("obsync.format.debezium.decimal-handling-mode", List.of("precise", "string", "double"), "precise",
            "Debezium family: DECIMAL and unsigned BIGINT as precise (Base64 of the unscaled value), string or double.");
    public static final Option FORMAT_DEBEZIUM_TOMBSTONES_ON_DELETE = declare("obsync.format.debezium.tombstones-on-delete", Option.Type.BOOLEAN, "false",
            "Debezium family, Kafka: after each DELETE a message with the same key and a null value, for log compaction.");
    public static final Option FORMAT_DEBEZIUM_SCHEMA_CHANGE_TOPIC = declare("obsync.format.debezium.schema-change-topic", Option.Type.BOOLEAN, "false",
            "Debezium family, Kafka: DDL to one schema-change topic named after the task instead of to each table's topic.");
    public static final Option FORMAT_SHAREPLEX_TRANSACTION_SEQUENCE = declare("obsync.format.shareplex.transaction-sequence", Option.Type.BOOLEAN, "false",
            "SharePlex: fill meta.seq, meta.size and meta.idx (holds every transaction until its end).");
    public static final Option FORMAT_TIME_ZONE = declare("obsync.format.time-zone", Option.Type.TEXT, "UTC",
            "Zone in which Canal shows TIMESTAMP as date and time and DataWorks reads DATE/DATETIME into epoch milliseconds.");
    public static final Option TARGET = choice("obsync.target", List.of("kafka", "rocketmq"), "kafka",
            "Message queue system for tables whose mapping names none: kafka or rocketmq.");
    public static final Option TOPIC_PATTERN = declare("obsync.topic.pattern", Option.Type.TEXT, "Topic_${Database Name}_${Table Name}",
            "Batch-generated topic name for tables without a named topic.");
    public static final Option TOPIC_MAPPING_METHOD = choice("obsync.topic.mapping-method", List.of("existing", "create"), "existing",
            "How named topics are mapped: existing (they must exist; never created) or create (schema sync creates them).");
    public static final Option TOPIC_MAPPING = declare("obsync.topic.mapping", Option.Type.TEXT, "",
            "Named topics, comma-separated database.table=[target:]topic pairs (shop.orders=rocketmq:orders).");
    public static final Option THROTTLE_FULL_RECORDS_PER_SECOND = declare("obsync.throttle.full.records-per-second", Option.Type.NUMBER, "",
            "At most so many messages per second during full synchronization (empty: no limit).", 0, Long.MAX_VALUE);
    public static final Option THROTTLE_FULL_BYTES_PER_SECOND = declare("obsync.throttle.full.bytes-per-second", Option.Type.NUMBER, "",
            "At most so many message bytes per second during full synchronization (empty: no limit).", 0, Long.MAX_VALUE);
    public static final Option THROTTLE_INCREMENTAL_RECORDS_PER_SECOND = declare("obsync.throttle.incremental.records-per-second", Option.Type.NUMBER, "",
            "At most so many messages per second of incremental synchronization (empty: no limit).", 0, Long.MAX_VALUE);
    public static final Option THROTTLE_INCREMENTAL_BYTES_PER_SECOND = declare("obsync.throttle.incremental.bytes-per-second", Option.Type.NUMBER, "",
            "At most so many message bytes per second of incremental synchronization (empty: no limit).", 0, Long.MAX_VALUE);
    public static final Option PRECHECK_SKIP = declare("obsync.precheck.skip", Option.Type.TEXT, "",
            "Precheck items obsync run skips, comma-separated (empty: none).");
    public static final Option SCHEMA_SYNC_ENABLED = declare("obsync.schema-sync.enabled", Option.Type.BOOLEAN, "true",
            "Create a missing target topic before the first message goes to it.");
    public static final Option SCHEMA_SYNC_PARTITIONS = declare("obsync.schema-sync.partitions", Option.Type.NUMBER, "3",
            "Partitions of a topic schema sync creates.", 1, 100000);
    public static final Option SCHEMA_SYNC_REPLICATION_FACTOR = declare("obsync.schema-sync.replication-factor", Option.Type.NUMBER, "1",
            "Replication factor of a topic schema sync creates.", 1, 32767);
    public static final Option KAFKA_BROKERS = declare("obsync.kafka.brokers", Option.Type.TEXT, "127.0.0.1:9092",
            "Kafka bootstrap servers, comma-separated host:port.");
    public static final Option KAFKA_PARTITIONING = choice("obsync.kafka.partitioning", List.of("hash", "table", "one"), "hash",
            "Partitioning rule: hash (sharding-column values), table (one partition per table) or one.");
    public static final Option KAFKA_PARTITION = declare("obsync.kafka.partition", Option.Type.NUMBER, "0",
            "The partition used by the \"one\" rule.", 0, Long.MAX_VALUE);
    public static final Option KAFKA_DEFAULT_TOPIC = declare("obsync.kafka.default-topic", Option.Type.TEXT, "obsync",
            "Topic in the endpoint URI; every message names its own topic, so this one only shows in logs.");
    public static final Option KAFKA_LINGER_MS = declare("obsync.kafka.linger-ms", Option.Type.NUMBER, "5",
            "Kafka producer linger.ms.", 0, Long.MAX_VALUE);
    public static final Option KAFKA_BATCH_SIZE = declare("obsync.kafka.batch-size", Option.Type.NUMBER, "262144",
            "Kafka producer batch.size (bytes).", 0, 2147483647);
    public static final Option KAFKA_COMPRESSION = choice("obsync.kafka.compression", List.of("none", "gzip", "snappy", "lz4", "zstd"), "none",
            "Kafka producer compression: none, gzip, snappy, lz4 or zstd.");
    public static final Option KAFKA_REQUEST_TIMEOUT_MS = declare("obsync.kafka.request-timeout-ms", Option.Type.NUMBER, "30000",
            "How long one request to the broker may take.", 1, 2147483647);
    public static final Option KAFKA_DELIVERY_TIMEOUT_MS = declare("obsync.kafka.delivery-timeout-ms", Option.Type.NUMBER, "120000",
            "How long the producer keeps retrying one send before the source resends the batch (>= linger + request timeout).", 1, 2147483647);
    public static final Option KAFKA_MAX_REQUEST_SIZE = declare("obsync.kafka.max-request-size", Option.Type.NUMBER, "1048576",
            "Largest request the producer sends (bytes); a larger message stops the task before it with one line.", 1, 2147483647);
    public static final Option KAFKA_SECURITY_PROTOCOL = choice("obsync.kafka.security-protocol", List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"), "PLAINTEXT",
            "How obsync talks to Kafka: PLAINTEXT, SSL (TLS), SASL_PLAINTEXT (login) or SASL_SSL (login over TLS).");
    public static final Option KAFKA_SASL_MECHANISM = choice("obsync.kafka.sasl-mechanism", List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"), "PLAIN",
            "SASL login with SASL_PLAINTEXT or SASL_SSL: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.");
    public static final Option KAFKA_SASL_USERNAME = declare("obsync.kafka.sasl-username", Option.Type.TEXT, "",
            "SASL user name.");
    public static final Option KAFKA_SASL_PASSWORD = declare("obsync.kafka.sasl-password", Option.Type.SECRET, "",
            "SASL password; never shown.");
    public static final Option KAFKA_SSL_TRUSTSTORE_LOCATION = declare("obsync.kafka.ssl-truststore-location", Option.Type.TEXT, "",
            "Trust store (PKCS12 or JKS) holding the CA of the brokers' certificates (empty: the JVM's own CAs).");
    public static final Option KAFKA_SSL_TRUSTSTORE_PASSWORD = declare("obsync.kafka.ssl-truststore-password", Option.Type.SECRET, "",
            "Password of the trust store; never shown.");
    public static final Option KAFKA_SSL_KEYSTORE_LOCATION = declare("obsync.kafka.ssl-keystore-location", Option.Type.TEXT, "",
            "Key store (PKCS12 or JKS) with obsync's own certificate, for brokers that require client certificates (empty: none).");
    public static final Option KAFKA_SSL_KEYSTORE_PASSWORD = declare("obsync.kafka.ssl-keystore-password", Option.Type.SECRET, "",
            "Password of the key store; never shown.");
    public static final Option KAFKA_SSL_KEY_PASSWORD = declare("obsync.kafka.ssl-key-password", Option.Type.SECRET, "",
            "Password of the private key in the key store when it differs from the store's; never shown.");
    public static final Option KAFKA_SSL_VERIFY_HOSTNAME = declare("obsync.kafka.ssl-verify-hostname", Option.Type.BOOLEAN, "true",
            "Whether a broker's certificate must name the host obsync connects to (turn off only for certificates without it).");
    public static final Option ROCKETMQ_NAMESRV = declare("obsync.rocketmq.namesrv", Option.Type.TEXT, "127.0.0.1:9876",
            "Name server addresses, separated by ';'.");
    public static final Option ROCKETMQ_PRODUCER_GROUP = declare("obsync.rocketmq.producer-group", Option.Type.TEXT, "OMS",
            "RocketMQ producer group.");
    public static final Option ROCKETMQ_TAG = declare("obsync.rocketmq.tag", Option.Type.TEXT, "default_tag",
            "The tag every RocketMQ message carries.");
    public static final Option ROCKETMQ_MESSAGE_TRACE = declare("obsync.rocketmq.message-trace", Option.Type.BOOLEAN, "false",
            "RocketMQ message tracing (writes trace records to the broker's trace topic).");
    public static final Option ROCKETMQ_SEND_TIMEOUT_MS = declare("obsync.rocketmq.send-timeout-ms", Option.Type.NUMBER, "3000",
            "How long one send may take before it counts as failed (the source then resends).", 1, Long.MAX_VALUE);
    public static final Option ROCKETMQ_NAMESPACE = declare("obsync.rocketmq.namespace", Option.Type.TEXT, "",
            "Namespace of the topics and producer group (empty: none).");
    public static final Option ROCKETMQ_ACCESS_KEY = declare("obsync.rocketmq.access-key", Option.Type.TEXT, "",
            "RocketMQ ACL access key (empty: no ACL).");
    public static final Option ROCKETMQ_SECRET_KEY = declare("obsync.rocketmq.secret-key", Option.Type.SECRET, "",
            "RocketMQ ACL secret key; never logged.");
    public static final Option JMX_PORT = declare("obsync.jmx.port", Option.Type.NUMBER, "",
            "Remote JMX connector port for JConsole and other JMX clients (empty: none; the local MBeans are always there).", 1, 65535);
    public static final Option JMX_HOST = declare("obsync.jmx.host", Option.Type.TEXT, "127.0.0.1",
            "Address the connector listens on; anything but loopback needs a password file.");
    public static final Option JMX_PASSWORD_FILE = declare("obsync.jmx.password-file", Option.Type.TEXT, "",
            "One \"user password\" line per user (keep the file readable by the task's user only).");
    public static final Option JMX_ACCESS_FILE = declare("obsync.jmx.access-file", Option.Type.TEXT, "",
            "Roles: one \"user readonly\" (monitoring) or \"user readwrite\" (control) line per user; empty: every user may do everything.");
    public static final Option JMX_SSL_KEYSTORE_LOCATION = declare("obsync.jmx.ssl-keystore-location", Option.Type.TEXT, "",
            "Key store (PKCS12 or JKS) with the connector's certificate: remote JMX over TLS, registry and connection (empty: no TLS).");
    public static final Option JMX_SSL_KEYSTORE_PASSWORD = declare("obsync.jmx.ssl-keystore-password", Option.Type.SECRET, "",
            "Password of the JMX key store (and of its key); never shown.");
    public static final Option CONSOLE_ENABLED = declare("obsync.console.enabled", Option.Type.BOOLEAN, "true",
            "The task console at /obsync/ on Camel's management HTTP server (camel.management.*); read-only unless obsync.jmx.password-file is set.");

    private Options() {
    }

    private static Option declare(String key, Option.Type type, String defaultValue, String doc) {
        return declare(key, type, defaultValue, doc, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private static Option declare(String key, Option.Type type, String defaultValue, String doc, long min, long max) {
        return put(new Option(key, type, defaultValue, doc, min, max, List.of()));
    }

    /** An option that takes one of its choices (any case; read back in the spelling given here). */
    private static Option choice(String key, List<String> choices, String defaultValue, String doc) {
        return put(new Option(key, Option.Type.CHOICE, defaultValue, doc, Long.MIN_VALUE, Long.MAX_VALUE, choices));
    }

    /** An option that lists any of its choices, comma-separated. */
    private static Option choices(String key, List<String> choices, String defaultValue, String doc) {
        return put(new Option(key, Option.Type.CHOICES, defaultValue, doc, Long.MIN_VALUE, Long.MAX_VALUE, choices));
    }

    private static Option put(Option option) {
        if (option.type() == Option.Type.CHOICE || option.type() == Option.Type.CHOICES) {
            option.check(option.defaultValue());
        }
        BY_KEY.put(option.key(), option);
        return option;
    }

    /** Every declared option, in declaration order. */
    public static List<Option> all() {
        return Collections.unmodifiableList(new ArrayList<>(BY_KEY.values()));
    }

    /** The option of a key, or null when no option has it. */
    public static Option find(String key) {
        return BY_KEY.get(key);
    }

    /**
     * Refuses {@code obsync.*} keys no option declares, naming the nearest known key.
     *
     * @param keys  the keys a configuration sets
     * @param where where they were set (a file name, "the environment"), for the message
     * @throws IllegalArgumentException one line per unknown key
     */
    public static void checkKnown(Iterable<String> keys, String where) {
        List<String> faults = new ArrayList<>();
        for (String key : keys) {
            if (key.startsWith("obsync.") && !BY_KEY.containsKey(key) && !isSecretFileKey(key)) {
                faults.add("Unknown option " + key + " in " + where + ": did you mean " + nearest(key) + "?");
            }
        }
        if (!faults.isEmpty()) {
            throw new IllegalArgumentException(String.join(System.lineSeparator(), faults));
        }
    }

    /** An option's value from the environment variable Camel reads for it (OBSYNC_SOURCE_PORT), or null. */
    public static String fromEnvironment(String key) {
        return System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }

    /** Whether a key is {@code <secret option>-file}, naming the file that holds that option's value. */
    public static boolean isSecretFileKey(String key) {
        if (!key.endsWith(Option.FILE_SUFFIX)) {
            return false;
        }
        Option option = BY_KEY.get(key.substring(0, key.length() - Option.FILE_SUFFIX.length()));
        return option != null && option.secret();
    }

    /** The declared key closest to a mistyped one (fewest single-character edits). */
    public static String nearest(String key) {
        String best = null;
        int distance = Integer.MAX_VALUE;
        for (String known : BY_KEY.keySet()) {
            int d = editDistance(key, known);
            if (d < distance) {
                distance = d;
                best = known;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
