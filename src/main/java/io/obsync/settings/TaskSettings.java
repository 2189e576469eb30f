package io.obsync.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.obsync.config.Option;
import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import io.obsync.config.TopicMethod;
import io.obsync.config.TopicNames;
import io.obsync.destination.TopicMapping;
import io.obsync.filter.SyncObjects;
import io.obsync.filter.TableSelection;
import io.obsync.format.FormatName;
import io.obsync.format.MessageFormats;
import io.obsync.format.TaskFormat;
import io.obsync.manage.JmxRemote;
import io.obsync.manage.Standby;
import io.obsync.sink.Placement;
import io.obsync.sink.kafka.KafkaSecurity;
import io.obsync.sink.kafka.KafkaTransactions;
import io.obsync.source.SignalTable;
import io.obsync.source.StartTime;
import io.obsync.state.StateStores;

/**
 * A task's configuration judged once: every value against its declaration, then every rule between
 * options, giving the typed settings the task is built from. Start-up ({@code obsync run}, Camel Main,
 * {@code camel run}), the precheck's options item, verify and the other commands call {@link #of} and
 * so refuse the same configurations with the same sentence.
 *
 * @param config            the configuration the settings were read from, for options read as they are
 * @param topics            where each table's messages go (topic and target system)
 * @param format            the task's serialization method
 * @param formatOverrides   the format of topics that have their own ({@code obsync.format.topics})
 * @param formatSettings    what the formats need besides their name
 * @param objects           the sync objects and DML types
 * @param partitioning      the Kafka partitioning rule
 * @param kafkaSecurity     how obsync talks to Kafka
 * @param kafkaTopicMethods the Kafka topics the task names, with how each is mapped
 * @param exactlyOnce       whether messages and positions go in one Kafka transaction
 * @param standby           how instances of the task elect their active one
 * @param stateStore        where positions and schema history are kept
 * @param jmx               the remote JMX connector (not started)
 */
public record TaskSettings(TaskConfig config, TopicMapping topics, FormatName format, Map<String, FormatName> formatOverrides,
                           MessageFormats.Settings formatSettings, SyncObjects objects, Placement.Rule partitioning,
                           KafkaSecurity kafkaSecurity, Map<String, TopicMethod> kafkaTopicMethods, boolean exactlyOnce,
                           Standby.Service standby, StateStores.Kind stateStore, JmxRemote jmx) {

    /**
     * Judges a configuration.
     *
     * @throws IllegalArgumentException the values of the wrong type, one line each; else the first rule broken, in one sentence
     *                                  naming the options, their values (never a secret) and the fix
     */
    public static TaskSettings of(TaskConfig config) {
        checkValues(config);
        TopicMapping topics = new TopicMapping(config.text(Options.TOPIC_PATTERN), config.text(Options.TOPIC_MAPPING),
                config.text(Options.HEARTBEAT_TOPIC), config.text(Options.TARGET));
        FormatName format = MessageFormats.resolve(config.text(Options.FORMAT));
        topics.setSchemaChangeTopic(schemaChangeTopic(config, format));
        Map<String, FormatName> overrides = TaskFormat.parseOverrides(config.text(Options.FORMAT_TOPICS));
        String heartbeats = topics.heartbeatTopic();
        TaskFormat.checkFits(format, Options.FORMAT.key() + " is '" + config.text(Options.FORMAT) + "'", topics.usesTarget(TopicMapping.Target.ROCKETMQ),
                heartbeats != null && !overrides.containsKey(heartbeats));
        overrides.forEach((topic, name) -> {
            TopicNames.requireValid(topic, Options.FORMAT_TOPICS.key(), "name an existing topic");
            TaskFormat.checkFits(name, Options.FORMAT_TOPICS.key() + " gives topic '" + topic + "' the " + name.displayName() + " format",
                    topics.targetOfTopic(topic) == TopicMapping.Target.ROCKETMQ, topic.equals(heartbeats));
        });
        MessageFormats.Settings formatSettings = MessageFormats.Settings.of(config);
        if (!config.text(Options.SOURCE_SIGNAL_TABLE).isBlank()) {
            SignalTable.parse(config.text(Options.SOURCE_SIGNAL_TABLE));
        }
        String startTime = config.text(Options.SOURCE_START_TIME);
        if ((StartTime.parse(startTime) != null || StartTime.isPosition(startTime)) && config.flag(Options.FULL_SYNC_ENABLED)) {
            throw new IllegalArgumentException(Options.FULL_SYNC_ENABLED.key() + " is true and " + Options.SOURCE_START_TIME.key() + " is '"
                    + startTime + "': full synchronization streams the changes from the moment the task starts; unset one of them.");
        }
        SyncObjects objects = SyncObjects.load(config.text(Options.OBJECTS_FILE), config.text(Options.DML));
        boolean schemaSync = config.flag(Options.SCHEMA_SYNC_ENABLED);
        Map<String, TopicMethod> kafkaTopicMethods = TopicMapping.kafkaTopicMethods(topics, objects,
                config.choice(Options.TOPIC_MAPPING_METHOD, TopicMethod.class));
        TopicMethod.check(schemaSync, kafkaTopicMethods);
        KafkaSecurity kafkaSecurity = KafkaSecurity.of(config);
        boolean exactlyOnce = KafkaTransactions.enabled(config);
        if (exactlyOnce && topics.usesTarget(TopicMapping.Target.ROCKETMQ)) {
            throw new IllegalArgumentException(KafkaTransactions.NO_ROCKETMQ);
        }
        Standby.Service standby = config.choice(Options.STANDBY_CLUSTER_SERVICE, Standby.Service.class);
        Standby.check(config, standby);
        StateStores.Kind stateStore = config.choice(Options.STATE_STORE, StateStores.Kind.class);
        StateStores.check(config, config.text(Options.TASK_NAME), stateStore);
        JmxRemote jmx = JmxRemote.of(config);
        // last, so that a configuration that is wrong in itself says so before it asks for the password
        if (config.text(Options.SOURCE_PASSWORD).isEmpty()) {
            throw new IllegalArgumentException(Options.SOURCE_PASSWORD.key() + " is empty: set obsync.source.password in application.properties "
                    + "or the environment variable OBSYNC_SOURCE_PASSWORD.");
        }
        return new TaskSettings(config, topics, format, Map.copyOf(overrides), formatSettings, objects,
                config.choice(Options.KAFKA_PARTITIONING, Placement.Rule.class), kafkaSecurity, Map.copyOf(kafkaTopicMethods),
                exactlyOnce, standby, stateStore, jmx);
    }

    /** Every option's value against its declaration (type, range, choices, secret files): one line per wrong value. */
    public static void checkValues(TaskConfig config) {
        List<String> faults = new ArrayList<>();
        for (Option option : Options.all()) {
            try {
                config.text(option);
            } catch (IllegalArgumentException e) {
                faults.add(e.getMessage());
            }
        }
        if (!faults.isEmpty()) {
            throw new IllegalArgumentException(String.join(System.lineSeparator(), faults));
        }
    }

    /**
     * Debezium's schema-change topic (named after the task, as Debezium names it after topic.prefix) when
     * obsync.format.debezium.schema-change-topic is true, else null: DDL goes to each table's topic.
     */
    private static String schemaChangeTopic(TaskConfig config, FormatName format) {
        if (!config.flag(Options.FORMAT_DEBEZIUM_SCHEMA_CHANGE_TOPIC)) {
            return null;
        }
        if (format != FormatName.DEBEZIUM && format != FormatName.DEBEZIUM_FLATTEN && format != FormatName.DEBEZIUM_SMT) {
            throw new IllegalArgumentException(Options.FORMAT_DEBEZIUM_SCHEMA_CHANGE_TOPIC.key() + " is true but " + Options.FORMAT.key() + " is '"
                    + config.text(Options.FORMAT) + "': the schema-change topic is Debezium's; use Debezium, DebeziumFlatten or DebeziumSmt, "
                    + "or set the option to false.");
        }
        return config.text(Options.TASK_NAME);
    }

    /** Which source tables the task syncs: obsync.source.databases and the objects file, never the signal table. */
    public TableSelection tables() {
        TableSelection tables = new TableSelection(config.text(Options.SOURCE_DATABASES), objects);
        String signals = config.text(Options.SOURCE_SIGNAL_TABLE);
        if (!signals.isBlank()) {
            tables.excluding(SignalTable.parse(signals)::holds);
        }
        return tables;
    }

    /** The Kafka partition of the ONE rule. */
    public int partition() {
        return config.integer(Options.KAFKA_PARTITION);
    }
}
