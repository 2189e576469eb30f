package io.obsync.destination;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.obsync.event.ChangeEvent;
import io.obsync.event.Headers;
import io.obsync.event.Operation;
import io.obsync.event.TableSchema;
import io.obsync.event.TestEvents;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class ShardingKeyTest {

    private final TableSchema composite = TestEvents.table(List.of("order_id", "line_no"), "order_id:BIGINT", "line_no:INT", "sku");

    private Exchange exchangeOf(ChangeEvent event) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(event);
        exchange.getMessage().setHeader(Headers.EVENT_ID, event.eventId());
        exchange.getMessage().setHeader(Headers.OPERATION, event.operation().name());
        return exchange;
    }

    @Test
    void compositeKeyValuesAreJoinedWithU0001InKeyOrder() throws Exception {
        Exchange exchange = exchangeOf(TestEvents.event(Operation.INSERT, composite, null, new Object[] {4L, 2, "SKU"}).build());
        new ShardingKey().process(exchange);
        assertThat(exchange.getMessage().getHeader(Headers.KEY)).isEqualTo("4\u00012");
    }

    @Test
    void tableWithoutPrimaryKeyHasNoKey() throws Exception {
        TableSchema noKey = TestEvents.table(List.of(), "a", "b");
        Exchange exchange = exchangeOf(TestEvents.event(Operation.INSERT, noKey, null, new Object[] {"x", "y"}).build());
        exchange.getMessage().setHeader(Headers.KEY, "stale");
        new ShardingKey().process(exchange);
        assertThat(exchange.getMessage().getHeader(Headers.KEY)).isNull();
    }

    @Test
    void updateThatKeepsTheKeyStaysOneMessage() throws Exception {
        Exchange exchange = exchangeOf(TestEvents.event(Operation.UPDATE, composite,
                new Object[] {4L, 2, "OLD"}, new Object[] {4L, 2, "NEW"}).build());
        new ShardingKey().process(exchange);
        assertThat(exchange.getMessage().getBody()).isInstanceOf(ChangeEvent.class);
        assertThat(exchange.getMessage().getHeader(Headers.KEY)).isEqualTo("4\u00012");
    }

    @Test
    void updateThatMovesTheKeyBecomesDeleteUnderOldKeyThenInsertUnderNewKey() throws Exception {
        Exchange exchange = exchangeOf(TestEvents.event(Operation.UPDATE, composite,
                new Object[] {4L, 2, "SKU"}, new Object[] {5L, 2, "SKU"}).build());
        new ShardingKey().process(exchange);

        List<?> parts = exchange.getMessage().getBody(List.class);
        assertThat(parts).hasSize(2);
        assertThat(exchange.getMessage().getHeader(Headers.KEY_MOVED)).as("what the lanes read: a single change that became two keys").isEqualTo(true);
        Message delete = (Message) parts.get(0);
        Message insert = (Message) parts.get(1);
        assertThat(delete.getBody(ChangeEvent.class).operation()).isEqualTo(Operation.DELETE);
        assertThat(delete.getBody(ChangeEvent.class).before()).containsExactly(4L, 2, "SKU");
        assertThat(delete.getHeader(Headers.KEY)).isEqualTo("4\u00012");
        assertThat(insert.getBody(ChangeEvent.class).operation()).isEqualTo(Operation.INSERT);
        assertThat(insert.getBody(ChangeEvent.class).after()).containsExactly(5L, 2, "SKU");
        assertThat(insert.getHeader(Headers.KEY)).isEqualTo("5\u00012");
        // both halves keep a stable identity of their own
        assertThat(delete.getHeader(Headers.EVENT_ID)).isEqualTo("mariadb-bin.000001:100:2:0:key-moved-delete");
        assertThat(insert.getHeader(Headers.EVENT_ID)).isEqualTo("mariadb-bin.000001:100:2:0:key-moved-insert");
        assertThat(delete.getHeader(Headers.OPERATION)).isEqualTo("DELETE");
    }
}
