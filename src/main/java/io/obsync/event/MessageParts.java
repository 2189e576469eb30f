package io.obsync.event;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The messages one exchange carries: the two halves of an UPDATE that moved its row to another key
 * (the pipeline keeps them in one exchange as a list, so they leave together and in order), or DDL
 * copies for every partition; else the exchange's one message. Every step that looks at messages
 * asks here.
 */
public final class MessageParts {

    private MessageParts() {
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
}
