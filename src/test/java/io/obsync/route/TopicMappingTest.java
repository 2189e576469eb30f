package io.obsync.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.obsync.event.ChangeEvent;
import io.obsync.event.Operation;
import io.obsync.event.TableSchema;
import io.obsync.event.TestEvents;
import org.junit.jupiter.api.Test;

class TopicMappingTest {

    private static final String PATTERN = "Topic_${Database Name}_${Table Name}";
    private final TableSchema schema = TestEvents.table(List.of("id"), "id:INT");

    private ChangeEvent row(String database, String table) {
        return TestEvents.event(Operation.INSERT, schema, null, new Object[] {1}).database(database).table(table).build();
    }

    @Test
    void batchPatternNamesTheTopicAfterDatabaseAndTable() {
        assertThat(new TopicMapping(PATTERN, "", "", "kafka").topicFor(row("shop", "orders"))).isEqualTo("Topic_shop_orders");
        assertThat(new TopicMapping("cdc.${Database Name}.${Table Name}", "", "", "kafka").topicFor(row("shop", "orders"))).isEqualTo("cdc.shop.orders");
    }

    @Test
    void namedMappingWinsOverThePattern() {
        TopicMapping mapping = new TopicMapping(PATTERN, "shop.orders=orders-topic, shop.items = items_topic", "", "kafka");
        assertThat(mapping.topicFor(row("shop", "orders"))).isEqualTo("orders-topic");
        assertThat(mapping.topicFor(row("shop", "items"))).isEqualTo("items_topic");
        assertThat(mapping.topicFor(row("shop", "users"))).isEqualTo("Topic_shop_users");
    }

    @Test
    void invalidNamedTopicIsRefusedAtStartUpNamingTableValueAndFix() {
        assertThatThrownBy(() -> new TopicMapping(PATTERN, "shop.orders=bad topic!", "", "kafka"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bad topic!'").hasMessageContaining("shop.orders").hasMessageContaining("3 to 64 characters");
        assertThatThrownBy(() -> new TopicMapping(PATTERN, "shop.orders=ab", "", "kafka")).hasMessageContaining("'ab'");
        assertThatThrownBy(() -> new TopicMapping(PATTERN, "shop.orders=" + "x".repeat(65), "", "kafka")).hasMessageContaining("x".repeat(65));
        assertThatThrownBy(() -> new TopicMapping(PATTERN, "orders=topic1", "", "kafka")).hasMessageContaining("database.table=topic");
    }

    @Test
    void patternThatCannotYieldAValidNameIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new TopicMapping("Topic ${Table Name}", "", "", "kafka"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("obsync.topic.pattern");
    }

    @Test
    void generatedNameTooLongIsRefusedWithTheMappingThatFixesIt() {
        TopicMapping mapping = new TopicMapping(PATTERN, "", "", "kafka");
        assertThatThrownBy(() -> mapping.topicFor(row("shop", "t".repeat(60))))
                .hasMessageContaining("obsync.topic.mapping=shop." + "t".repeat(60) + "=<topic>");
    }

    @Test
    void mappingMayNameTheTargetSystemPerTable() {
        TopicMapping mapping = new TopicMapping(PATTERN, "shop.orders=rocketmq:orders_rmq, shop.items=kafka:items", "", "kafka");
        assertThat(mapping.topicFor(row("shop", "orders"))).isEqualTo("orders_rmq");
        assertThat(mapping.targetOf(row("shop", "orders"))).isEqualTo(TopicMapping.Target.ROCKETMQ);
        assertThat(mapping.targetOf(row("shop", "items"))).isEqualTo(TopicMapping.Target.KAFKA);
        assertThat(mapping.targetOf(row("shop", "users"))).isEqualTo(TopicMapping.Target.KAFKA);
        TopicMapping rocketmqByDefault = new TopicMapping(PATTERN, "shop.items=kafka:items", "", "RocketMQ");
        assertThat(rocketmqByDefault.targetOf(row("shop", "users"))).isEqualTo(TopicMapping.Target.ROCKETMQ);
        assertThat(rocketmqByDefault.targetOf(row("shop", "items"))).isEqualTo(TopicMapping.Target.KAFKA);
    }

    @Test
    void unknownTargetIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> new TopicMapping(PATTERN, "", "", "pulsar")).hasMessage("obsync.target is 'pulsar': use kafka or rocketmq.");
        assertThatThrownBy(() -> new TopicMapping(PATTERN, "shop.orders=mq:orders", "", "kafka"))
                .hasMessage("The target of shop.orders in obsync.topic.mapping is 'mq': use kafka or rocketmq.");
    }

    @Test
    void heartbeatsGoToTheirTopicOrNowhere() {
        ChangeEvent heartbeat = ChangeEvent.builder(Operation.HEARTBEAT).eventId("h").build();
        assertThat(new TopicMapping(PATTERN, "", "", "kafka").topicFor(heartbeat)).isNull();
        assertThat(new TopicMapping(PATTERN, "", "obsync_heartbeats", "kafka").topicFor(heartbeat)).isEqualTo("obsync_heartbeats");
    }
}
