package io.obsync.format;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import io.obsync.config.Options;
import io.obsync.config.Pairs;
import io.obsync.event.Headers;
import io.obsync.event.MessageParts;
import io.obsync.event.TransactionBoundaries;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatName;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The task's serialization method ({@code obsync.format}) with per-topic overrides
 * ({@code obsync.format.topics}): marshals each message with the format of its topic, as a data format
 * (one message) or as a processor (every message of a batch).
 */
public class TaskFormat extends ServiceSupport implements DataFormat, DataFormatName, TransactionBoundaries, Processor {

    private final JsonChangeEventFormat taskFormat;
    private final Map<String, JsonChangeEventFormat> byTopic;

    public TaskFormat(JsonChangeEventFormat taskFormat, Map<String, JsonChangeEventFormat> byTopic) {
        this.taskFormat = taskFormat;
        this.byTopic = Map.copyOf(byTopic);
    }

    /**
     * Parses "topic=Format,topic=Format" into topic names and formats.
     *
     * @throws IllegalArgumentException naming the entry and the fix
     */
    public static Map<String, FormatName> parseOverrides(String overrides) {
        Map<String, FormatName> out = new LinkedHashMap<>();
        Pairs.parse(overrides, "Format override", Options.FORMAT_TOPICS, "topic=Format", "orders=Canal").forEach((topic, format) ->
                out.put(topic, MessageFormats.resolve(format, "The format of topic " + topic + " in " + Options.FORMAT_TOPICS.key())));
        return out;
    }

    /**
     * Whether a format fits where its messages go: Maxwell cannot go to RocketMQ, and a heartbeat topic
     * needs a format with a heartbeat message.
     *
     * @param what the start of the error sentence, naming the option and its value
     * @throws IllegalArgumentException one sentence with the fix
     */
    public static void checkFits(FormatName format, String what, boolean toRocketMq, boolean carriesHeartbeats) {
        if (format == FormatName.MAXWELL && toRocketMq) {
            throw new IllegalArgumentException(what + " but tables go to RocketMQ, which the Maxwell format does not support: "
                    + "choose another format, or send those tables to Kafka.");
        }
        if (carriesHeartbeats && !format.hasHeartbeat()) {
            throw new IllegalArgumentException(what + " but that format has no heartbeat message and obsync.heartbeat.topic is set: "
                    + "leave obsync.heartbeat.topic empty, or use Default or DataWorks for it.");
        }
    }

    /** The format that marshals messages of a topic. */
    public JsonChangeEventFormat formatOf(String topic) {
        JsonChangeEventFormat format = topic == null ? null : byTopic.get(topic);
        return format == null ? taskFormat : format;
    }

    /** Whether the task's format or an override numbers rows within their transaction (Maxwell, SharePlex with sequence). */
    @Override
    public boolean needsTransactionBoundaries() {
        return taskFormat.needsTransactionBoundaries() || byTopic.values().stream().anyMatch(JsonChangeEventFormat::needsTransactionBoundaries);
    }

    @Override
    public void marshal(Exchange exchange, Object graph, OutputStream stream) throws Exception {
        formatOf(exchange.getMessage().getHeader(Headers.TOPIC, String.class)).marshal(exchange, graph, stream);
    }

    /** As a route step ({@code process: {ref: messageFormat}}): writes every message of the exchange with its topic's format. */
    @Override
    public void process(Exchange exchange) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
        MessageParts.each(exchange, part -> formatOf(part.getHeader(Headers.TOPIC, String.class)).encode(part, buffer));
    }

    @Override
    public Object unmarshal(Exchange exchange, InputStream stream) {
        throw new UnsupportedOperationException("obsync writes messages; it does not read them");
    }

    @Override
    public String getDataFormatName() {
        return taskFormat.getDataFormatName();
    }

    @Override
    protected void doStart() {
        // formats hold no resources
    }

    @Override
    protected void doStop() {
        // formats hold no resources
    }
}
