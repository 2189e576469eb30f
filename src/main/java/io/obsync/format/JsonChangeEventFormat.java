package io.obsync.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.obsync.event.ChangeEvent;
import io.obsync.event.Headers;
import io.obsync.event.MessageParts;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatName;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every JSON message format shares: a Camel data format that streams one change event as JSON,
 * and a processor that writes every message of an exchange (a batch) the same way.
 */
public abstract class JsonChangeEventFormat extends ServiceSupport implements DataFormat, DataFormatName, Processor {

    private static final Logger LOG = LoggerFactory.getLogger(JsonChangeEventFormat.class);

    private final JsonFactory json = JsonFactory.builder().build();
    private final AtomicLong skipped = new AtomicLong();
    private String businessSystemId = "";

    @Override
    public final void marshal(Exchange exchange, Object graph, OutputStream stream) throws IOException {
        if (!(graph instanceof ChangeEvent event)) {
            throw new IOException(notAnEvent(getDataFormatName(), graph));
        }
        if (!write(exchange.getMessage(), event, stream)) {
            exchange.setRouteStop(true);
        }
    }

    /**
     * As a route step ({@code process: {ref: <format bean>}}): writes every message of the exchange,
     * a batch's one by one, each body becoming its bytes; a change the format cannot express is not
     * sent (logged and counted).
     */
    @Override
    public final void process(Exchange exchange) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
        MessageParts.each(exchange, part -> encode(part, buffer));
    }

    /** Writes one message's change event as its body; null when this format cannot express it. */
    Message encode(Message part, ByteArrayOutputStream buffer) throws IOException {
        Object body = part.getBody();
        if (!(body instanceof ChangeEvent event)) {
            throw new IOException(notAnEvent(getDataFormatName(), body));
        }
        buffer.reset();
        if (!write(part, event, buffer)) {
            return null;
        }
        part.setBody(buffer.toByteArray());
        return part;
    }

    /** The one line for a body that is not a change event: a batch of them marshalled with Camel's marshal step, or something else. */
    static String notAnEvent(String format, Object body) {
        if (body instanceof List<?> list) {
            return format + " format was given a batch of " + list.size() + " change messages by a marshal step, which writes one message: "
                    + "write batches with a process step, e.g. process: {ref: messageFormat}";
        }
        return format + " format marshals change events, not " + (body == null ? "null" : body.getClass().getName())
                + ": marshal the change events the obsync-binlog source hands over";
    }

    /** Writes the event and sets its message's key headers; false (logged, counted) when this format cannot express it. */
    private boolean write(Message message, ChangeEvent event, OutputStream stream) throws IOException {
        if (!canWrite(event)) {
            // nothing half-formed leaves: the message stops here, the position moves on
            long count = skipped.incrementAndGet();
            LOG.warn("Skipped {} of {}.{} for topic {}: the {} format cannot express it ({} skipped so far): {}",
                    event.ddlKind() != null ? event.ddlKind() : event.operation(), event.database(), event.table(),
                    message.getHeader(Headers.TOPIC), getDataFormatName(), count, event.ddl() != null ? event.ddl() : event.eventId());
            return false;
        }
        try (JsonGenerator out = json.createGenerator(stream, JsonEncoding.UTF8)) {
            write(event, out);
        }
        String key = recordKey(event);
        if (key != null) {
            message.setHeader(Headers.RECORD_KEY, key);
        }
        if (!businessSystemId.isEmpty()) {
            message.setHeader(Headers.BUSINESS_SYSTEM_ID, businessSystemId);
        }
        return true;
    }

    /** Whether messages need each change's position in its transaction and the transaction's size. */
    public boolean needsTransactionBoundaries() {
        return false;
    }

    /**
     * Whether this format can express the event; one it cannot is not written: marshalling it logs and
     * counts it and stops the route, however the route names the format.
     */
    public boolean canWrite(ChangeEvent event) {
        return true;
    }

    /** The Kafka record key this format wants instead of the sharding value, or null to keep the sharding value. */
    public String recordKey(ChangeEvent event) throws IOException {
        return null;
    }

    /** Business system identifier carried as a header of every message (and in the body by formats that have a field for it). */
    public void setBusinessSystemId(String businessSystemId) {
        this.businessSystemId = BusinessSystemId.validate(businessSystemId);
    }

    public String businessSystemId() {
        return businessSystemId;
    }

    /** Writes one event as one JSON value; public so benchmarks and tests can drive a format without Camel. */
    public abstract void write(ChangeEvent event, JsonGenerator out) throws IOException;

    @Override
    public Object unmarshal(Exchange exchange, InputStream stream) {
        throw new UnsupportedOperationException("obsync writes the " + getDataFormatName() + " format; it does not read it");
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
