package io.obsync.sink.rocketmq;

import java.util.Map;

import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code obsync-rocketmq:<producer group>} component: sends the pipeline's messages to RocketMQ,
 * choosing each message's queue from its sharding value with RocketMQ's hash-of-key selection.
 */
@Component("obsync-rocketmq")
public class RocketMqComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RocketMqEndpoint endpoint = new RocketMqEndpoint(uri, this);
        endpoint.setProducerGroup(remaining == null || remaining.isBlank() ? "OMS" : remaining);
        setProperties(endpoint, parameters);
        // ACL credentials come from the configuration, not from the route, so that no route dump shows them
        if (endpoint.getAccessKey().isEmpty()) {
            endpoint.setAccessKey(TaskConfig.of(getCamelContext()).text(Options.ROCKETMQ_ACCESS_KEY));
        }
        if (endpoint.getSecretKey().isEmpty()) {
            endpoint.setSecretKey(TaskConfig.of(getCamelContext()).text(Options.ROCKETMQ_SECRET_KEY));
        }
        return endpoint;
    }
}
