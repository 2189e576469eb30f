package io.obsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.obsync.config.Options;
import io.obsync.source.BinlogEndpoint;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shipped routes under a properties file that sets nothing but the password (as {@code camel run}
 * loads them: the configuration class, no launcher): every option the routes name reads as its
 * declaration's default, because the routes carry no defaults of their own.
 */
@CamelMainTest(
        configurationClasses = ObsyncConfiguration.class,
        propertyPlaceholderLocations = "classpath:config/minimal.properties",
        properties = {
                "camel.main.routes-include-pattern=file:routes/*.camel.yaml",
                "camel.main.auto-startup=false",
                "camel.management.enabled=false",
                "camel.metrics.enabled=false",
                "camel.server.enabled=false"})
@Timeout(60)
class MinimalConfigurationTest {

    @BeanInject
    CamelContext context;

    @Test
    void theRoutesReadTheDeclaredDefaults() {
        Route pipeline = context.getRoute("pipeline");
        assertThat(pipeline).as("the shipped pipeline route").isNotNull();
        BinlogEndpoint source = (BinlogEndpoint) pipeline.getEndpoint();
        assertThat(source.getChunkSize()).isEqualTo(Integer.parseInt(Options.FULL_SYNC_CHUNK_SIZE.defaultValue()));
        assertThat(source.getChunkParallelism()).isEqualTo(Integer.parseInt(Options.FULL_SYNC_PARALLELISM.defaultValue()));
        assertThat(source.isFullSync()).isFalse();
        assertThat(source.getStartTime()).isEmpty();
        KafkaEndpoint kafka = context.getEndpoints().stream().filter(KafkaEndpoint.class::isInstance).map(KafkaEndpoint.class::cast)
                .findFirst().orElseThrow();
        assertThat(kafka.getConfiguration().getBrokers()).isEqualTo(Options.KAFKA_BROKERS.defaultValue());
        assertThat(kafka.getConfiguration().getLingerMs()).isEqualTo(Integer.valueOf(Options.KAFKA_LINGER_MS.defaultValue()));
    }
}
