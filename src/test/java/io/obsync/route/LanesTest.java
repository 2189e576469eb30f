package io.obsync.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.obsync.event.ChangeEvent;
import io.obsync.event.Headers;
import io.obsync.event.Operation;
import io.obsync.event.TestEvents;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** A message's lane follows what decides its partition or queue. */
class LanesTest {

    private static final DefaultCamelContext CAMEL = new DefaultCamelContext();

    private static Exchange message(String target, String topic, String key) {
        ChangeEvent event = TestEvents.event(Operation.INSERT, TestEvents.table(List.of("id"), "id:INT"), null, new Object[] {1}).build();
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getMessage().setBody(event);
        exchange.getMessage().setHeader(Headers.TARGET, target);
        exchange.getMessage().setHeader(Headers.TOPIC, topic);
        if (key != null) {
            exchange.getMessage().setHeader(Headers.KEY, key);
        }
        return exchange;
    }

    private static String key(String partitioning, Exchange exchange) {
        return new Lanes(CAMEL, 2, partitioning).laneKey(exchange, exchange.getMessage().getBody(ChangeEvent.class));
    }

    @Test
    void theKeyUnderHashTheTableUnderTableTheTopicUnderOne() {
        assertThat(key("hash", message("kafka", "orders", "7"))).isEqualTo("orders\u00017");
        assertThat(key("hash", message("kafka", "orders", null))).isEqualTo("orders\u0001shop.orders");
        assertThat(key("table", message("kafka", "orders", "7"))).isEqualTo("orders\u0001shop.orders");
        assertThat(key("one", message("kafka", "orders", "7"))).isEqualTo("orders");
        // RocketMQ chooses queues by key whatever Kafka's rule says
        assertThat(key("one", message("rocketmq", "orders", "7"))).isEqualTo("orders\u00017");
        assertThat(Lanes.count(3)).isEqualTo(3);
        assertThat(Lanes.count(0)).isBetween(1, Lanes.MAX_AUTO);
    }

    @Test
    void oneLaneRunsOnTheCallersThread() throws Exception {
        Lanes lanes = new Lanes(CAMEL, 1, "hash");
        Exchange exchange = message("kafka", "orders", "7");
        Thread[] ranOn = new Thread[1];
        boolean sync = lanes.process(exchange, doneSync -> ranOn[0] = Thread.currentThread());
        assertThat(sync).isTrue();
        assertThat(ranOn[0]).isSameAs(Thread.currentThread());
    }
}
