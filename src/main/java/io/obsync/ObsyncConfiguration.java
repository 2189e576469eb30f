package io.obsync;

import io.obsync.format.FormatName;
import io.obsync.format.MessageFormats;
import io.obsync.route.KafkaPartitioner;
import io.obsync.route.ShardingKey;
import io.obsync.route.TopicMapping;
import io.obsync.sink.KafkaTopicMetadata;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.processor.aggregate.GroupedMessageAggregationStrategy;
import org.apache.camel.spi.DataFormat;

/**
 * The beans the YAML routes refer to by name, built from {@code obsync.*} properties.
 * Loaded through {@code camel.main.configuration-classes} in application.properties.
 */
public class ObsyncConfiguration implements CamelConfiguration {

    /** The task's serialization method ({@code obsync.format}, by name or wire name, any case). */
    @BindToRegistry("messageFormat")
    public DataFormat messageFormat(@PropertyInject("obsync.format") String format,
                                    @PropertyInject("obsync.task.name") String taskName,
                                    @PropertyInject(value = "obsync.source.cluster", defaultValue = "") String cluster,
                                    @PropertyInject(value = "obsync.heartbeat.topic", defaultValue = "") String heartbeatTopic,
                                    TopicMapping topicMapping) {
        if (FormatName.parse(format).orElse(null) == FormatName.MAXWELL && topicMapping.usesTarget(TopicMapping.Target.ROCKETMQ)) {
            throw new IllegalArgumentException("obsync.format is '" + format + "' but tables go to RocketMQ, which the Maxwell "
                    + "format does not support: choose another format, or send those tables to Kafka.");
        }
        FormatName resolved = MessageFormats.resolve(format);
        if (!heartbeatTopic.isBlank() && !resolved.hasHeartbeat()) {
            throw new IllegalArgumentException("obsync.heartbeat.topic is '" + heartbeatTopic + "' but the " + resolved.displayName()
                    + " format has no heartbeat message: leave obsync.heartbeat.topic empty, or use Default or DataWorks.");
        }
        return MessageFormats.create(resolved, new MessageFormats.Settings(taskName, cluster));
    }

    @BindToRegistry("topicMapping")
    public TopicMapping topicMapping(@PropertyInject("obsync.topic.pattern") String pattern,
                                     @PropertyInject(value = "obsync.topic.mapping", defaultValue = "") String mapping,
                                     @PropertyInject(value = "obsync.heartbeat.topic", defaultValue = "") String heartbeatTopic,
                                     @PropertyInject(value = "obsync.target", defaultValue = "kafka") String target) {
        return new TopicMapping(pattern, mapping, heartbeatTopic, target);
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
    public KafkaTopicMetadata kafkaTopicMetadata(@PropertyInject("obsync.kafka.brokers") String brokers) {
        return new KafkaTopicMetadata(brokers);
    }

    @BindToRegistry("kafkaPartitioner")
    public KafkaPartitioner kafkaPartitioner(@PropertyInject(value = "obsync.kafka.partitioning", defaultValue = "hash") String rule,
                                             @PropertyInject(value = "obsync.kafka.partition", defaultValue = "0") int partition,
                                             KafkaTopicMetadata kafkaTopicMetadata) {
        return new KafkaPartitioner(rule, partition, kafkaTopicMetadata);
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        MessageFormats.Settings settings = new MessageFormats.Settings(
                camelContext.resolvePropertyPlaceholders("{{obsync.task.name}}"),
                camelContext.resolvePropertyPlaceholders("{{obsync.source.cluster:}}"));
        // every format this build writes, by name, for routes that marshal some topics differently
        for (FormatName name : MessageFormats.writers()) {
            camelContext.getRegistry().bind(name.displayName(), DataFormat.class, MessageFormats.create(name, settings));
        }
        // the admin client closes with the context
        camelContext.addService(camelContext.getRegistry().lookupByNameAndType("kafkaTopicMetadata", KafkaTopicMetadata.class));
    }
}
