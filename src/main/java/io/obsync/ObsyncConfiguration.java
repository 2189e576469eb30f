package io.obsync;

import java.util.List;

import io.obsync.format.DefaultFormat;
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
import org.apache.camel.spi.DataFormatName;

/**
 * The beans the YAML routes refer to by name, built from {@code obsync.*} properties.
 * Loaded through {@code camel.main.configuration-classes} in application.properties.
 */
public class ObsyncConfiguration implements CamelConfiguration {

    @BindToRegistry("Default")
    public DefaultFormat defaultFormat(@PropertyInject("obsync.task.name") String taskName,
                                       @PropertyInject(value = "obsync.source.cluster", defaultValue = "") String cluster) {
        DefaultFormat format = new DefaultFormat();
        format.setSourceIdentity(taskName);
        format.setClusterId(cluster);
        return format;
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
        String format = camelContext.resolvePropertyPlaceholders("{{obsync.format}}");
        TopicMapping mapping = camelContext.getRegistry().lookupByNameAndType("topicMapping", TopicMapping.class);
        if ("maxwell".equalsIgnoreCase(format.trim()) && mapping.usesTarget(TopicMapping.Target.ROCKETMQ)) {
            throw new IllegalArgumentException("obsync.format is '" + format + "' but tables go to RocketMQ, which the Maxwell "
                    + "format does not support: choose another format, or send those tables to Kafka.");
        }
        if (camelContext.getRegistry().lookupByNameAndType(format, DataFormat.class) == null) {
            List<String> known = camelContext.getRegistry().findByType(DataFormatName.class).stream()
                    .map(DataFormatName::getDataFormatName).sorted().toList();
            throw new IllegalArgumentException("obsync.format is '" + format + "', which is not a serialization method of "
                    + "this build: use one of " + String.join(", ", known) + ".");
        }
        // the admin client closes with the context
        camelContext.addService(camelContext.getRegistry().lookupByNameAndType("kafkaTopicMetadata", KafkaTopicMetadata.class));
    }
}
