package io.obsync.destination;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.obsync.config.Options;
import io.obsync.config.Pairs;
import io.obsync.config.TopicMethod;
import io.obsync.config.TopicNames;
import io.obsync.event.ChangeEvent;
import io.obsync.event.Headers;
import io.obsync.event.MessageParts;
import io.obsync.event.Operation;
import io.obsync.filter.SyncObjects;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides each change event's target: a named topic for tables mapped one by one, else the batch
 * pattern such as {@code Topic_${Database Name}_${Table Name}}; and the message queue system, the
 * task's default target or the one a mapping names ({@code shop.orders=rocketmq:orders}). Both
 * travel in {@link io.obsync.event.Headers}, which the sinks read.
 */
public class TopicMapping implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(TopicMapping.class);

    /** The message queue systems a table can go to. */
    public enum Target {
        KAFKA("kafka"), ROCKETMQ("rocketmq");

        private final String header;

        Target(String header) {
            this.header = header;
        }

        /** The value of the CamelObsyncTarget header the routes choose the sink by. */
        public String header() {
            return header;
        }
    }

    /** Where one table's changes go. */
    public record Destination(Target target, String topic) {
    }

    private final String pattern;
    private final Target defaultTarget;
    private final Map<String, Destination> named;
    private final String heartbeatTopic;
    private final Map<String, Destination> resolved = new ConcurrentHashMap<>();
    // Debezium's schema-change topic for the task's DDL, or null: DDL goes to its table's topic (the OMS rule)
    private volatile String schemaChangeTopic;

    /**
     * @param pattern        batch pattern with ${Database Name} and ${Table Name}
     * @param mapping        "db.table=[target:]topic" pairs separated by commas; may be empty
     * @param heartbeatTopic topic for heartbeat messages; empty sends none
     * @param defaultTarget  kafka or rocketmq: where tables go unless their mapping names a target
     */
    public TopicMapping(String pattern, String mapping, String heartbeatTopic, String defaultTarget) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException(Options.TOPIC_PATTERN.key() + " is empty: set it, e.g. Topic_${Database Name}_${Table Name}.");
        }
        this.pattern = pattern;
        this.defaultTarget = target(defaultTarget, Options.TARGET.key());
        this.named = parseMapping(mapping, this.defaultTarget);
        this.heartbeatTopic = heartbeatTopic == null || heartbeatTopic.isBlank() ? null
                : TopicNames.requireValid(heartbeatTopic.trim(), "heartbeats (obsync.heartbeat.topic)", "choose another name");
        // a pattern that cannot yield a valid name for a simple table fails now, not at the first event
        TopicNames.requireValid(apply("db", "t1"), "pattern '" + pattern + "' (obsync.topic.pattern)",
                "use only letters, digits, '-', '_', '.' around ${Database Name} and ${Table Name}");
    }

    private static Target target(String name, String where) {
        try {
            return Target.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + " is '" + name + "': use kafka or rocketmq.");
        }
    }

    private static Map<String, Destination> parseMapping(String mapping, Target defaultTarget) {
        Map<String, Destination> out = new LinkedHashMap<>();
        Pairs.parse(mapping, "Topic mapping entry", Options.TOPIC_MAPPING, "database.table=topic", "shop.orders=orders_topic").forEach((table, value) -> {
            if (table.indexOf('.') <= 0 || table.endsWith(".")) {
                throw new IllegalArgumentException(Pairs.refusal("Topic mapping entry", table + "=" + value, Options.TOPIC_MAPPING,
                        "database.table=topic", "shop.orders=orders_topic"));
            }
            Target target = defaultTarget;
            String topic = value;
            int colon = value.indexOf(':');
            if (colon >= 0) {
                target = target(value.substring(0, colon), "The target of " + table + " in " + Options.TOPIC_MAPPING.key());
                topic = value.substring(colon + 1).trim();
            }
            out.put(table, new Destination(target, TopicNames.requireValid(topic, "table " + table + " (" + Options.TOPIC_MAPPING.key() + ")",
                    "map the table to a valid name")));
        });
        return out;
    }

    /**
     * Sends DDL to one Kafka topic for the whole task, as Debezium does (its schema-change topic is named
     * after {@code topic.prefix}), instead of to each table's topic, so that the tables' topics carry
     * row changes only.
     */
    public void setSchemaChangeTopic(String topic) {
        this.schemaChangeTopic = topic == null || topic.isBlank() ? null
                : TopicNames.requireValid(topic.trim(), "the schema-change topic (obsync.task.name)", "choose a task name that is a valid topic name");
    }

    /** Debezium's schema-change topic of the task, or null when DDL goes to each table's topic. */
    public String schemaChangeTopic() {
        return schemaChangeTopic;
    }

    private boolean toSchemaChangeTopic(ChangeEvent event) {
        return schemaChangeTopic != null && event.operation() == Operation.DDL;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        // a batch is one table's, so one destination: the route's target choice reads it from the exchange
        MessageParts.each(exchange, this::route, Headers.TOPIC, Headers.TARGET);
    }

    /** Sets a message's topic and target; null when it goes nowhere. */
    private Message route(Message message) {
        ChangeEvent event = message.getBody(ChangeEvent.class);
        Destination destination;
        if (event.operation() == Operation.HEARTBEAT) {
            destination = heartbeatTopic == null ? null : new Destination(defaultTarget, heartbeatTopic);
        } else if (event.table() == null) {
            LOG.debug("Not sending {}: it names no table", event);
            destination = null;
        } else if (toSchemaChangeTopic(event)) {
            destination = new Destination(Target.KAFKA, schemaChangeTopic);
        } else {
            // an object of the objects file may have named its topic already
            destination = destination(event.database(), event.table(), message.getHeader(Headers.TOPIC, String.class));
        }
        if (destination == null) {
            // nothing to send (heartbeats without a topic, database-level DDL); the position still advances
            return null;
        }
        message.setHeader(Headers.TOPIC, destination.topic());
        // no branch on the target here: a task whose first hours went to Kafka only had its JIT-compiled code trap at every
        // RocketMQ message afterwards (a deoptimization per event, 156,000 in one bench run, a tenth of its CPU time)
        message.setHeader(Headers.TARGET, destination.target().header());
        return message;
    }

    /**
     * Where a table's row changes and DDL go, the one decision the pipeline, the precheck and
     * {@code obsync verify} share: the topic its objects-file rule names, else its
     * obsync.topic.mapping entry, else the pattern; the target system is the mapping entry's, else
     * the task's default.
     *
     * @param database  the database as messages name it (after an objects-file rename)
     * @param table     the table as messages name it
     * @param ruleTopic the topic the table's objects-file rule names, or null
     */
    public Destination destination(String database, String table, String ruleTopic) {
        if (ruleTopic == null) {
            return destinationOf(database, table);
        }
        Destination named = this.named.get(database + "." + table);
        return new Destination(named == null ? defaultTarget : named.target(), ruleTopic);
    }

    /** Whether any table can go to this target (the default target, or a named mapping). */
    public boolean usesTarget(Target target) {
        return defaultTarget == target || named.values().stream().anyMatch(d -> d.target() == target);
    }

    /** The target a topic's messages go to: its named mapping's target, else the default target. */
    public Target targetOfTopic(String topic) {
        return named.values().stream().filter(d -> d.topic().equals(topic)).map(Destination::target).findFirst().orElse(defaultTarget);
    }

    /** The topics the mapping names for tables of a target. */
    public Set<String> namedTopics(Target target) {
        Set<String> out = new TreeSet<>();
        named.values().stream().filter(d -> d.target() == target).forEach(d -> out.add(d.topic()));
        return out;
    }

    /** The topic of heartbeat messages, or null when none are sent. */
    public String heartbeatTopic() {
        return heartbeatTopic;
    }

    private Destination destinationOf(String database, String table) {
        String key = database + "." + table;
        Destination destination = resolved.get(key);
        if (destination == null) {
            destination = named.get(key);
            if (destination == null) {
                destination = new Destination(defaultTarget, TopicNames.requireValid(apply(database, table),
                        "table " + key + " from pattern '" + pattern + "'",
                        "map the table to a named topic with obsync.topic.mapping=" + key + "=<topic>"));
            }
            resolved.put(key, destination);
        }
        return destination;
    }

    private String apply(String database, String table) {
        return pattern.replace("${Database Name}", database).replace("${Table Name}", table);
    }

    /**
     * The Kafka topics the task names (obsync.topic.mapping, the objects file's topics, the heartbeat
     * topic) with their mapping method.
     */
    public static Map<String, TopicMethod> kafkaTopicMethods(TopicMapping mapping, SyncObjects objects, TopicMethod method) {
        return topicMethods(mapping, objects, method, TopicMapping.Target.KAFKA);
    }

    /** The topics of one target system the task names (mapping, objects file, heartbeats), with their mapping method. */
    public static Map<String, TopicMethod> topicMethods(TopicMapping mapping, SyncObjects objects, TopicMethod method, TopicMapping.Target target) {
        Map<String, TopicMethod> topics = new TreeMap<>();
        for (String topic : mapping.namedTopics(target)) {
            topics.put(topic, method);
        }
        if (mapping.heartbeatTopic() != null && mapping.targetOfTopic(mapping.heartbeatTopic()) == target) {
            topics.putIfAbsent(mapping.heartbeatTopic(), method);
        }
        if (objects != null) {
            for (SyncObjects.Rule rule : objects.includes()) {
                if (rule.topic() != null && mapping.targetOfTopic(rule.topic()) == target) {
                    topics.put(rule.topic(), rule.topicMethod() == null ? method : rule.topicMethod());
                }
            }
        }
        return topics;
    }
}
