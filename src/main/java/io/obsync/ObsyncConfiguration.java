package io.obsync;

import java.util.LinkedHashMap;
import java.util.Map;

import io.obsync.config.Option;
import io.obsync.config.TaskConfig;
import io.obsync.config.Options;
import io.obsync.filter.ObjectSelection;
import io.obsync.filter.ObjectsFileWatcher;
import io.obsync.source.SourceSchemaCheck;
import io.obsync.filter.SyncObjects;
import io.obsync.format.BusinessSystemId;
import io.obsync.format.DebeziumTombstones;
import io.obsync.format.FormatName;
import io.obsync.format.JsonChangeEventFormat;
import io.obsync.format.TaskFormat;
import io.obsync.config.TopicNames;
import io.obsync.format.MessageFormats;
import io.obsync.route.KafkaPartitioner;
import io.obsync.route.Lanes;
import io.obsync.route.ShardingKey;
import io.obsync.manage.Throttle;
import io.obsync.config.TopicMethod;
import io.obsync.route.TopicMapping;
import io.obsync.sink.kafka.KafkaSecurity;
import io.obsync.sink.kafka.KafkaTopicMetadata;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.aggregate.GroupedMessageAggregationStrategy;
import org.apache.camel.spi.DataFormat;

/**
 * The beans the YAML routes refer to by name, built from {@code obsync.*} properties.
 * Loaded through {@code camel.main.configuration-classes} in application.properties.
 */
public class ObsyncConfiguration implements CamelConfiguration {

    // Beans that others need are built once, on first use, whatever order Camel binds them in
    // (camel run binds the methods of this class in another order than Camel Main does).
    private TopicMapping topicMapping;
    private ObjectSelection objectSelection;
    private KafkaTopicMetadata kafkaTopicMetadata;
    private Lanes lanes;
    private org.apache.camel.spi.RoutePolicy standby;

    /** An option's value as the task sees it (file, environment, overrides), checked by its type; its default when unset. */
    static String value(CamelContext camelContext, Option option) {
        return config(camelContext).text(option);
    }

    /** The task's configuration as Camel resolves it (not "{{key:default}}": a default such as the topic pattern holds braces). */
    static TaskConfig config(CamelContext camelContext) {
        return TaskConfig.of(camelContext);
    }

    /** The task's serialization method ({@code obsync.format}) and per-topic overrides ({@code obsync.format.topics}). */
    @BindToRegistry("messageFormat")
    public DataFormat messageFormat(CamelContext camelContext) {
        String format = value(camelContext, Options.FORMAT);
        String overrides = value(camelContext, Options.FORMAT_TOPICS);
        TopicMapping topicMapping = topicMapping(camelContext);
        FormatName taskFormat = MessageFormats.resolve(format);
        TaskFormat.checkFits(taskFormat, Options.FORMAT.key() + " is '" + format + "'", topicMapping.usesTarget(TopicMapping.Target.ROCKETMQ),
                topicMapping.heartbeatTopic() != null && !TaskFormat.parseOverrides(overrides).containsKey(topicMapping.heartbeatTopic()));
        MessageFormats.Settings settings = settings(camelContext);
        Map<String, JsonChangeEventFormat> byTopic = new LinkedHashMap<>();
        TaskFormat.parseOverrides(overrides).forEach((topic, name) -> {
            TopicNames.requireValid(topic, Options.FORMAT_TOPICS.key(), "name an existing topic");
            TaskFormat.checkFits(name, Options.FORMAT_TOPICS.key() + " gives topic '" + topic + "' the " + name.displayName() + " format",
                    topicMapping.targetOfTopic(topic) == TopicMapping.Target.ROCKETMQ, topic.equals(topicMapping.heartbeatTopic()));
            byTopic.put(topic, MessageFormats.create(name, settings));
        });
        return new TaskFormat(MessageFormats.create(taskFormat, settings), byTopic);
    }

    private static MessageFormats.Settings settings(CamelContext camelContext) {
        return MessageFormats.Settings.of(key -> camelContext.resolvePropertyPlaceholders("{{" + key + ":}}"));
    }



    /** Debezium family: a null-value message after each DELETE, for log compaction (off by default). */
    @BindToRegistry("debeziumTombstones")
    public DebeziumTombstones debeziumTombstones(CamelContext camelContext) {
        return new DebeziumTombstones(Boolean.parseBoolean(value(camelContext, Options.FORMAT_DEBEZIUM_TOMBSTONES_ON_DELETE)), "messageFormat");
    }

    /** The sync objects (obsync.objects.file) and the DML types (obsync.dml). */
    @BindToRegistry("objectSelection")
    public synchronized ObjectSelection objectSelection(CamelContext camelContext) {
        if (objectSelection == null) {
            String file = value(camelContext, Options.OBJECTS_FILE);
            SyncObjects objects = SyncObjects.load(file, value(camelContext, Options.DML));
            if (!file.isBlank()) {
                // filters, columns and sharding against the tables the source has now
                SourceSchemaCheck.check(objects, value(camelContext, Options.SOURCE_HOSTNAME),
                        Integer.parseInt(value(camelContext, Options.SOURCE_PORT)),
                        value(camelContext, Options.SOURCE_USER),
                        value(camelContext, Options.SOURCE_PASSWORD),
                        value(camelContext, Options.SOURCE_SSL_MODE));
            }
            objectSelection = new ObjectSelection(objects, Boolean.parseBoolean(value(camelContext, Options.DDL_ENABLED)));
        }
        return objectSelection;
    }

    /** Drops tables, DML types and rows outside the selection; sets an object's own topic. */
    @BindToRegistry("objectSelect")
    public org.apache.camel.Processor objectSelect(CamelContext camelContext) {
        return objectSelection(camelContext).select();
    }

    /** Keeps an object's selected columns (after the record key was taken from the whole row). */
    @BindToRegistry("objectProject")
    public org.apache.camel.Processor objectProject(CamelContext camelContext) {
        return objectSelection(camelContext).project();
    }

    @BindToRegistry("topicMapping")
    public synchronized TopicMapping topicMapping(CamelContext camelContext) {
        if (topicMapping == null) {
            TopicMapping mapping = new TopicMapping(value(camelContext, Options.TOPIC_PATTERN),
                    value(camelContext, Options.TOPIC_MAPPING), value(camelContext, Options.HEARTBEAT_TOPIC),
                    value(camelContext, Options.TARGET));
            mapping.setSchemaChangeTopic(schemaChangeTopic(camelContext));
            topicMapping = mapping;
        }
        return topicMapping;
    }

    /**
     * Debezium's schema-change topic (named after the task, as Debezium names it after topic.prefix) when
     * obsync.format.debezium.schema-change-topic is true, else null: DDL goes to each table's topic.
     */
    private static String schemaChangeTopic(CamelContext camelContext) {
        if (!Boolean.parseBoolean(value(camelContext, Options.FORMAT_DEBEZIUM_SCHEMA_CHANGE_TOPIC))) {
            return null;
        }
        String format = value(camelContext, Options.FORMAT);
        FormatName name = MessageFormats.resolve(format);
        if (name != FormatName.DEBEZIUM && name != FormatName.DEBEZIUM_FLATTEN && name != FormatName.DEBEZIUM_SMT) {
            throw new IllegalArgumentException(Options.FORMAT_DEBEZIUM_SCHEMA_CHANGE_TOPIC.key() + " is true but obsync.format is '" + format
                    + "': the schema-change topic is Debezium's; use Debezium, DebeziumFlatten or DebeziumSmt, or set the option to false.");
        }
        return value(camelContext, Options.TASK_NAME);
    }

    @BindToRegistry("shardingKey")
    public ShardingKey shardingKey() {
        return new ShardingKey();
    }

    /** Collects the halves of a key-moving UPDATE back into one exchange as a list of messages. */
    @BindToRegistry("groupedMessages")
    public GroupedMessageAggregationStrategy groupedMessages() {
        return new GroupedMessageAggregationStrategy();
    }

    @BindToRegistry("kafkaTopicMetadata")
    public synchronized KafkaTopicMetadata kafkaTopicMetadata(CamelContext camelContext) {
        if (kafkaTopicMetadata == null) {
            KafkaTopicMetadata metadata = new KafkaTopicMetadata(value(camelContext, Options.KAFKA_BROKERS),
                    KafkaSecurity.of(config(camelContext)).clientProperties());
            boolean schemaSync = Boolean.parseBoolean(value(camelContext, Options.SCHEMA_SYNC_ENABLED));
            metadata.setCreateMissing(schemaSync, Integer.parseInt(value(camelContext, Options.SCHEMA_SYNC_PARTITIONS)),
                    Integer.parseInt(value(camelContext, Options.SCHEMA_SYNC_REPLICATION_FACTOR)));
            // named topics: existing ones must be there, those to create are created at start-up; one method per task
            Map<String, TopicMethod> methods = TopicMapping.kafkaTopicMethods(topicMapping(camelContext), objectSelection(camelContext).objects(),
                    TopicMethod.parse(value(camelContext, Options.TOPIC_MAPPING_METHOD), Options.TOPIC_MAPPING_METHOD.key(),
                            TopicMethod.EXISTING));
            TopicMethod.check(schemaSync, methods);
            metadata.setTopicMethods(methods);
            metadata.setSinglePartitionTopic(topicMapping(camelContext).schemaChangeTopic());
            kafkaTopicMetadata = metadata;
        }
        return kafkaTopicMetadata;
    }

    /** The pipeline's lanes (obsync.pipeline.lanes): marshalling and sending on several threads, in order per partition or queue. */
    @BindToRegistry("lanes")
    public synchronized Lanes lanes(CamelContext camelContext) {
        if (lanes == null) {
            lanes = new Lanes(camelContext, config(camelContext).integer(Options.PIPELINE_LANES), value(camelContext, Options.KAFKA_PARTITIONING));
        }
        return lanes;
    }

    @BindToRegistry("kafkaPartitioner")
    public KafkaPartitioner kafkaPartitioner(CamelContext camelContext) {
        KafkaPartitioner partitioner = new KafkaPartitioner(value(camelContext, Options.KAFKA_PARTITIONING),
                Integer.parseInt(value(camelContext, Options.KAFKA_PARTITION)), kafkaTopicMetadata(camelContext));
        partitioner.setSchemaChangeTopic(topicMapping(camelContext).schemaChangeTopic());
        return partitioner;
    }

    /** The task's live state: the one the launcher bound, else one of its own (under {@code camel run}). */
    static synchronized io.obsync.manage.TaskStatus taskStatus(CamelContext camelContext) {
        io.obsync.manage.TaskStatus status = camelContext.getRegistry().findSingleByType(io.obsync.manage.TaskStatus.class);
        if (status == null) {
            status = new io.obsync.manage.TaskStatus();
            camelContext.getRegistry().bind("taskStatus", io.obsync.manage.TaskStatus.class, status);
        }
        return status;
    }

    /**
     * The policy of the route that reads the binlog: with {@code obsync.standby.cluster-service} it runs only
     * on the instance its group elected (Camel's clustered route policy), else it simply runs.
     */
    @BindToRegistry("standby")
    public synchronized org.apache.camel.spi.RoutePolicy standby(CamelContext camelContext) throws Exception {
        if (standby == null) {
            standby = io.obsync.manage.Standby.policy(camelContext, config(camelContext), taskStatus(camelContext));
        }
        return standby;
    }

    /** At most so many messages and bytes per second, full and incremental synchronization apart (obsync.throttle.*). */
    @BindToRegistry("throttle")
    public Throttle throttle(CamelContext camelContext) {
        Throttle throttle = new Throttle(taskStatus(camelContext));
        throttle.setLimits(true, limit(camelContext, Options.THROTTLE_FULL_RECORDS_PER_SECOND.key()),
                limit(camelContext, Options.THROTTLE_FULL_BYTES_PER_SECOND.key()));
        throttle.setLimits(false, limit(camelContext, Options.THROTTLE_INCREMENTAL_RECORDS_PER_SECOND.key()),
                limit(camelContext, Options.THROTTLE_INCREMENTAL_BYTES_PER_SECOND.key()));
        return throttle;
    }

    private static long limit(CamelContext camelContext, String property) {
        return Throttle.parseLimit(property, camelContext.resolvePropertyPlaceholders("{{" + property + ":}}"));
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        taskStatus(camelContext);
        // SASL and TLS towards Kafka on Camel's Kafka component: the kafka step's producers take them from
        // there, so that no route (nor a route dump) holds a password
        KafkaSecurity.of(config(camelContext)).applyTo(camelContext.getComponent("kafka", KafkaComponent.class).getConfiguration());
        // exactly-once: the Kafka step sends through the task's transactional producer, which the source begins and commits
        if (io.obsync.sink.kafka.KafkaTransactions.enabled(config(camelContext))) {
            if (topicMapping(camelContext).usesTarget(TopicMapping.Target.ROCKETMQ)) {
                throw new IllegalArgumentException(io.obsync.sink.kafka.KafkaTransactions.NO_ROCKETMQ);
            }
            io.obsync.sink.kafka.KafkaTransactions transactions = io.obsync.sink.kafka.KafkaTransactions.of(config(camelContext));
            camelContext.getComponent("kafka", KafkaComponent.class).setKafkaClientFactory(transactions);
            camelContext.getRegistry().bind("kafkaTransactions", io.obsync.sink.kafka.KafkaTransactions.class, transactions);
            camelContext.addService(transactions);
        }
        MessageFormats.Settings settings = settings(camelContext);
        // every format this build writes, by name, for routes that marshal some topics differently
        for (FormatName name : MessageFormats.writers()) {
            camelContext.getRegistry().bind(name.displayName(), DataFormat.class, MessageFormats.create(name, settings));
        }
        // edits of the objects file reach the running task
        String objectsFile = value(camelContext, Options.OBJECTS_FILE);
        long reload = Long.parseLong(value(camelContext, Options.OBJECTS_RELOAD_INTERVAL_MS));
        if (!objectsFile.isBlank() && reload > 0) {
            camelContext.addService(new ObjectsFileWatcher(camelContext, java.nio.file.Path.of(objectsFile.trim()),
                    value(camelContext, Options.DML), reload,
                    objectSelection(camelContext)));
        }
        // the task's own MBean, io.obsync:type=Task,name=<task>, next to Camel's route MBeans
        String taskName = value(camelContext, Options.TASK_NAME);
        camelContext.addStartupListener((context, alreadyStarted) -> {
            io.obsync.manage.TaskStatus status = taskStatus(context);
            Throttle throttle = context.getRegistry().lookupByNameAndType("throttle", Throttle.class);
            // DOWN at the management server's health endpoint once the task has failed
            org.apache.camel.health.HealthCheckRegistry health = org.apache.camel.health.HealthCheckRegistry.get(context);
            if (health != null && health.getCheck("task").isEmpty()) {
                health.register(new io.obsync.manage.TaskHealthCheck(taskName, status));
            }
            // the task's figures for Prometheus, in Camel's Micrometer registry (camel.metrics.enabled)
            var meters = context.getRegistry().findSingleByType(io.micrometer.core.instrument.MeterRegistry.class);
            if (meters != null && meters.find(io.obsync.manage.TaskMetrics.EVENTS_READ).tag("task", taskName).functionCounter() == null) {
                io.obsync.manage.TaskMetrics.bind(meters, status, taskName, throttle);
            }
            var management = context.getManagementStrategy() == null ? null : context.getManagementStrategy().getManagementAgent();
            if (management != null) {
                javax.management.ObjectName name = new javax.management.ObjectName("io.obsync:type=Task,name="
                        + javax.management.ObjectName.quote(taskName));
                if (!management.isRegistered(name)) {
                    // pause and resume stop and start the route that reads the binlog, whatever the routes call it
                    String sourceRoute = context.getRoutes().stream().filter(r -> r.getEndpoint() instanceof io.obsync.source.BinlogEndpoint)
                            .map(org.apache.camel.Route::getRouteId).findFirst().orElse("source");
                    management.register(new io.obsync.manage.TaskManagement(context, status, sourceRoute, throttle), name);
                }
            }
        });
        // remote JMX (obsync.jmx.port): loopback by default, with a password file when exposed, TLS with a key store
        camelContext.addService(io.obsync.manage.JmxRemote.of(config(camelContext)));
        // the admin client closes with the context
        camelContext.addService(kafkaTopicMetadata(camelContext));
        // the lanes' threads start and stop with the context
        camelContext.addService(lanes(camelContext));
    }
}
