package io.obsync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.rocketmq.client.producer.selector.SelectMessageQueueByHash;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The one placement rule gives the partitions Kafka's producer and the queues RocketMQ's selector would give. */
@Timeout(30)
class PlacementTest {

    private static final List<String> KEYS = List.of("1", "42", "4\u00012", "shop.orders", "é", "", "-7", "a very long key ".repeat(20));

    @Test
    void aKeyGoesToThePartitionKafkasDefaultPartitionerChooses() {
        for (String key : KEYS) {
            for (int partitions : new int[] {1, 3, 7, 64}) {
                assertThat(Placement.kafkaPartition(key, partitions)).as(key + " of " + partitions)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }

    @Test
    void aKeyGoesToTheQueueRocketMqsHashSelectorChooses() {
        SelectMessageQueueByHash selector = new SelectMessageQueueByHash();
        for (int count : new int[] {1, 4, 8, 16}) {
            List<MessageQueue> queues = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                queues.add(new MessageQueue("t", "broker", i));
            }
            for (String key : KEYS) {
                assertThat(queues.get(Placement.rocketMqQueue(key, count))).as(key + " of " + count)
                        .isEqualTo(selector.select(queues, new Message("t", new byte[0]), key));
            }
        }
    }

    @Test
    void theRuleDecidesWhatPlacesARowChange() {
        assertThat(Placement.key(Placement.Rule.HASH, "7", "shop", "orders")).isEqualTo("7");
        assertThat(Placement.key(Placement.Rule.HASH, null, "shop", "log")).isEqualTo("shop.log");
        assertThat(Placement.key(Placement.Rule.TABLE, "7", "shop", "orders")).isEqualTo("shop.orders");
        assertThat(Placement.key(Placement.Rule.ONE, "7", "shop", "orders")).isNull();
        assertThat(Placement.toEvery("DDL")).isTrue();
        assertThat(Placement.toEvery("HEARTBEAT")).isTrue();
        assertThat(Placement.toEvery("INSERT")).isFalse();
        assertThat(Placement.toEvery("ROW")).isFalse();
    }
}
