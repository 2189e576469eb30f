package io.obsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import io.obsync.sink.rocketmq.RocketMqComponent;
import io.obsync.sink.rocketmq.RocketMqEndpoint;
import io.obsync.source.BinlogComponent;
import io.obsync.source.BinlogEndpoint;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The source password and the RocketMQ secret key reach the endpoints from the configuration, never
 * through the routes: a JMX client's dumpRoutesAsXml with placeholders resolved does not show them.
 */
class SecretsInRouteDumpsTest {

    @Test
    void credentialsReachTheEndpointsButNoRouteDump() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Properties properties = new Properties();
            properties.put("obsync.source.password", "Src-Pa55-secret");
            properties.put("obsync.rocketmq.access-key", "AK-visible");
            properties.put("obsync.rocketmq.secret-key", "Rmq-5ecret-key");
            context.getPropertiesComponent().setInitialProperties(properties);
            context.addComponent("obsync-binlog", new BinlogComponent());
            context.addComponent("obsync-rocketmq", new RocketMqComponent());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:sink").routeId("sink-rocketmq").to("obsync-rocketmq:OMS?namesrvAddr=127.0.0.1:1&lazyStartProducer=true");
                }
            });
            context.start();
            BinlogEndpoint source = context.getEndpoint("obsync-binlog:t1?databaseHostname=db.example&topicPrefix=t1", BinlogEndpoint.class);
            assertThat(source.getDebezium().getConfiguration().getDatabasePassword()).isEqualTo("Src-Pa55-secret");
            RocketMqEndpoint sink = (RocketMqEndpoint) context.getRoute("sink-rocketmq").getEndpoint().getCamelContext().getEndpoints().stream()
                    .filter(RocketMqEndpoint.class::isInstance).findFirst().orElseThrow();
            assertThat(sink.getSecretKey()).isEqualTo("Rmq-5ecret-key");

            String dump = context.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class).getManagedCamelContext().dumpRoutesAsXml(true);
            assertThat(dump).contains("obsync-rocketmq:OMS").doesNotContain("Rmq-5ecret-key").doesNotContain("Src-Pa55-secret");
            assertThat(context.getEndpoints()).allSatisfy(e -> assertThat(e.getEndpointUri()).doesNotContain("Rmq-5ecret-key"));
        }
    }
}
