package io.obsync.format;

import java.util.ArrayList;
import java.util.List;

import io.obsync.event.Headers;
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
        if (!"kafka".equals(message.getHeader(Headers.TARGET)) || !isDebezium(exchange, message)) {
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
        return formats.formatOf(message.getHeader(Headers.TOPIC, String.class)) instanceof DebeziumFormat;
    }

    private static boolean isDelete(Message message) {
        return "DELETE".equals(message.getHeader(Headers.OPERATION)) && message.getHeader(Headers.RECORD_KEY) != null;
    }

    private static Message tombstone(Message delete) {
        Message tombstone = delete.copy();
        tombstone.setBody(null);
        tombstone.setHeader(Headers.OPERATION, TOMBSTONE);
        tombstone.setHeader(Headers.EVENT_ID, delete.getHeader(Headers.EVENT_ID) + ":tombstone");
        return tombstone;
    }
}
