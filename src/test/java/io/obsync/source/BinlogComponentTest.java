package io.obsync.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The obsync-binlog endpoint takes its own options and hands the rest to debezium-mysql. */
class BinlogComponentTest {

    @Test
    void ownOptionsReachTheEndpointAndTheRestReachDebezium() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addComponent("obsync-binlog", new BinlogComponent());
            BinlogEndpoint endpoint = context.getEndpoint("obsync-binlog:t1?databaseHostname=db.example&databasePassword=x&topicPrefix=t1&tenant=tn"
                    + "&notNullEpochIsZeroDate=true&sendRetries=3", BinlogEndpoint.class);
            assertThat(endpoint.isNotNullEpochIsZeroDate()).isTrue();
            assertThat(endpoint.getTenant()).isEqualTo("tn");
            assertThat(endpoint.getSendRetries()).isEqualTo(3);
            assertThat(endpoint.getDebezium().getConfiguration().getDatabaseHostname()).isEqualTo("db.example");

            BinlogEndpoint plain = context.getEndpoint("obsync-binlog:t2?databaseHostname=db.example&databasePassword=x&topicPrefix=t2", BinlogEndpoint.class);
            assertThat(plain.isNotNullEpochIsZeroDate()).isFalse();
        }
    }

    @Test
    void aRouteThatMarshalsWithMaxwellByNameTurnsTransactionNumberingOn() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addComponent("obsync-binlog", new BinlogComponent());
            context.getRegistry().bind("Maxwell", io.obsync.format.MessageFormats.create(io.obsync.format.FormatName.MAXWELL,
                    io.obsync.format.MessageFormats.Settings.of(key -> null)));
            context.getRegistry().bind("Canal", io.obsync.format.MessageFormats.create(io.obsync.format.FormatName.CANAL,
                    io.obsync.format.MessageFormats.Settings.of(key -> null)));
            context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:canal").marshal().custom("Canal").to("mock:out");
                }
            });
            String uri = "obsync-binlog:t1?databaseHostname=db.example&databasePassword=x&topicPrefix=t1";
            assertThat(context.getEndpoint(uri, BinlogEndpoint.class).isTransactionBoundaries()).isFalse();
            context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:maxwell").choice().when(simple("${header.x}")).marshal().custom("Maxwell").end().to("mock:out");
                }
            });
            assertThat(context.getEndpoint(uri + "&tenant=other", BinlogEndpoint.class).isTransactionBoundaries()).isTrue();
        }
    }

    @Test
    void whereTheStateIsKeptIsTheStoresToSayNotTheRoutes() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.addComponent("obsync-binlog", new BinlogComponent());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> context.getEndpoint("obsync-binlog:t1?databaseHostname=db.example"
                    + "&databasePassword=x&topicPrefix=t1&offsetStorageFileName=/tmp/x.dat"))
                    .rootCause().hasMessage("Source endpoint obsync-binlog:t1 sets offsetStorageFileName: where a task keeps its position and "
                            + "schema history is obsync.state.store (with obsync.data-dir); remove offsetStorageFileName from the route.");
            BinlogEndpoint endpoint = context.getEndpoint("obsync-binlog:t1?databaseHostname=db.example&databasePassword=x&topicPrefix=t1",
                    BinlogEndpoint.class);
            assertThat(endpoint.getStateStore().describe()).isEqualTo("the folder " + java.nio.file.Path.of("data", "t1"));
            assertThat(endpoint.getDebezium().getConfiguration().getOffsetStorage()).isEqualTo(io.obsync.state.AtomicFileOffsetBackingStore.class.getName());
        }
    }
}
