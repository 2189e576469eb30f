package io.obsync.destination;

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
        assertThat(new TopicMapping(PATTERN, "", "", "kafka").destination("shop", "orders", null).topic()).isEqualTo("Topic_shop_orders");
        assertThat(new TopicMapping("cdc.${Database Name}.${Table Name}", "", "", "kafka").destination("shop", "orders", null).topic()).isEqualTo("cdc.shop.orders");
    }

    @Test
    void namedMappingWinsOverThePattern() {
        TopicMapping mapping = new TopicMapping(PATTERN, "shop.orders=orders-topic, shop.items = items_topic", "", "kafka");
        assertThat(mapping.destination("shop", "orders", null).topic()).isEqualTo("orders-topic");
        assertThat(mapping.destination("shop", "items", null).topic()).isEqualTo("items_topic");
        assertThat(mapping.destination("shop", "users", null).topic()).isEqualTo("Topic_shop_users");
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
        assertThatThrownBy(() -> mapping.destination("shop", "t".repeat(60), null).topic())
                .hasMessageContaining("obsync.topic.mapping=shop." + "t".repeat(60) + "=<topic>");
    }

    @Test
    void mappingMayNameTheTargetSystemPerTable() {
        TopicMapping mapping = new TopicMapping(PATTERN, "shop.orders=rocketmq:orders_rmq, shop.items=kafka:items", "", "kafka");
        assertThat(mapping.destination("shop", "orders", null).topic()).isEqualTo("orders_rmq");
        assertThat(mapping.destination("shop", "orders", null).target()).isEqualTo(TopicMapping.Target.ROCKETMQ);
        assertThat(mapping.destination("shop", "items", null).target()).isEqualTo(TopicMapping.Target.KAFKA);
        assertThat(mapping.destination("shop", "users", null).target()).isEqualTo(TopicMapping.Target.KAFKA);
        TopicMapping rocketmqByDefault = new TopicMapping(PATTERN, "shop.items=kafka:items", "", "RocketMQ");
        assertThat(rocketmqByDefault.destination("shop", "users", null).target()).isEqualTo(TopicMapping.Target.ROCKETMQ);
        assertThat(rocketmqByDefault.destination("shop", "items", null).target()).isEqualTo(TopicMapping.Target.KAFKA);
    }

    @Test
    void unknownTargetIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> new TopicMapping(PATTERN, "", "", "pulsar")).hasMessage("obsync.target is 'pulsar': use kafka or rocketmq.");
        assertThatThrownBy(() -> new TopicMapping(PATTERN, "shop.orders=mq:orders", "", "kafka"))
                .hasMessage("The target of shop.orders in obsync.topic.mapping is 'mq': use kafka or rocketmq.");
    }

    @Test
    void heartbeatsGoToTheirTopicOrNowhere() throws Exception {
        ChangeEvent heartbeat = ChangeEvent.builder(Operation.HEARTBEAT).eventId("h").build();
        org.apache.camel.Exchange none = exchange(heartbeat);
        new TopicMapping(PATTERN, "", "", "kafka").process(none);
        assertThat(none.isRouteStop()).isTrue();
        org.apache.camel.Exchange sent = exchange(heartbeat);
        new TopicMapping(PATTERN, "", "obsync_heartbeats", "kafka").process(sent);
        assertThat(sent.getMessage().getHeader(io.obsync.event.Headers.TOPIC)).isEqualTo("obsync_heartbeats");
    }

    @Test
    void anObjectsFileTopicKeepsTheTablesTarget() throws Exception {
        TopicMapping mapping = new TopicMapping(PATTERN, "shop.orders=rocketmq:orders_rmq", "", "kafka");
        assertThat(mapping.destination("shop", "orders", "vip_orders")).isEqualTo(new TopicMapping.Destination(TopicMapping.Target.ROCKETMQ, "vip_orders"));
        assertThat(mapping.destination("shop", "items", "vip_items")).isEqualTo(new TopicMapping.Destination(TopicMapping.Target.KAFKA, "vip_items"));
        // the pipeline decides the same: the objects file's topic arrives as a header
        org.apache.camel.Exchange exchange = exchange(row("shop", "orders"));
        exchange.getMessage().setHeader(io.obsync.event.Headers.TOPIC, "vip_orders");
        mapping.process(exchange);
        assertThat(exchange.getMessage().getHeader(io.obsync.event.Headers.TOPIC)).isEqualTo("vip_orders");
        assertThat(exchange.getMessage().getHeader(io.obsync.event.Headers.TARGET)).isEqualTo("rocketmq");
    }

    private static org.apache.camel.Exchange exchange(ChangeEvent event) {
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        exchange.getMessage().setBody(event);
        return exchange;
    }
}
