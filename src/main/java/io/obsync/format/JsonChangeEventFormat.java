package io.obsync.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.obsync.event.ChangeEvent;
import org.apache.camel.Exchange;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatName;
import org.apache.camel.support.service.ServiceSupport;

/** What every JSON message format shares: a Camel data format that streams one change event as JSON. */
public abstract class JsonChangeEventFormat extends ServiceSupport implements DataFormat, DataFormatName {

    private final JsonFactory json = JsonFactory.builder().build();

    @Override
    public final void marshal(Exchange exchange, Object graph, OutputStream stream) throws IOException {
        if (!(graph instanceof ChangeEvent event)) {
            throw new IOException(getDataFormatName() + " format marshals change events, not "
                    + (graph == null ? "null" : graph.getClass().getName()) + ": marshal right after the source route");
        }
        try (JsonGenerator out = json.createGenerator(stream, JsonEncoding.UTF8)) {
            write(event, out);
        }
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
