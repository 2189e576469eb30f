package io.obsync.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.obsync.config.Options;
import io.obsync.event.Headers;
import io.obsync.sink.Placement;
import io.obsync.sink.kafka.KafkaTopicMetadata;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class KafkaPartitionerTest {

    /** A topic with a fixed partition count, no broker needed. */
    private static final class FixedTopics extends KafkaTopicMetadata {
        private final int count;
        // the topics asked for: asking is what creates a missing topic under schema sync
        final List<String> asked = new ArrayList<>();

        FixedTopics(int count) {
            super("unused:9092");
            this.count = count;
        }

        @Override
        public int partitions(String topic) {
            asked.add(topic);
            return count;
        }
    }

    private static Exchange message(String operation, String key) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        Message m = exchange.getMessage();
        m.setBody(new byte[] {1});
        m.setHeader(Headers.TOPIC, "Topic_shop_orders");
        m.setHeader(Headers.OPERATION, operation);
        m.setHeader(Headers.DATABASE, "shop");
        m.setHeader(Headers.TABLE, "orders");
        if (key != null) {
            m.setHeader(Headers.KEY, key);
        }
        return exchange;
    }

    private static int murmur(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Test
    void hashRuleIsKafkasDefaultPartitionerChoiceForTheKey() {
        KafkaPartitioner partitioner = new KafkaPartitioner(Placement.Rule.HASH, 0, new FixedTopics(12));
        for (String key : List.of("1", "2", "42", "4\u00012", "grüße", "")) {
            Exchange exchange = message("INSERT", key);
            partitioner.process(exchange);
            assertThat(exchange.getMessage().getHeader(KafkaConstants.PARTITION_KEY)).as(key).isEqualTo(murmur(key, 12));
            assertThat(exchange.getMessage().getHeader(KafkaConstants.KEY)).isEqualTo(key);
            assertThat(exchange.getMessage().getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("Topic_shop_orders");
        }
    }

    @Test
    void hashRuleWithoutKeyKeepsTheTableTogether() {
        Exchange exchange = message("INSERT", null);
        new KafkaPartitioner(Placement.Rule.HASH, 0, new FixedTopics(5)).process(exchange);
        assertThat(exchange.getMessage().getHeader(KafkaConstants.PARTITION_KEY)).isEqualTo(murmur("shop.orders", 5));
    }

    @Test
    void ddlUnderHashGoesToEveryPartition() {
        Exchange exchange = message("DDL", null);
        new KafkaPartitioner(Placement.Rule.HASH, 0, new FixedTopics(3)).process(exchange);
        List<?> copies = exchange.getMessage().getBody(List.class);
        assertThat(copies).hasSize(3);
        assertThat(copies).extracting(m -> ((Message) m).getHeader(KafkaConstants.PARTITION_KEY)).containsExactly(0, 1, 2);
    }

    @Test
    void tableRuleHashesTheQualifiedTableName() {
        Exchange exchange = message("UPDATE", "7");
        new KafkaPartitioner(Placement.Rule.TABLE, 0, new FixedTopics(6)).process(exchange);
        assertThat(exchange.getMessage().getHeader(KafkaConstants.PARTITION_KEY)).isEqualTo(murmur("shop.orders", 6));
    }

    @Test
    void oneRuleUsesTheConfiguredPartitionForEverything() {
        KafkaPartitioner partitioner = new KafkaPartitioner(Placement.Rule.ONE, 2, new FixedTopics(3));
        for (String op : List.of("INSERT", "DDL")) {
            Exchange exchange = message(op, "9");
            partitioner.process(exchange);
            assertThat(exchange.getMessage().getHeader(KafkaConstants.PARTITION_KEY)).isEqualTo(2);
        }
        assertThatThrownBy(() -> new KafkaPartitioner(Placement.Rule.ONE, 3, new FixedTopics(3)).process(message("INSERT", "1")))
                .hasMessageContaining("obsync.kafka.partition is 3").hasMessageContaining("below 3");
    }

    @Test
    void unknownRuleIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> Options.KAFKA_PARTITIONING.check("round-robin"))
                .hasMessage("obsync.kafka.partitioning is 'round-robin': use hash, table or one.");
        assertThat(Options.KAFKA_PARTITIONING.check(" Table ")).isEqualTo("table");
    }

    @Test
    void ddlToTheSchemaChangeTopicGoesToItsOnePartitionAndTheTopicIsAskedForSoThatSchemaSyncCreatesIt() {
        FixedTopics topics = new FixedTopics(3);
        KafkaPartitioner partitioner = new KafkaPartitioner(Placement.Rule.HASH, 0, topics);
        partitioner.setSchemaChangeTopic("sctask");
        Exchange ddl = message("DDL", null);
        ddl.getMessage().setHeader(Headers.TOPIC, "sctask");
        partitioner.process(ddl);
        assertThat(ddl.getMessage().getHeader(KafkaConstants.PARTITION_KEY)).isEqualTo(0);
        assertThat(ddl.getMessage().getBody()).as("one message, not a copy per partition").isInstanceOf(byte[].class);
        assertThat(topics.asked).containsExactly("sctask");
    }
}
