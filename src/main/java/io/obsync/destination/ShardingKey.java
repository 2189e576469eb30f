package io.obsync.destination;

import java.util.List;
import java.util.Objects;

import io.obsync.event.ChangeEvent;
import io.obsync.event.DebeziumRecordConverter;
import io.obsync.event.Headers;
import io.obsync.event.MessageParts;
import io.obsync.event.Operation;
import io.obsync.event.TableSchema;
import io.obsync.event.ValueRendering;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Sets the record key to the sharding value (the primary-key values joined with \u0001).
 *
 * <p>Debezium already delivers an UPDATE of the primary key as DELETE + INSERT. An UPDATE that
 * changes the sharding value in any other way becomes two messages, a DELETE under the old key and an INSERT
 * under the new one, so that consumers ordered per key see both keys' histories in commit order.
 * The two take the UPDATE's place in the exchange's list of messages, in that order.
 */
public class ShardingKey implements Processor {

    /** Separator between the values of a multi-column key. */
    public static final char SEPARATOR = '\u0001';

    @Override
    public void process(Exchange exchange) throws Exception {
        boolean single = !MessageParts.isList(exchange);
        MessageParts.each(exchange, this::key);
        if (single && MessageParts.isList(exchange)) {
            // the exchange's own message became a key move's two halves: the lanes read this flag (a batch keeps them in its table's lane)
            exchange.getMessage().setHeader(Headers.KEY_MOVED, Boolean.TRUE);
        }
    }

    /** Sets a message's key; an UPDATE that moves its row to another key becomes two messages. */
    private Object key(Message message) {
        ChangeEvent event = message.getBody(ChangeEvent.class);
        if (!event.operation().isRowChange()) {
            message.removeHeader(Headers.KEY);
            return message;
        }
        // an object's own sharding columns (objects file), else the primary key
        int[] columns = message.getHeader(Headers.SHARDING_COLUMNS, int[].class);
        String key = of(event.schema(), event.currentImage(), columns);
        if (event.operation() == Operation.UPDATE) {
            String oldKey = of(event.schema(), event.before(), columns);
            if (key != null && !Objects.equals(oldKey, key)) {
                return List.of(
                        part(message, event.withOperation(Operation.DELETE, event.before(), null, DebeziumRecordConverter.KEY_MOVED_DELETE), oldKey),
                        part(message, event.withOperation(Operation.INSERT, null, event.after(), DebeziumRecordConverter.KEY_MOVED_INSERT), key));
            }
        }
        setKey(message, key);
        return message;
    }

    private static Message part(Message original, ChangeEvent event, String key) {
        Message copy = original.copy();
        copy.setBody(event);
        copy.setHeader(Headers.EVENT_ID, event.eventId());
        copy.setHeader(Headers.OPERATION, event.operation().name());
        setKey(copy, key);
        return copy;
    }

    private static void setKey(Message message, String key) {
        if (key == null) {
            message.removeHeader(Headers.KEY);
        } else {
            message.setHeader(Headers.KEY, key);
        }
    }

    /** The sharding value of a row, or null for a table without a primary key. */
    public static String of(TableSchema schema, Object[] row) {
        return of(schema, row, null);
    }

    /** The values of the given columns (positions), or of the primary key when none are given. */
    public static String of(TableSchema schema, Object[] row, int[] columns) {
        if (schema == null || row == null) {
            return null;
        }
        if (columns != null && columns.length > 0) {
            return ValueRendering.joined(row, columns, SEPARATOR);
        }
        if (!schema.hasPrimaryKey()) {
            return null;
        }
        return ValueRendering.joined(row, schema.primaryKeyIndexes(), SEPARATOR);
    }
}
