package io.obsync.format;

import java.util.ArrayList;
import java.util.List;

import io.obsync.format.debezium.DebeziumFormat;
import io.obsync.route.RoutingHeaders;
import io.obsync.source.BinlogConsumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Debezium's tombstones.on.delete for the Debezium family (off by default): after the message of a
 * DELETE, a message with the same key and a null value, so Kafka's log compaction can drop the key.
 * Kafka only; the two leave as one list in one send, in order.
 */
public class DebeziumTombstones implements Processor {

    /** obsync-operation of a tombstone message. */
    public static final String TOMBSTONE = "TOMBSTONE";

    private final boolean enabled;
    private final String formatBean;
    private volatile TaskFormat formats;

    public DebeziumTombstones(boolean enabled, String formatBean) {
        this.enabled = enabled;
        this.formatBean = formatBean;
    }

    @Override
    public void process(Exchange exchange) {
        if (!enabled) {
            return;
        }
        Message message = exchange.getMessage();
        if (!"kafka".equals(message.getHeader(RoutingHeaders.TARGET)) || !isDebezium(exchange, message)) {
            return;
        }
        Object body = message.getBody();
        if (body instanceof List<?> parts) {
            List<Object> out = new ArrayList<>(parts.size() + 1);
            for (Object part : parts) {
                out.add(part);
                if (part instanceof Message m && isDelete(m)) {
                    out.add(tombstone(m));
                }
            }
            message.setBody(out);
        } else if (isDelete(message)) {
            message.setBody(new ArrayList<>(List.of(message.copy(), tombstone(message))));
        }
    }

    private boolean isDebezium(Exchange exchange, Message message) {
        if (formats == null) {
            formats = exchange.getContext().getRegistry().lookupByNameAndType(formatBean, TaskFormat.class);
        }
        return formats.formatOf(message.getHeader(RoutingHeaders.TOPIC, String.class)) instanceof DebeziumFormat;
    }

    private static boolean isDelete(Message message) {
        return "DELETE".equals(message.getHeader(BinlogConsumer.HEADER_OPERATION)) && message.getHeader(RoutingHeaders.RECORD_KEY) != null;
    }

    private static Message tombstone(Message delete) {
        Message tombstone = delete.copy();
        tombstone.setBody(null);
        tombstone.setHeader(BinlogConsumer.HEADER_OPERATION, TOMBSTONE);
        tombstone.setHeader(BinlogConsumer.HEADER_EVENT_ID, delete.getHeader(BinlogConsumer.HEADER_EVENT_ID) + ":tombstone");
        return tombstone;
    }
}
