package io.obsync.precheck;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import io.obsync.config.TopicMethod;
import io.obsync.destination.TopicMapping;
import io.obsync.filter.SyncObjects;
import io.obsync.filter.TableSelection;
import io.obsync.settings.TaskSettings;
import io.obsync.sink.kafka.KafkaSecurity;
import io.obsync.sink.rocketmq.RocketMqProducer;
import io.obsync.source.SignalTable;
import io.obsync.source.SourceConnection;
import io.obsync.source.StartTime;
import io.obsync.state.StateStores;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that a task may start: options, the source (reachable, binary log on, ROW format, FULL row
 * image, privileges, a free server id) and every target it uses (reachable, topics there or to be
 * created). Each item passes, fails with the fix, or is skipped (asked for, or not applicable).
 */
public final class Precheck {

    /** Outcome of one item; WARN is worth a look and does not stop the task. */
    public enum Status { PASS, WARN, FAIL, SKIPPED }

    /** One checked item: its name (as --skip takes it), outcome, and what was found or how to fix it. */
    public record Item(String name, Status status, String detail) {
        @Override
        public String toString() {
            return String.format("%-7s %-16s %s", status, name, detail);
        }
    }

    /** The items, in the order they run. */
    public static final List<String> ITEMS = List.of("options", "state", "source-connection", "source-kind", "login", "privileges", "server-id", "binlog",
            "binlog-format", "binlog-row-image", "gtid-mode", "start-time", "objects-tables", "generated-columns", "signal-table", "kafka",
            "kafka-topics", "rocketmq", "rocketmq-topics");

    private static final Logger LOG = LoggerFactory.getLogger(Precheck.class);

    private final TaskConfig config;
    private final Set<String> skip;
    private final List<Item> items = new ArrayList<>();
    // the configuration's settings once the options item passed; null when it failed or was skipped
    private TaskSettings settings;
    // the source's tables now (database, table) within obsync.source.databases; null when the source could not be read
    private List<TableSelection.Table> sourceTables;
    // the items about the source as OceanBase; null until the source was read
    private OceanBaseItems oceanBase;

    private Precheck(UnaryOperator<String> properties, Set<String> skip) {
        this.config = new TaskConfig(properties);
        this.skip = skip;
    }

    /**
     * Runs every item.
     *
     * @param properties the task's configuration by key (null when unset)
     * @param skip       items to skip knowingly
     * @throws IllegalArgumentException for an unknown item name in skip
     */
    public static List<Item> run(UnaryOperator<String> properties, Set<String> skip) {
        for (String name : skip) {
            if (!ITEMS.contains(name)) {
                throw new IllegalArgumentException("--skip " + name + " names no precheck item: use one of " + ITEMS + ".");
            }
        }
        Precheck check = new Precheck(properties, skip);
        check.all();
        return check.items;
    }

    /** Whether the task may start after these results. */
    public static boolean mayStart(List<Item> items) {
        return items.stream().noneMatch(i -> i.status() == Status.FAIL);
    }

    /** Records an item's result; true, so that a check can end with it in one condition. */
    private boolean add(String name, Status status, String detail) {
        return items.add(new Item(name, status, detail));
    }

    private boolean skipped(String name) {
        if (skip.contains(name)) {
            add(name, Status.SKIPPED, "skipped by --skip " + name);
            return true;
        }
        return false;
    }

    private void all() {
        TopicMapping mapping = options();
        if (!skipped("state")) {
            StateItem.check(config, this::add);
        }
        Map<String, String> variables = source();
        if (variables != null) {
            oceanBase.setting("binlog", variables, "log_bin", "ON", "turn the binary log on (log_bin; for OceanBase, enable the Binlog Service for the tenant)");
            oceanBase.setting("binlog-format", variables, "binlog_format", "ROW", "set binlog_format=ROW");
            oceanBase.setting("binlog-row-image", variables, "binlog_row_image", "FULL", "set binlog_row_image=FULL");
            oceanBase.gtidMode(variables);
            startTime();
            objectsTables();
            oceanBase.generatedColumns(settings == null ? null : settings.tables());
            signalTable("ON".equalsIgnoreCase(variables.get("gtid_mode")));
        } else {
            // every item that reads the source: those from source-kind to signal-table
            for (String name : ITEMS.subList(ITEMS.indexOf("source-kind"), ITEMS.indexOf("signal-table") + 1)) {
                if (!skipped(name)) {
                    add(name, Status.SKIPPED, "the source could not be read");
                }
            }
        }
        boolean kafka = mapping == null || mapping.usesTarget(TopicMapping.Target.KAFKA);
        boolean rocketmq = mapping != null && mapping.usesTarget(TopicMapping.Target.ROCKETMQ);
        kafka(kafka, mapping);
        rocketmq(rocketmq, mapping);
    }

    /** The options item: the configuration judged as start-up judges it ({@link TaskSettings}); null when it fails. */
    private TopicMapping options() {
        if (skipped("options")) {
            return null;
        }
        try {
            settings = TaskSettings.of(config);
            add("options", Status.PASS, "topics, formats, objects and identifiers are valid");
            return settings.topics();
        } catch (IllegalArgumentException e) {
            add("options", Status.FAIL, e.getMessage());
            return null;
        }
    }

    /** Connects to the source; returns its variables, or null when it cannot be read. */
    private Map<String, String> source() {
        if (skipped("source-connection")) {
            return null;
        }
        String host = config.text(Options.SOURCE_HOSTNAME);
        String port = config.text(Options.SOURCE_PORT);
        String user = config.text(Options.SOURCE_USER);
        try (Connection c = SourceConnection.open(host, port, user, config.text(Options.SOURCE_PASSWORD), config.text(Options.SOURCE_SSL_MODE));
             Statement statement = c.createStatement()) {
            Map<String, String> variables = new HashMap<>();
            try (ResultSet rows = statement.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN "
                    + "('log_bin', 'binlog_format', 'binlog_row_image', 'server_id', 'version', 'version_comment', 'gtid_mode')")) {
                while (rows.next()) {
                    variables.put(rows.getString(1).toLowerCase(Locale.ROOT), rows.getString(2));
                }
            }
            add("source-connection", Status.PASS, "connected to " + host + ":" + port + " as " + user + " (server " + variables.get("version") + ")");
            sourceTables = TableSelection.all(c);
            oceanBase = new OceanBaseItems(config, this::skipped, this::add, variables);
            oceanBase.sourceKind();
            oceanBase.login(statement);
            privileges(statement);
            serverId(statement, variables.get("server_id"));
            return variables;
        } catch (SQLException e) {
            add("source-connection", Status.FAIL, "cannot connect to " + host + ":" + port + " as " + user + " (" + e.getMessage().split("\\R")[0]
                    + "): check obsync.source.hostname, port, user and password, and that the Binlog Service is up");
            return null;
        }
    }

    /**
     * The topics the source's selected tables go to now, with their target system, as the pipeline decides
     * them: the objects file's rule (its topic, else its new name through the mapping or the pattern).
     */
    private Map<String, TopicMapping.Target> tableTopics(TopicMapping mapping) {
        Map<String, TopicMapping.Target> topics = new TreeMap<>();
        if (settings == null || sourceTables == null) {
            return topics;
        }
        TableSelection selection = settings.tables();
        for (TableSelection.Table table : sourceTables) {
            SyncObjects.Rule rule = selection.ruleFor(table.database(), table.table());
            if (rule == null) {
                continue;
            }
            String database = rule.targetDatabase() != null ? rule.targetDatabase() : table.database();
            String name = rule.targetTable() != null ? rule.targetTable() : table.table();
            try {
                TopicMapping.Destination destination = mapping.destination(database, name, rule.topic());
                topics.put(destination.topic(), destination.target());
            } catch (IllegalArgumentException e) {
                // a name the pattern cannot make a topic of: the task stops at that table's first change and says so
                LOG.warn("Precheck: {}", e.getMessage());
            }
        }
        return topics;
    }

    private Set<String> topicsOf(Map<String, TopicMapping.Target> topics, TopicMapping.Target target) {
        return topics.entrySet().stream().filter(e -> e.getValue() == target).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** How tables are read in chunks: read-only with GTIDs, else the signal table exists (or is created) and takes the watermark rows. */
    private void signalTable(boolean gtids) {
        String table = config.text(Options.SOURCE_SIGNAL_TABLE);
        if (skipped("signal-table") || gtids && add("signal-table", Status.PASS, "tables are read in chunks read-only: the source has GTIDs, so each "
                + "chunk's watermarks come from its executed GTID set and nothing is written to it" + (table.isBlank() ? "" : " (" + table + " is not used)"))
                || table.isBlank() && add("signal-table", Status.SKIPPED, "no signal table and no GTIDs: full synchronization reads in one pass")) {
            return;
        }
        try (Connection c = SourceConnection.open(config.text(Options.SOURCE_HOSTNAME), config.text(Options.SOURCE_PORT), config.text(Options.SOURCE_USER),
                config.text(Options.SOURCE_PASSWORD), config.text(Options.SOURCE_SSL_MODE))) {
            add("signal-table", Status.PASS, SignalTable.parse(table).check(c));
        } catch (SQLException | RuntimeException e) {
            add("signal-table", Status.FAIL, e.getMessage());
        }
    }

    /** Tables the objects file names exactly that the source does not have: a warning, they may be created later. */
    private void objectsTables() {
        if (skipped("objects-tables") || config.text(Options.OBJECTS_FILE).isBlank() && add("objects-tables", Status.SKIPPED, "no objects file")) {
            return;
        }
        if (settings == null) {
            add("objects-tables", Status.SKIPPED, "the objects file was not read (see options)");
            return;
        }
        SyncObjects objects = settings.objects();
        Set<String> have = new TreeSet<>();
        sourceTables.forEach(t -> have.add(t.name()));
        TableSelection selection = settings.tables();
        Set<String> missing = new TreeSet<>();
        for (SyncObjects.Rule rule : objects.includes()) {
            String name = rule.name();
            if (!name.contains("*") && !have.contains(name)) {
                String[] parts = name.split("\\.", 2);
                missing.add(name + (parts.length == 2 && !selection.databaseIncluded(parts[0]) ? " (its database is not in "
                        + Options.SOURCE_DATABASES.key() + ")" : ""));
            }
        }
        if (missing.isEmpty()) {
            add("objects-tables", Status.PASS, "every table the objects file names exists");
        } else {
            add("objects-tables", Status.WARN, "the objects file names " + missing + ", which the source does not have: each is synced from "
                    + "its creation; check the names if they should exist now");
        }
    }

    /** A start time must be in the binlog the source still keeps (first start only). */
    private void startTime() {
        if (skipped("start-time")) {
            return;
        }
        String text = config.text(Options.SOURCE_START_TIME);
        Instant time;
        try {
            time = StartTime.parse(text);
        } catch (IllegalArgumentException e) {
            add("start-time", Status.FAIL, e.getMessage());
            return;
        }
        if (time == null) {
            add("start-time", Status.SKIPPED, Options.SOURCE_START_TIME.key() + " is empty: the first start reads from now");
            return;
        }
        String task = config.text(Options.TASK_NAME);
        if (hasPosition()) {
            add("start-time", Status.PASS, "task " + task + " resumes from its saved position; obsync.source.start-time applies to a first start only");
            return;
        }
        try {
            StartTime.BinlogPosition position = StartTime.resolve(new StartTime.Source(config.text(Options.SOURCE_HOSTNAME),
                    Integer.parseInt(config.text(Options.SOURCE_PORT)), config.text(Options.SOURCE_USER), config.text(Options.SOURCE_PASSWORD),
                    // a replica id of its own: the task's id would take the binlog stream from a running task
                    config.text(Options.SOURCE_SSL_MODE), 1_000_000_000L + new Random().nextInt(1_000_000_000)), time);
            add("start-time", Status.PASS, "the first transaction at or after " + time + " is at " + position);
        } catch (IllegalArgumentException e) {
            add("start-time", Status.FAIL, e.getMessage());
        } catch (Exception e) {
            add("start-time", Status.FAIL, "the binlog could not be read to find " + time + " (" + TargetRefusals.rootMessage(e)
                    + "): the user needs REPLICATION SLAVE, and the Binlog Service must be up");
        }
    }

    private boolean hasPosition() {
        try {
            return StateStores.of(config).hasPosition();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the state item says why
            return false;
        }
    }

    private void privileges(Statement statement) {
        if (skipped("privileges")) {
            return;
        }
        StringBuilder grants = new StringBuilder();
        try (ResultSet rows = statement.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
            while (rows.next()) {
                grants.append(rows.getString(1).toUpperCase(Locale.ROOT)).append('\n');
            }
        } catch (SQLException e) {
            add("privileges", Status.SKIPPED, "the source does not show grants (" + e.getMessage().split("\\R")[0] + ")");
            return;
        }
        String text = grants.toString();
        List<String> missing = new ArrayList<>();
        if (!text.contains("ALL PRIVILEGES")) {
            for (String privilege : List.of("REPLICATION SLAVE", "REPLICATION CLIENT", "SELECT")) {
                if (!text.contains(privilege) && !(privilege.startsWith("REPLICATION SLAVE") && text.contains("REPLICATION REPLICA"))
                        && !(privilege.equals("REPLICATION CLIENT") && text.contains("BINLOG MONITOR"))) {
                    missing.add(privilege);
                }
            }
        }
        if (missing.isEmpty()) {
            add("privileges", Status.PASS, "REPLICATION SLAVE, REPLICATION CLIENT and SELECT granted");
        } else {
            add("privileges", Status.FAIL, "the user lacks " + missing + ": GRANT " + String.join(", ", missing) + " ON *.* TO the task's user");
        }
    }

    private void serverId(Statement statement, String sourceServerId) {
        if (skipped("server-id")) {
            return;
        }
        String mine = config.text(Options.SOURCE_SERVER_ID);
        if (mine.equals(sourceServerId)) {
            add("server-id", Status.FAIL, Options.SOURCE_SERVER_ID.key() + " " + mine + " is the source's own server_id: choose another number");
            return;
        }
        Set<String> replicas = new TreeSet<>();
        for (String sql : List.of("SHOW REPLICAS", "SHOW SLAVE HOSTS")) {
            try (ResultSet rows = statement.executeQuery(sql)) {
                while (rows.next()) {
                    replicas.add(rows.getString(1));
                }
                break;
            } catch (SQLException e) {
                // the other spelling, or not shown: try on
            }
        }
        if (replicas.contains(mine)) {
            // a task restarted after a crash finds its own previous connection still registered: not a fault by itself
            add("server-id", Status.PASS, Options.SOURCE_SERVER_ID.key() + " " + mine + " is registered by a connected replica: if that is not this "
                    + "task's previous run, choose a number not in " + replicas);
        } else {
            add("server-id", Status.PASS, Options.SOURCE_SERVER_ID.key() + " " + mine + " is free (source " + sourceServerId + ", replicas " + replicas + ")");
        }
    }

    private void kafka(boolean used, TopicMapping mapping) {
        if (!used) {
            if (!skipped("kafka")) {
                add("kafka", Status.SKIPPED, "no table goes to Kafka");
            }
            if (!skipped("kafka-topics")) {
                add("kafka-topics", Status.SKIPPED, "no table goes to Kafka");
            }
            return;
        }
        if (skipped("kafka")) {
            if (!skipped("kafka-topics")) {
                add("kafka-topics", Status.SKIPPED, "Kafka was not checked");
            }
            return;
        }
        String brokers = config.text(Options.KAFKA_BROKERS);
        KafkaSecurity security;
        try {
            security = KafkaSecurity.of(this.config);
        } catch (IllegalArgumentException e) {
            add("kafka", Status.FAIL, e.getMessage());
            return;
        }
        Properties config = new Properties();
        config.putAll(security.clientProperties());
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "8000");
        try (Admin admin = Admin.create(config)) {
            int nodes = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
            add("kafka", Status.PASS, "Kafka at " + brokers + " answers (" + nodes + " broker(s))");
            if (skipped("kafka-topics")) {
                return;
            }
            Map<String, TopicMethod> named = namedTopics(mapping);
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            Set<String> missing = new TreeSet<>(named.keySet());
            missing.removeAll(existing);
            Set<String> toCreate = new TreeSet<>();
            Set<String> absent = new TreeSet<>();
            missing.forEach(topic -> (named.get(topic) == TopicMethod.CREATE ? toCreate : absent).add(topic));
            boolean create = this.config.flag(Options.SCHEMA_SYNC_ENABLED);
            // the topics of the tables there are now (generated ones included): with schema sync off they must exist
            Set<String> generatedMissing = new TreeSet<>(topicsOf(tableTopics(mapping), TopicMapping.Target.KAFKA));
            if (this.config.flag(Options.FORMAT_DEBEZIUM_SCHEMA_CHANGE_TOPIC)) {
                // Debezium's schema-change topic, named after the task, receives every DDL
                generatedMissing.add(this.config.text(Options.TASK_NAME));
            }
            generatedMissing.removeAll(existing);
            generatedMissing.removeAll(named.keySet());
            if (!absent.isEmpty()) {
                add("kafka-topics", Status.FAIL, "missing " + absent + ", mapped as existing topics: create them, or map them with the create "
                        + "method (obsync.topic.mapping-method=create, or topic-method: create in the objects file)");
            } else if (!create && !generatedMissing.isEmpty()) {
                add("kafka-topics", Status.FAIL, "missing " + generatedMissing + " (topics of selected tables) and obsync.schema-sync.enabled=false: "
                        + "create them, or turn schema sync on");
            } else if (missing.isEmpty()) {
                add("kafka-topics", Status.PASS, named.isEmpty() ? "no named topics; generated ones are " + (create ? "created" : "needed") + " on use"
                        : "named topics exist: " + named.keySet());
            } else {
                add("kafka-topics", Status.PASS, "schema sync creates " + toCreate + " when the task starts");
            }
        } catch (Exception e) {
            add("kafka", Status.FAIL, TargetRefusals.kafka(e, brokers, security));
            if (!skipped("kafka-topics")) {
                add("kafka-topics", Status.SKIPPED, "Kafka could not be reached");
            }
        }
    }

    /** The named Kafka topics with their mapping method. */
    private Map<String, TopicMethod> namedTopics(TopicMapping mapping) {
        return namedTopics(mapping, TopicMapping.Target.KAFKA);
    }

    /** The topics of a target the task names (mapping, objects file, heartbeats) with their mapping method. */
    private Map<String, TopicMethod> namedTopics(TopicMapping mapping, TopicMapping.Target target) {
        if (settings == null) {
            return Map.of();
        }
        return TopicMapping.topicMethods(mapping, settings.objects(), config.choice(Options.TOPIC_MAPPING_METHOD, TopicMethod.class), target);
    }

    private void rocketmq(boolean used, TopicMapping mapping) {
        if (skipped("rocketmq")) {
            if (!skipped("rocketmq-topics")) {
                add("rocketmq-topics", Status.SKIPPED, "RocketMQ was not checked");
            }
            return;
        }
        if (!used) {
            add("rocketmq", Status.SKIPPED, "no table goes to RocketMQ");
            if (!skipped("rocketmq-topics")) {
                add("rocketmq-topics", Status.SKIPPED, "no table goes to RocketMQ");
            }
            return;
        }
        String namesrv = config.text(Options.ROCKETMQ_NAMESRV);
        List<String> down = TargetRefusals.unreachable(namesrv);
        if (down.isEmpty()) {
            add("rocketmq", Status.PASS, "name server(s) " + namesrv + " accept connections");
            rocketmqTopics(namesrv, mapping);
        } else {
            add("rocketmq", Status.FAIL, "name server(s) " + down + " do not accept connections: check obsync.rocketmq.namesrv and that they run");
            if (!skipped("rocketmq-topics")) {
                add("rocketmq-topics", Status.SKIPPED, "RocketMQ could not be reached");
            }
        }
    }

    /** RocketMQ topics are never created: every topic a table or the heartbeats go to must exist with writable queues. */
    private void rocketmqTopics(String namesrv, TopicMapping mapping) {
        if (skipped("rocketmq-topics")) {
            return;
        }
        Set<String> topics = new TreeSet<>(namedTopics(mapping, TopicMapping.Target.ROCKETMQ).keySet());
        topics.addAll(topicsOf(tableTopics(mapping), TopicMapping.Target.ROCKETMQ));
        if (topics.isEmpty()) {
            add("rocketmq-topics", Status.SKIPPED, "no RocketMQ topic is known yet (no selected table goes to RocketMQ now)");
            return;
        }
        DefaultMQProducer producer = RocketMqProducer.newProducer(
                config.text(Options.ROCKETMQ_PRODUCER_GROUP), namesrv, config.text(Options.ROCKETMQ_NAMESPACE),
                config.text(Options.ROCKETMQ_ACCESS_KEY), config.text(Options.ROCKETMQ_SECRET_KEY), false,
                "obsync-precheck-" + ProcessHandle.current().pid());
        Set<String> missing = new TreeSet<>();
        String refused = null;
        try {
            producer.start();
            for (String topic : topics) {
                try {
                    List<MessageQueue> queues = producer.fetchPublishMessageQueues(topic);
                    if (queues.isEmpty()) {
                        missing.add(topic);
                    } else if (refused == null) {
                        refused = TargetRefusals.rocketmqKeys(producer, queues.get(0));
                    }
                } catch (Exception e) {
                    missing.add(topic);
                }
            }
        } catch (Exception e) {
            add("rocketmq-topics", Status.FAIL, "the RocketMQ client could not start (" + TargetRefusals.rootMessage(e) + "): check obsync.rocketmq.namesrv and the ACL keys");
            return;
        } finally {
            producer.shutdown();
        }
        if (refused != null) {
            add("rocketmq-topics", Status.FAIL, "RocketMQ's broker refused the task's keys (" + refused + "): check "
                    + Options.ROCKETMQ_ACCESS_KEY.key() + " and " + Options.ROCKETMQ_SECRET_KEY.key());
        } else if (missing.isEmpty()) {
            add("rocketmq-topics", Status.PASS, "topics exist: " + topics);
        } else {
            add("rocketmq-topics", Status.FAIL, "missing " + missing + " (RocketMQ topics are never created): create each as a partition-ordered topic, "
                    + "e.g. mqadmin updateTopic -n " + namesrv + " -c <cluster> -t <topic> -o true");
        }
    }
}
