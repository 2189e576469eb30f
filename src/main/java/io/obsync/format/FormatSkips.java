package io.obsync.format;

import java.util.concurrent.atomic.AtomicLong;

import io.obsync.event.ChangeEvent;
import io.obsync.event.Headers;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops events the topic's format cannot express (DataWorks: COMMENT ON TABLE, TRUNCATE PARTITION)
 * before they are marshalled: logged and counted, never sent half-formed. Their position still
 * advances, as for any event that goes nowhere.
 */
public class FormatSkips implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FormatSkips.class);

    private final String formatBean;
    private volatile TaskFormat formats;
    private final AtomicLong skipped = new AtomicLong();

    /** @param formatBean registry name of the task's {@link TaskFormat} */
    public FormatSkips(String formatBean) {
        this.formatBean = formatBean;
    }

    @Override
    public void process(Exchange exchange) {
        ChangeEvent event = exchange.getMessage().getBody(ChangeEvent.class);
        String topic = exchange.getMessage().getHeader(Headers.TOPIC, String.class);
        if (formats == null) {
            formats = exchange.getContext().getRegistry().lookupByNameAndType(formatBean, TaskFormat.class);
        }
        JsonChangeEventFormat format = formats.formatOf(topic);
        if (event != null && !format.canWrite(event)) {
            long count = skipped.incrementAndGet();
            LOG.warn("Skipped {} of {}.{} for topic {}: the {} format cannot express it ({} skipped so far): {}",
                    event.ddlKind() != null ? event.ddlKind() : event.operation(), event.database(), event.table(), topic,
                    format.getDataFormatName(), count, event.ddl() != null ? event.ddl() : event.eventId());
            exchange.setRouteStop(true);
        }
    }

    /** How many events were skipped because their format cannot express them. */
    public long skipped() {
        return skipped.get();
    }
}
