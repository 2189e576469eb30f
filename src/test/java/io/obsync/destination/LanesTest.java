package io.obsync.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;

import io.obsync.event.ChangeEvent;
import io.obsync.event.Headers;
import io.obsync.event.Operation;
import io.obsync.event.TestEvents;
import io.obsync.sink.Placement;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
        return new Lanes(CAMEL, 2, Placement.Rule.valueOf(partitioning.toUpperCase(Locale.ROOT))).laneKey(exchange);
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

    private static Exchange batch(String target, String topic, Operation... operations) {
        Exchange exchange = new DefaultExchange(CAMEL);
        List<ChangeEvent> events = new java.util.ArrayList<>();
        for (Operation operation : operations) {
            Object[] row = {events.size()};
            events.add(TestEvents.event(operation, TestEvents.table(List.of("id"), "id:INT"), operation == Operation.INSERT ? null : row,
                    operation == Operation.DELETE ? null : row).build());
        }
        io.obsync.event.MessageParts.batch(exchange, events);
        exchange.getMessage().setHeader(Headers.TARGET, target);
        exchange.getMessage().setHeader(Headers.TOPIC, topic);
        return exchange;
    }

    @Test
    @Timeout(30)
    void aBatchTakesItsTablesLaneAndDdlOrASingleKeyMoveIsABarrier() {
        // every key of the batch in one lane: the table's, which keeps each key's order as the key's own lane would
        assertThat(key("hash", batch("kafka", "orders", Operation.INSERT, Operation.INSERT))).isEqualTo("orders\u0001shop.orders");
        assertThat(key("hash", batch("rocketmq", "orders", Operation.UPDATE))).isEqualTo("orders\u0001shop.orders");
        assertThat(key("one", batch("kafka", "orders", Operation.INSERT))).isEqualTo("orders");
        // DDL waits for every lane
        assertThat(key("hash", batch("kafka", "orders", Operation.DDL))).isNull();
        Exchange ddl = message("kafka", "orders", null);
        ddl.getMessage().setBody(TestEvents.event(Operation.DDL, TestEvents.table(List.of("id"), "id:INT"), null, null).build());
        assertThat(key("hash", ddl)).isNull();
        // one change per exchange: its key move is a list of two keys, a barrier
        Exchange moved = batch("kafka", "orders", Operation.DELETE, Operation.INSERT);
        moved.getMessage().setHeader(Headers.KEY_MOVED, true);
        assertThat(key("hash", moved)).isNull();
    }

    @Test
    void oneLaneRunsOnTheCallersThread() throws Exception {
        Lanes lanes = new Lanes(CAMEL, 1, Placement.Rule.HASH);
        Exchange exchange = message("kafka", "orders", "7");
        Thread[] ranOn = new Thread[1];
        boolean sync = lanes.process(exchange, doneSync -> ranOn[0] = Thread.currentThread());
        assertThat(sync).isTrue();
        assertThat(ranOn[0]).isSameAs(Thread.currentThread());
    }
}
