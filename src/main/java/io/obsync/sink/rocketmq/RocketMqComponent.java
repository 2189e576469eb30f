package io.obsync.sink.rocketmq;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code obsync-rocketmq:<producer group>} component: sends the pipeline's messages to RocketMQ,
 * choosing each message's queue from its sharding value with RocketMQ's hash-of-key selection.
 */
@org.apache.camel.spi.annotations.Component("obsync-rocketmq")
public class RocketMqComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RocketMqEndpoint endpoint = new RocketMqEndpoint(uri, this);
        endpoint.setProducerGroup(remaining == null || remaining.isBlank() ? "OMS" : remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
