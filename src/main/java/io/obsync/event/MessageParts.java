package io.obsync.event;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultMessage;

/**
 * The messages one exchange carries. The source hands over a run of consecutive row changes of one
 * table and one operation as one exchange whose body is a list of messages, one per change, each with
 * its own headers (obsync.pipeline.batch-events; 1 hands over each change as the exchange's own
 * message). A list also carries the two halves of an UPDATE that moved its row to another key, a
 * DELETE and its tombstone, and DDL copies for every partition. Every step that looks at messages
 * asks here.
 */
public final class MessageParts {

    private MessageParts() {
    }

    /** What a step does with one message of an exchange. */
    @FunctionalInterface
    public interface Step {
        /**
         * @param part one message (the exchange's own when the body is not a list)
         * @return the message itself (changed in place or not), null when it is not sent (filtered), or a
         *         list of messages that take its place, in order
         */
        Object apply(Message part) throws Exception;
    }

    /** The body's messages when it is a list of them, else the exchange's own message. */
    public static List<Message> of(Exchange exchange) {
        Message message = exchange.getMessage();
        if (message.getBody() instanceof List<?> parts) {
            List<Message> out = new ArrayList<>(parts.size());
            for (Object part : parts) {
                out.add((Message) part);
            }
            return out;
        }
        return List.of(message);
    }

    /** Whether the exchange carries several messages in a list body. */
    public static boolean isList(Exchange exchange) {
        return exchange.getMessage().getBody() instanceof List<?>;
    }

    /**
     * Runs a step on every message of the exchange, in order. A message the step drops is marked
     * {@link Headers#FILTERED}; when none is left the route stops for the exchange (its position still
     * advances). The exchange's own message that becomes several is replaced by a list body.
     */
    public static void each(Exchange exchange, Step step) throws Exception {
        Message message = exchange.getMessage();
        if (!(message.getBody() instanceof List<?> parts)) {
            Object result = step.apply(message);
            if (result == null) {
                exchange.setRouteStop(true);
            } else if (result != message) {
                message.setBody(result instanceof List<?> ? result : new ArrayList<>(List.of(result)));
            }
            return;
        }
        List<Object> out = null;
        int size = parts.size();
        for (int i = 0; i < size; i++) {
            Message part = (Message) parts.get(i);
            Object result = step.apply(part);
            if (result == part && out == null) {
                continue;
            }
            if (out == null) {
                // the first change to the list: copy what came before, unchanged
                out = new ArrayList<>(size + 1);
                out.addAll(parts.subList(0, i));
            }
            if (result == null) {
                part.setHeader(Headers.FILTERED, Boolean.TRUE);
            } else if (result instanceof List<?> several) {
                out.addAll(several);
            } else {
                out.add(result);
            }
        }
        if (out != null) {
            message.setBody(out);
            if (out.isEmpty()) {
                exchange.setRouteStop(true);
            }
        }
    }

    /** Gives a message the headers every change's message carries: event id, operation, database and table. */
    public static void describe(Message message, ChangeEvent event) {
        message.setHeader(Headers.EVENT_ID, event.eventId());
        message.setHeader(Headers.OPERATION, event.operation().name());
        if (event.database() != null) {
            message.setHeader(Headers.DATABASE, event.database());
        }
        if (event.table() != null) {
            message.setHeader(Headers.TABLE, event.table());
        }
    }

    /**
     * Makes the exchange carry a batch of changes (one table's, one operation's): its body a list of
     * messages, one per change with its own headers; the exchange's headers name the table and
     * operation. Returns the messages.
     */
    public static List<Message> batch(Exchange exchange, List<ChangeEvent> events) {
        List<Message> parts = new ArrayList<>(events.size());
        for (ChangeEvent event : events) {
            Message part = new DefaultMessage(exchange);
            part.setBody(event);
            describe(part, event);
            parts.add(part);
        }
        // the exchange's headers name the batch's operation and table; each message has its own event id
        Message message = exchange.getMessage();
        ChangeEvent first = events.get(0);
        message.setHeader(Headers.OPERATION, first.operation().name());
        if (first.database() != null) {
            message.setHeader(Headers.DATABASE, first.database());
        }
        if (first.table() != null) {
            message.setHeader(Headers.TABLE, first.table());
        }
        message.setBody(new ArrayList<>(parts));
        return parts;
    }

    /**
     * As {@link #each}, then gives the exchange's own message the named headers of the batch's first message:
     * a batch is one table's, so what a step decides for its messages (a topic, a new name) holds for the
     * exchange, where the route's choices read it.
     */
    public static void each(Exchange exchange, Step step, String... batchHeaders) throws Exception {
        each(exchange, step);
        Message first = first(exchange);
        if (first != null && first != exchange.getMessage()) {
            for (String header : batchHeaders) {
                exchange.getMessage().setHeader(header, first.getHeader(header));
            }
        }
    }

    /** The first message of the exchange, or null when its list is empty. */
    private static Message first(Exchange exchange) {
        Message message = exchange.getMessage();
        if (message.getBody() instanceof List<?> parts) {
            return parts.isEmpty() ? null : (Message) parts.get(0);
        }
        return message;
    }
}
