package io.obsync;

import java.util.LinkedHashMap;
import java.util.Map;

import io.obsync.filter.ObjectSelection;
import io.obsync.filter.ObjectsFileWatcher;
import io.obsync.source.SourceSchemaCheck;
import io.obsync.filter.SyncObjects;
import io.obsync.format.BusinessSystemId;
import io.obsync.format.DebeziumTombstones;
import io.obsync.format.FormatName;
import io.obsync.format.FormatSkips;
import io.obsync.format.JsonChangeEventFormat;
import io.obsync.format.TaskFormat;
import io.obsync.config.TopicNames;
import io.obsync.format.MessageFormats;
import io.obsync.route.KafkaPartitioner;
import io.obsync.route.ShardingKey;
import io.obsync.manage.Throttle;
import io.obsync.config.TopicMethod;
import io.obsync.route.TopicMapping;
import io.obsync.sink.KafkaTopicMetadata;
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

    private static String property(CamelContext camelContext, String key, String fallback) {
        // not "{{key:fallback}}": a fallback such as the topic pattern holds braces itself
        return camelContext.getPropertiesComponent().resolveProperty(key).orElse(fallback);
    }

    private static int number(CamelContext camelContext, String key, String fallback) {
        String value = property(camelContext, key, fallback).trim();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is '" + value + "': give a whole number.");
        }
    }

    /** The task's serialization method ({@code obsync.format}) and per-topic overrides ({@code obsync.format.topics}). */
    @BindToRegistry("messageFormat")
    public DataFormat messageFormat(CamelContext camelContext) {
        String format = property(camelContext, "obsync.format", "Default");
        String overrides = property(camelContext, "obsync.format.topics", "");
        TopicMapping topicMapping = topicMapping(camelContext);
        FormatName taskFormat = MessageFormats.resolve(format);
        TaskFormat.checkFits(taskFormat, "obsync.format is '" + format + "'", topicMapping.usesTarget(TopicMapping.Target.ROCKETMQ),
                topicMapping.heartbeatTopic() != null && !TaskFormat.parseOverrides(overrides).containsKey(topicMapping.heartbeatTopic()));
        MessageFormats.Settings settings = settings(camelContext);
        Map<String, JsonChangeEventFormat> byTopic = new LinkedHashMap<>();
        TaskFormat.parseOverrides(overrides).forEach((topic, name) -> {
            TopicNames.requireValid(topic, "obsync.format.topics", "name an existing topic");
            TaskFormat.checkFits(name, "obsync.format.topics gives topic '" + topic + "' the " + name.displayName() + " format",
                    topicMapping.targetOfTopic(topic) == TopicMapping.Target.ROCKETMQ, topic.equals(topicMapping.heartbeatTopic()));
            byTopic.put(topic, MessageFormats.create(name, settings));
        });
        return new TaskFormat(MessageFormats.create(taskFormat, settings), byTopic);
    }

    private static MessageFormats.Settings settings(CamelContext camelContext) {
        return MessageFormats.Settings.of(key -> camelContext.resolvePropertyPlaceholders("{{" + key + ":}}"));
    }

    private static boolean flag(String value, String property) {
        return MessageFormats.Settings.flag(value, property);
    }

    /** Drops events the topic's format cannot express, with a warning and a count. */
    @BindToRegistry("formatSkips")
    public FormatSkips formatSkips() {
        return new FormatSkips("messageFormat");
    }

    /** Debezium family: a null-value message after each DELETE, for log compaction (off by default). */
    @BindToRegistry("debeziumTombstones")
    public DebeziumTombstones debeziumTombstones(CamelContext camelContext) {
        return new DebeziumTombstones(flag(property(camelContext, "obsync.format.debezium.tombstones-on-delete", "false"),
                "obsync.format.debezium.tombstones-on-delete"), "messageFormat");
    }

    /** The sync objects (obsync.objects.file) and the DML types (obsync.dml). */
    @BindToRegistry("objectSelection")
    public synchronized ObjectSelection objectSelection(CamelContext camelContext) {
        if (objectSelection == null) {
            String file = property(camelContext, "obsync.objects.file", "");
            SyncObjects objects = SyncObjects.load(file, property(camelContext, "obsync.dml", "INSERT,UPDATE,DELETE"));
            if (!file.isBlank()) {
                // filters, columns and sharding against the tables the source has now
                SourceSchemaCheck.check(objects, camelContext.resolvePropertyPlaceholders("{{obsync.source.hostname}}"),
                        Integer.parseInt(camelContext.resolvePropertyPlaceholders("{{obsync.source.port}}").trim()),
                        camelContext.resolvePropertyPlaceholders("{{obsync.source.user}}"),
                        camelContext.resolvePropertyPlaceholders("{{obsync.source.password:}}"),
                        camelContext.resolvePropertyPlaceholders("{{obsync.source.ssl-mode:preferred}}"));
            }
            objectSelection = new ObjectSelection(objects, flag(property(camelContext, "obsync.ddl.enabled", "false"), "obsync.ddl.enabled"));
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
            TopicMapping mapping = new TopicMapping(property(camelContext, "obsync.topic.pattern", "Topic_${Database Name}_${Table Name}"),
                    property(camelContext, "obsync.topic.mapping", ""), property(camelContext, "obsync.heartbeat.topic", ""),
                    property(camelContext, "obsync.target", "kafka"));
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
        if (!flag(property(camelContext, "obsync.format.debezium.schema-change-topic", "false"), "obsync.format.debezium.schema-change-topic")) {
            return null;
        }
        String format = property(camelContext, "obsync.format", "Default");
        FormatName name = MessageFormats.resolve(format);
        if (name != FormatName.DEBEZIUM && name != FormatName.DEBEZIUM_FLATTEN && name != FormatName.DEBEZIUM_SMT) {
            throw new IllegalArgumentException("obsync.format.debezium.schema-change-topic is true but obsync.format is '" + format
                    + "': the schema-change topic is Debezium's; use Debezium, DebeziumFlatten or DebeziumSmt, or set the option to false.");
        }
        return camelContext.resolvePropertyPlaceholders("{{obsync.task.name}}");
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
            KafkaTopicMetadata metadata = new KafkaTopicMetadata(camelContext.resolvePropertyPlaceholders("{{obsync.kafka.brokers}}"));
            boolean schemaSync = flag(property(camelContext, "obsync.schema-sync.enabled", "true"), "obsync.schema-sync.enabled");
            metadata.setCreateMissing(schemaSync, number(camelContext, "obsync.schema-sync.partitions", "3"),
                    number(camelContext, "obsync.schema-sync.replication-factor", "1"));
            // named topics: existing ones must be there, those to create are created at start-up; one method per task
            Map<String, TopicMethod> methods = TopicMapping.kafkaTopicMethods(topicMapping(camelContext), objectSelection(camelContext).objects(),
                    TopicMethod.parse(property(camelContext, "obsync.topic.mapping-method", "existing"), "obsync.topic.mapping-method",
                            TopicMethod.EXISTING));
            TopicMethod.check(schemaSync, methods);
            metadata.setTopicMethods(methods);
            metadata.setSinglePartitionTopic(topicMapping(camelContext).schemaChangeTopic());
            kafkaTopicMetadata = metadata;
        }
        return kafkaTopicMetadata;
    }

    @BindToRegistry("kafkaPartitioner")
    public KafkaPartitioner kafkaPartitioner(CamelContext camelContext) {
        KafkaPartitioner partitioner = new KafkaPartitioner(property(camelContext, "obsync.kafka.partitioning", "hash"),
                number(camelContext, "obsync.kafka.partition", "0"), kafkaTopicMetadata(camelContext));
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

    /** At most so many messages and bytes per second, full and incremental synchronization apart (obsync.throttle.*). */
    @BindToRegistry("throttle")
    public Throttle throttle(CamelContext camelContext) {
        Throttle throttle = new Throttle(taskStatus(camelContext));
        throttle.setLimits(true, limit(camelContext, "obsync.throttle.full.records-per-second"),
                limit(camelContext, "obsync.throttle.full.bytes-per-second"));
        throttle.setLimits(false, limit(camelContext, "obsync.throttle.incremental.records-per-second"),
                limit(camelContext, "obsync.throttle.incremental.bytes-per-second"));
        return throttle;
    }

    private static long limit(CamelContext camelContext, String property) {
        return Throttle.parseLimit(property, camelContext.resolvePropertyPlaceholders("{{" + property + ":}}"));
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        taskStatus(camelContext);
        MessageFormats.Settings settings = settings(camelContext);
        // every format this build writes, by name, for routes that marshal some topics differently
        for (FormatName name : MessageFormats.writers()) {
            camelContext.getRegistry().bind(name.displayName(), DataFormat.class, MessageFormats.create(name, settings));
        }
        // edits of the objects file reach the running task
        String objectsFile = camelContext.resolvePropertyPlaceholders("{{obsync.objects.file:}}");
        long reload = Long.parseLong(camelContext.resolvePropertyPlaceholders("{{obsync.objects.reload-interval-ms:2000}}").trim());
        if (!objectsFile.isBlank() && reload > 0) {
            camelContext.addService(new ObjectsFileWatcher(camelContext, java.nio.file.Path.of(objectsFile.trim()),
                    camelContext.resolvePropertyPlaceholders("{{obsync.dml:INSERT,UPDATE,DELETE}}"), reload,
                    objectSelection(camelContext)));
        }
        // the task's own MBean, io.obsync:type=Task,name=<task>, next to Camel's route MBeans
        String taskName = camelContext.resolvePropertyPlaceholders("{{obsync.task.name}}");
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
            if (meters != null && meters.find("obsync.events.read").tag("task", taskName).functionCounter() == null) {
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
        // remote JMX (obsync.jmx.port): loopback by default, with a password file when exposed
        camelContext.addService(new io.obsync.manage.JmxRemote(camelContext.resolvePropertyPlaceholders("{{obsync.jmx.host:127.0.0.1}}"),
                camelContext.resolvePropertyPlaceholders("{{obsync.jmx.port:}}"),
                camelContext.resolvePropertyPlaceholders("{{obsync.jmx.password-file:}}")));
        // the admin client closes with the context
        camelContext.addService(kafkaTopicMetadata(camelContext));
    }
}
