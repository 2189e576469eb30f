package io.obsync;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import javax.management.ObjectName;

import io.micrometer.core.instrument.MeterRegistry;
import io.obsync.config.Option;
import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import io.obsync.destination.KafkaPartitioner;
import io.obsync.destination.Lanes;
import io.obsync.destination.ShardingKey;
import io.obsync.destination.TopicMapping;
import io.obsync.filter.ObjectSelection;
import io.obsync.filter.ObjectsFileWatcher;
import io.obsync.format.DebeziumTombstones;
import io.obsync.format.FormatName;
import io.obsync.format.JsonChangeEventFormat;
import io.obsync.format.MessageFormats;
import io.obsync.format.TaskFormat;
import io.obsync.manage.ConsoleAccess;
import io.obsync.manage.Standby;
import io.obsync.manage.TaskConsole;
import io.obsync.manage.TaskHealthCheck;
import io.obsync.manage.TaskManagement;
import io.obsync.manage.TaskMetrics;
import io.obsync.manage.TaskStatus;
import io.obsync.manage.Throttle;
import io.obsync.settings.TaskSettings;
import io.obsync.sink.DeliveryTargets;
import io.obsync.sink.kafka.KafkaTopicMetadata;
import io.obsync.sink.kafka.KafkaTransactions;
import io.obsync.source.BinlogEndpoint;
import io.obsync.source.SourceSchemaCheck;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.processor.aggregate.GroupedMessageAggregationStrategy;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.ManagementAgent;
import org.apache.camel.spi.RoutePolicy;

/**
 * The beans the YAML routes refer to by name, built from the task's settings ({@link TaskSettings}: every
 * option judged once). Loaded through {@code camel.main.configuration-classes} in application.properties.
 */
public class ObsyncConfiguration implements CamelConfiguration {

    // Beans that others need are built once, on first use, whatever order Camel binds them in
    // (camel run binds the methods of this class in another order than Camel Main does).
    private TaskSettings settings;
    private ObjectSelection objectSelection;
    private KafkaTopicMetadata kafkaTopicMetadata;
    private Lanes lanes;
    private RoutePolicy standby;

    /**
     * Every option's declared default as one of Camel's initial properties, below the properties file, the
     * environment and the task's own settings: the routes name options without defaults of their own.
     */
    public static Properties defaults() {
        Properties defaults = new Properties();
        for (Option option : Options.all()) {
            defaults.setProperty(option.key(), option.defaultValue());
        }
        return defaults;
    }

    /** The task's settings, judged once per task (the first bean that needs them, or {@link #configure}). */
    synchronized TaskSettings settings(CamelContext camelContext) {
        if (settings == null) {
            settings = TaskSettings.of(TaskConfig.of(camelContext));
        }
        return settings;
    }

    private TaskConfig config(CamelContext camelContext) {
        return settings(camelContext).config();
    }

    /** The task's serialization method ({@code obsync.format}) and per-topic overrides ({@code obsync.format.topics}). */
    @BindToRegistry("messageFormat")
    public DataFormat messageFormat(CamelContext camelContext) {
        TaskSettings task = settings(camelContext);
        Map<String, JsonChangeEventFormat> byTopic = new LinkedHashMap<>();
        task.formatOverrides().forEach((topic, name) -> byTopic.put(topic, MessageFormats.create(name, task.formatSettings())));
        return new TaskFormat(MessageFormats.create(task.format(), task.formatSettings()), byTopic);
    }

    /** Debezium family: a null-value message after each DELETE, for log compaction (off by default). */
    @BindToRegistry("debeziumTombstones")
    public DebeziumTombstones debeziumTombstones(CamelContext camelContext) {
        return new DebeziumTombstones(config(camelContext).flag(Options.FORMAT_DEBEZIUM_TOMBSTONES_ON_DELETE), "messageFormat");
    }

    /** The sync objects (obsync.objects.file) and the DML types (obsync.dml). */
    @BindToRegistry("objectSelection")
    public synchronized ObjectSelection objectSelection(CamelContext camelContext) {
        if (objectSelection == null) {
            TaskSettings task = settings(camelContext);
            TaskConfig config = task.config();
            if (!config.text(Options.OBJECTS_FILE).isBlank()) {
                // filters, columns and sharding against the tables the source has now
                SourceSchemaCheck.check(task.objects(), config.text(Options.SOURCE_HOSTNAME), config.integer(Options.SOURCE_PORT),
                        config.text(Options.SOURCE_USER), config.text(Options.SOURCE_PASSWORD), config.text(Options.SOURCE_SSL_MODE));
            }
            objectSelection = new ObjectSelection(task.objects(), config.flag(Options.DDL_ENABLED));
        }
        return objectSelection;
    }

    /** Drops tables, DML types and rows outside the selection; sets an object's own topic. */
    @BindToRegistry("objectSelect")
    public Processor objectSelect(CamelContext camelContext) {
        return objectSelection(camelContext).select();
    }

    /** Keeps an object's selected columns (after the record key was taken from the whole row). */
    @BindToRegistry("objectProject")
    public Processor objectProject(CamelContext camelContext) {
        return objectSelection(camelContext).project();
    }

    @BindToRegistry("topicMapping")
    public TopicMapping topicMapping(CamelContext camelContext) {
        return settings(camelContext).topics();
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
            TaskSettings task = settings(camelContext);
            TaskConfig config = task.config();
            KafkaTopicMetadata metadata = new KafkaTopicMetadata(config.text(Options.KAFKA_BROKERS), task.kafkaSecurity().clientProperties());
            metadata.setCreateMissing(config.flag(Options.SCHEMA_SYNC_ENABLED), config.integer(Options.SCHEMA_SYNC_PARTITIONS),
                    config.integer(Options.SCHEMA_SYNC_REPLICATION_FACTOR));
            // named topics: existing ones must be there, those to create are created at start-up; one method per task
            metadata.setTopicMethods(task.kafkaTopicMethods());
            metadata.setSinglePartitionTopic(task.topics().schemaChangeTopic());
            kafkaTopicMetadata = metadata;
        }
        return kafkaTopicMetadata;
    }

    /** The pipeline's lanes (obsync.pipeline.lanes): marshalling and sending on several threads, in order per partition or queue. */
    @BindToRegistry("lanes")
    public synchronized Lanes lanes(CamelContext camelContext) {
        if (lanes == null) {
            TaskSettings task = settings(camelContext);
            lanes = new Lanes(camelContext, task.config().integer(Options.PIPELINE_LANES), task.partitioning());
        }
        return lanes;
    }

    @BindToRegistry("kafkaPartitioner")
    public KafkaPartitioner kafkaPartitioner(CamelContext camelContext) {
        TaskSettings task = settings(camelContext);
        KafkaPartitioner partitioner = new KafkaPartitioner(task.partitioning(), task.partition(), kafkaTopicMetadata(camelContext));
        partitioner.setSchemaChangeTopic(task.topics().schemaChangeTopic());
        return partitioner;
    }

    /** The task's live state: the one the launcher bound, else one of its own (under {@code camel run}). */
    static synchronized TaskStatus taskStatus(CamelContext camelContext) {
        TaskStatus status = camelContext.getRegistry().findSingleByType(TaskStatus.class);
        if (status == null) {
            status = new TaskStatus();
            camelContext.getRegistry().bind("taskStatus", TaskStatus.class, status);
        }
        return status;
    }

    /**
     * The policy of the route that reads the binlog: with {@code obsync.standby.cluster-service} it runs only
     * on the instance its group elected (Camel's clustered route policy), else it simply runs.
     */
    @BindToRegistry("standby")
    public synchronized RoutePolicy standby(CamelContext camelContext) throws Exception {
        if (standby == null) {
            standby = Standby.policy(camelContext, config(camelContext), taskStatus(camelContext));
        }
        return standby;
    }

    /** At most so many messages and bytes per second, full and incremental synchronization apart (obsync.throttle.*). */
    @BindToRegistry("throttle")
    public Throttle throttle(CamelContext camelContext) {
        TaskConfig config = config(camelContext);
        Throttle throttle = new Throttle(taskStatus(camelContext));
        throttle.setLimits(true, config.number(Options.THROTTLE_FULL_RECORDS_PER_SECOND), config.number(Options.THROTTLE_FULL_BYTES_PER_SECOND));
        throttle.setLimits(false, config.number(Options.THROTTLE_INCREMENTAL_RECORDS_PER_SECOND),
                config.number(Options.THROTTLE_INCREMENTAL_BYTES_PER_SECOND));
        return throttle;
    }

    /** The brokers the task sends to, which a failed send names (obsync.kafka.brokers, obsync.rocketmq.namesrv). */
    @BindToRegistry("deliveryTargets")
    public DeliveryTargets deliveryTargets(CamelContext camelContext) {
        TaskConfig config = config(camelContext);
        return new DeliveryTargets(config.text(Options.KAFKA_BROKERS), config.text(Options.ROCKETMQ_NAMESRV));
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        // options a file leaves out read as their declared defaults (under camel run as well as obsync run)
        defaults().forEach((key, value) -> {
            if (camelContext.getPropertiesComponent().resolveProperty((String) key).isEmpty()) {
                camelContext.getPropertiesComponent().addInitialProperty((String) key, (String) value);
            }
        });
        TaskSettings task = settings(camelContext);
        TaskConfig config = task.config();
        taskStatus(camelContext);
        // SASL and TLS towards Kafka on Camel's Kafka component: the kafka step's producers take them from
        // there, so that no route (nor a route dump) holds a password
        KafkaComponent kafka = camelContext.getComponent("kafka", KafkaComponent.class);
        task.kafkaSecurity().applyTo(kafka.getConfiguration());
        // exactly-once: the Kafka step sends through the task's transactional producer, which the source begins and commits
        if (task.exactlyOnce()) {
            KafkaTransactions transactions = KafkaTransactions.of(config);
            kafka.setKafkaClientFactory(transactions);
            camelContext.getRegistry().bind("kafkaTransactions", KafkaTransactions.class, transactions);
            camelContext.addService(transactions);
        }
        // every format this build writes, by name, for routes that marshal some topics differently
        for (FormatName name : MessageFormats.writers()) {
            camelContext.getRegistry().bind(name.displayName(), DataFormat.class, MessageFormats.create(name, task.formatSettings()));
        }
        // edits of the objects file reach the running task
        String objectsFile = config.text(Options.OBJECTS_FILE);
        long reload = config.number(Options.OBJECTS_RELOAD_INTERVAL_MS);
        if (!objectsFile.isBlank() && reload > 0) {
            camelContext.addService(new ObjectsFileWatcher(camelContext, Path.of(objectsFile), config.text(Options.DML), reload,
                    objectSelection(camelContext)));
        }
        // the task's own MBean, io.obsync:type=Task,name=<task>, next to Camel's route MBeans
        String taskName = config.text(Options.TASK_NAME);
        // who may act from the console, read before anything starts: a password file that cannot be read stops the start
        ConsoleAccess consoleAccess = config.flag(Options.CONSOLE_ENABLED)
                ? ConsoleAccess.of(config.text(Options.JMX_PASSWORD_FILE), config.text(Options.JMX_ACCESS_FILE)) : null;
        camelContext.addStartupListener((context, alreadyStarted) -> {
            TaskStatus status = taskStatus(context);
            Throttle throttle = context.getRegistry().lookupByNameAndType("throttle", Throttle.class);
            // DOWN at the management server's health endpoint once the task has failed
            HealthCheckRegistry health = HealthCheckRegistry.get(context);
            if (health != null && health.getCheck("task").isEmpty()) {
                health.register(new TaskHealthCheck(taskName, status));
            }
            // the task's figures for Prometheus, in Camel's Micrometer registry (camel.metrics.enabled)
            MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
            if (meters != null && meters.find(TaskMetrics.EVENTS_READ).tag("task", taskName).functionCounter() == null) {
                TaskMetrics.bind(meters, status, taskName, throttle);
            }
            ManagementAgent management = context.getManagementStrategy() == null ? null : context.getManagementStrategy().getManagementAgent();
            if (management != null) {
                ObjectName name = new ObjectName("io.obsync:type=Task,name=" + ObjectName.quote(taskName));
                if (!management.isRegistered(name)) {
                    // pause and resume stop and start the route that reads the binlog, whatever the routes call it
                    String sourceRoute = context.getRoutes().stream().filter(r -> r.getEndpoint() instanceof BinlogEndpoint)
                            .map(Route::getRouteId).findFirst().orElse("source");
                    TaskManagement operations = new TaskManagement(context, status, sourceRoute, throttle);
                    management.register(operations, name);
                    // the task console on the management HTTP server: the same operations, from a browser
                    ManagementHttpServer http = context.hasService(ManagementHttpServer.class);
                    if (consoleAccess != null && http != null && http.getRouter() != null) {
                        context.addService(new TaskConsole(http.getRouter(), taskName, operations, status, config, consoleAccess));
                    }
                }
            }
        });
        // remote JMX (obsync.jmx.port): loopback by default, with a password file when exposed, TLS with a key store
        camelContext.addService(task.jmx());
        // the admin client closes with the context
        camelContext.addService(kafkaTopicMetadata(camelContext));
        // the lanes' threads start and stop with the context
        camelContext.addService(lanes(camelContext));
    }
}
