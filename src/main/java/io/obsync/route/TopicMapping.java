package io.obsync.route;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.obsync.event.ChangeEvent;
import io.obsync.event.Operation;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides each change event's target topic: a named topic for tables mapped one by one, else the
 * batch pattern such as {@code Topic_${Database Name}_${Table Name}}. The topic travels in the
 * {@code kafka.OVERRIDE_TOPIC} header, which both sinks read.
 */
public class TopicMapping implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(TopicMapping.class);

    private final String pattern;
    private final Map<String, String> named;
    private final String heartbeatTopic;
    private final Map<String, String> resolved = new ConcurrentHashMap<>();

    /**
     * @param pattern        batch pattern with ${Database Name} and ${Table Name}
     * @param mapping        "db.table=topic" pairs separated by commas; may be empty
     * @param heartbeatTopic topic for heartbeat messages; empty sends none
     */
    public TopicMapping(String pattern, String mapping, String heartbeatTopic) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("obsync.topic.pattern is empty: set it, e.g. Topic_${Database Name}_${Table Name}.");
        }
        this.pattern = pattern;
        this.named = parseMapping(mapping);
        this.heartbeatTopic = heartbeatTopic == null || heartbeatTopic.isBlank() ? null
                : TopicNames.requireValid(heartbeatTopic.trim(), "heartbeats (obsync.heartbeat.topic)", "choose another name");
        // a pattern that cannot yield a valid name for a simple table fails now, not at the first event
        TopicNames.requireValid(apply("db", "t1"), "pattern '" + pattern + "' (obsync.topic.pattern)",
                "use only letters, digits, '-', '_', '.' around ${Database Name} and ${Table Name}");
    }

    private static Map<String, String> parseMapping(String mapping) {
        Map<String, String> out = new LinkedHashMap<>();
        if (mapping == null || mapping.isBlank()) {
            return out;
        }
        for (String pair : mapping.split(",")) {
            String entry = pair.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String table = eq < 0 ? "" : entry.substring(0, eq).trim();
            if (eq < 0 || table.indexOf('.') <= 0 || table.endsWith(".")) {
                throw new IllegalArgumentException("Topic mapping entry '" + entry + "' (obsync.topic.mapping) is not of the form "
                        + "database.table=topic: write it like shop.orders=orders_topic.");
            }
            out.put(table, TopicNames.requireValid(entry.substring(eq + 1).trim(), "table " + table + " (obsync.topic.mapping)",
                    "map the table to a valid name"));
        }
        return out;
    }

    @Override
    public void process(Exchange exchange) {
        ChangeEvent event = exchange.getMessage().getBody(ChangeEvent.class);
        String topic = topicFor(event);
        if (topic == null) {
            // nothing to send (heartbeats without a topic, database-level DDL); the position still advances
            exchange.setRouteStop(true);
            return;
        }
        exchange.getMessage().setHeader(KafkaConstants.OVERRIDE_TOPIC, topic);
    }

    /** The topic of an event, or null when the event goes nowhere. */
    public String topicFor(ChangeEvent event) {
        if (event.operation() == Operation.HEARTBEAT) {
            return heartbeatTopic;
        }
        if (event.table() == null) {
            LOG.debug("Not sending {}: it names no table", event);
            return null;
        }
        String key = event.database() + "." + event.table();
        String topic = resolved.get(key);
        if (topic == null) {
            topic = named.get(key);
            if (topic == null) {
                topic = TopicNames.requireValid(apply(event.database(), event.table()), "table " + key + " from pattern '" + pattern + "'",
                        "map the table to a named topic with obsync.topic.mapping=" + key + "=<topic>");
            }
            resolved.put(key, topic);
        }
        return topic;
    }

    private String apply(String database, String table) {
        return pattern.replace("${Database Name}", database).replace("${Table Name}", table);
    }
}
