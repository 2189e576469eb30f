package io.obsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.obsync.destination.KafkaPartitioner;
import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.Headers;
import io.obsync.event.Operation;
import io.obsync.event.TableSchema;
import io.obsync.event.TestEvents;
import io.obsync.sink.Placement;
import io.obsync.sink.kafka.KafkaTopicMetadata;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Produce;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.main.junit5.AdviceRouteMapping;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.ReplaceInRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shipped YAML routes and application.properties, booted in about a second with the binlog
 * source replaced by {@code direct:source} and the two brokers by mock endpoints: selection, row
 * filters, column selection, format choice, topic, target and partition, and error handling.
 */
@CamelMainTest(
        configurationClasses = ObsyncConfiguration.class,
        propertyPlaceholderLocations = "file:application.properties",
        properties = {
                "camel.main.routes-include-pattern=file:routes/*.camel.yaml",
                "camel.main.name=obsync-route-test",
                "camel.management.enabled=false",
                "camel.metrics.enabled=false",
                "camel.server.enabled=false",
                "obsync.task.name=route-test",
                "obsync.source.password=route-test",
                // unreachable at once: the objects file's check against the source is skipped with a warning
                "obsync.source.hostname=127.0.0.1",
                "obsync.source.port=1",
                "obsync.objects.file=src/test/resources/routes/objects.yaml",
                "obsync.dml=INSERT,UPDATE",
                "obsync.format=Default",
                "obsync.format.topics=canal_orders=Canal,Topic_shop_dw=DataWorks",
                "obsync.ddl.enabled=true",
                "obsync.topic.mapping=shop.lines=rocketmq:lines_mq",
                "obsync.schema-sync.enabled=false"},
        replaceRouteFromWith = "pipeline=direct:source",
        advices = @AdviceRouteMapping(route = "pipeline", advice = ShippedRoutesTest.BrokersToMocks.class))
class ShippedRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TableSchema ORDERS = new TableSchema(List.of(
            new ColumnDef("id", "INT", 11, -1, false),
            new ColumnDef("amount", "DECIMAL", 10, 2, true),
            new ColumnDef("note", "VARCHAR", 20, -1, true)), List.of("id"));

    /** Three partitions for every topic, without a broker. */
    @ReplaceInRegistry
    KafkaPartitioner kafkaPartitioner = new KafkaPartitioner(Placement.Rule.HASH, 0, new KafkaTopicMetadata("127.0.0.1:1") {
        @Override
        public int partitions(String topic) {
            return 3;
        }
    });

    @Produce("direct:source")
    ProducerTemplate template;
    @EndpointInject("mock:kafka")
    MockEndpoint kafka;
    @EndpointInject("mock:rocketmq")
    MockEndpoint rocketmq;

    /** The Kafka and RocketMQ producer steps replaced by mocks that record what they would send. */
    public static class BrokersToMocks extends AdviceWithRouteBuilder {
        @Override
        public void configure() throws Exception {
            weaveById("kafka").replace().to("mock:kafka");
            weaveById("rocketmq").replace().to("mock:rocketmq");
        }
    }

    private static Exchange send(ProducerTemplate template, ChangeEvent event) {
        return template.send("direct:source", exchange -> {
            exchange.getMessage().setBody(event);
            exchange.getMessage().setHeader(Headers.EVENT_ID, event.eventId());
            exchange.getMessage().setHeader(Headers.OPERATION, event.operation().name());
            exchange.getMessage().setHeader(Headers.DATABASE, event.database());
            exchange.getMessage().setHeader(Headers.TABLE, event.table());
        });
    }

    private static ChangeEvent order(Operation op, String table, int id, String amount) {
        Object[] row = {id, new BigDecimal(amount), "n" + id};
        return TestEvents.event(op, ORDERS, op == Operation.INSERT ? null : row, op == Operation.DELETE ? null : row)
                .table(table).eventId("mariadb-bin.000001:100:2:" + id).build();
    }

    private static JsonNode json(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        if (body instanceof List<?> copies) {
            // DDL goes to every partition: one copy per partition in one exchange
            body = ((org.apache.camel.Message) copies.get(0)).getBody();
        }
        return JSON.readTree(body instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(body));
    }

    @Test
    void selectionRowFilterAndColumnsDecideWhatIsSent() throws Exception {
        kafka.expectedMessageCount(2);
        send(template, order(Operation.INSERT, "orders", 1, "50.00"));      // below the row filter
        send(template, order(Operation.INSERT, "orders", 2, "150.00"));     // sent, without the note column
        send(template, order(Operation.DELETE, "orders", 2, "150.00"));     // DELETE is not in obsync.dml
        send(template, order(Operation.INSERT, "secrets", 3, "500.00"));    // excluded by the objects file
        send(template, order(Operation.UPDATE, "orders", 2, "170.00"));     // sent
        kafka.assertIsSatisfied();

        List<Exchange> sent = kafka.getReceivedExchanges();
        assertThat(sent).extracting(e -> e.getMessage().getHeader(Headers.OPERATION)).containsExactly("INSERT", "UPDATE");
        JsonNode insert = json(sent.get(0));
        assertThat(insert.at("/postStruct/id").asInt()).isEqualTo(2);
        assertThat(insert.at("/postStruct/amount").asText()).isEqualTo("150.00");
        assertThat(insert.at("/postStruct").has("note")).as("columns: id, amount").isFalse();
        assertThat(sent.get(0).getMessage().getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("Topic_shop_orders");
    }

    @Test
    void topicFormatTargetAndPartitionAreDecidedPerTable() throws Exception {
        kafka.expectedMessageCount(2);
        rocketmq.expectedMessageCount(1);
        send(template, order(Operation.INSERT, "orders", 7, "700.00"));
        send(template, order(Operation.INSERT, "canal_orders", 8, "800.00"));
        send(template, order(Operation.INSERT, "lines", 9, "900.00"));
        kafka.assertIsSatisfied();
        rocketmq.assertIsSatisfied();

        Map<String, Exchange> byTopic = new java.util.HashMap<>();
        for (Exchange e : kafka.getReceivedExchanges()) {
            byTopic.put(e.getMessage().getHeader(KafkaConstants.OVERRIDE_TOPIC, String.class), e);
        }
        // the task's format, the key hashed over the topic's partitions as Kafka's producer would
        Exchange orders = byTopic.get("Topic_shop_orders");
        assertThat(json(orders).has("postStruct")).isTrue();
        assertThat(orders.getMessage().getHeader(KafkaConstants.PARTITION_KEY)).isEqualTo(Placement.kafkaPartition("7", 3));
        // the objects file names the topic, obsync.format.topics its format
        Exchange canal = byTopic.get("canal_orders");
        assertThat(json(canal).get("type").asText()).isEqualTo("INSERT");
        assertThat(json(canal).at("/data/0/id").asText()).isEqualTo("8");
        // obsync.topic.mapping sends a table to RocketMQ
        Exchange lines = rocketmq.getReceivedExchanges().get(0);
        assertThat(lines.getMessage().getHeader(Headers.TOPIC)).isEqualTo("lines_mq");
        assertThat(lines.getMessage().getHeader(Headers.KEY)).isEqualTo("9");
    }

    @Test
    void anUpdateThatMovesItsKeyLeavesAsDeleteThenInsertInOneExchange() throws Exception {
        kafka.expectedMessageCount(1);
        ChangeEvent moved = TestEvents.event(Operation.UPDATE, ORDERS, new Object[] {4, new BigDecimal("400.00"), "n4"},
                new Object[] {5, new BigDecimal("400.00"), "n4"}).table("orders").eventId("mariadb-bin.000001:100:2:4").build();
        send(template, moved);
        kafka.assertIsSatisfied();

        List<?> parts = kafka.getReceivedExchanges().get(0).getMessage().getBody(List.class);
        assertThat(parts).as("both halves in one exchange, in order").hasSize(2);
        org.apache.camel.Message delete = (org.apache.camel.Message) parts.get(0);
        org.apache.camel.Message insert = (org.apache.camel.Message) parts.get(1);
        assertThat(delete.getHeader(Headers.EVENT_ID)).isEqualTo("mariadb-bin.000001:100:2:4:key-moved-delete");
        assertThat(insert.getHeader(Headers.EVENT_ID)).isEqualTo("mariadb-bin.000001:100:2:4:key-moved-insert");
        // each half marshalled on its own, each to its key's partition
        assertThat(JSON.readTree(delete.getBody(byte[].class)).at("/prevStruct/id").asInt()).isEqualTo(4);
        assertThat(JSON.readTree(insert.getBody(byte[].class)).at("/postStruct/id").asInt()).isEqualTo(5);
        assertThat(delete.getHeader(KafkaConstants.PARTITION_KEY)).isEqualTo(Placement.kafkaPartition("4", 3));
        assertThat(insert.getHeader(KafkaConstants.PARTITION_KEY)).isEqualTo(Placement.kafkaPartition("5", 3));
    }

    @Test
    @Timeout(30)
    void aBatchIsFilteredKeyedWrittenAndPartitionedMessageByMessageInOneExchange() throws Exception {
        kafka.expectedMessageCount(1);
        ChangeEvent moved = TestEvents.event(Operation.UPDATE, ORDERS, new Object[] {4, new BigDecimal("400.00"), "n4"},
                new Object[] {5, new BigDecimal("400.00"), "n4"}).table("orders").eventId("mariadb-bin.000001:100:2:4").build();
        // the source hands over consecutive UPDATEs of one table as one exchange
        List<org.apache.camel.Message>[] parts = new List[1];
        Exchange result = template.send("direct:source", exchange -> parts[0] = io.obsync.event.MessageParts.batch(exchange, List.of(
                order(Operation.UPDATE, "orders", 1, "50.00"), order(Operation.UPDATE, "orders", 2, "150.00"), moved,
                order(Operation.UPDATE, "orders", 3, "300.00"))));
        kafka.assertIsSatisfied();
        assertThat(result.getException()).isNull();

        Exchange sent = kafka.getReceivedExchanges().get(0);
        List<?> out = sent.getMessage().getBody(List.class);
        assertThat(out).extracting(m -> ((org.apache.camel.Message) m).getHeader(Headers.EVENT_ID)).as("the row filter dropped id 1, the key move "
                + "became two messages in its place").containsExactly("mariadb-bin.000001:100:2:2", "mariadb-bin.000001:100:2:4:key-moved-delete",
                "mariadb-bin.000001:100:2:4:key-moved-insert", "mariadb-bin.000001:100:2:3");
        assertThat(parts[0].get(0).getHeader(Headers.FILTERED)).as("the dropped message is counted as filtered").isEqualTo(Boolean.TRUE);
        int[] ids = {2, 4, 5, 3};
        for (int i = 0; i < ids.length; i++) {
            org.apache.camel.Message m = (org.apache.camel.Message) out.get(i);
            JsonNode value = JSON.readTree(m.getBody(byte[].class));
            JsonNode image = value.at(i == 1 ? "/prevStruct" : "/postStruct");
            assertThat(image.get("id").asInt()).isEqualTo(ids[i]);
            assertThat(image.has("note")).as("columns: id, amount").isFalse();
            assertThat(m.getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("Topic_shop_orders");
            assertThat(m.getHeader(KafkaConstants.PARTITION_KEY)).as("message " + i).isEqualTo(Placement.kafkaPartition(String.valueOf(ids[i]), 3));
        }
        assertThat(sent.getMessage().getHeader(Headers.TABLE)).isEqualTo("orders");
        assertThat(sent.getMessage().getHeader(Headers.TARGET)).isEqualTo("kafka");
    }

    @Test
    void anEventTheTopicsFormatCannotExpressIsNotSent() throws Exception {
        kafka.expectedMessageCount(1);
        ChangeEvent comment = TestEvents.event(Operation.DDL, ORDERS, null, null).table("dw").eventId("e1")
                .ddl(io.obsync.event.DdlKind.COMMENT_ON_TABLE, "COMMENT ON TABLE dw IS 'x'").build();
        ChangeEvent alter = TestEvents.event(Operation.DDL, ORDERS, null, null).table("dw").eventId("e2")
                .ddl(io.obsync.event.DdlKind.ALTER_TABLE, "ALTER TABLE dw ADD c INT").build();
        Exchange skipped = send(template, comment);
        send(template, alter);
        kafka.assertIsSatisfied();
        // DataWorks has no form for COMMENT ON TABLE: nothing half-formed leaves, and nothing fails
        assertThat(skipped.getException()).isNull();
        Exchange sent = kafka.getReceivedExchanges().get(0);
        assertThat(json(sent).at("/payload/op").asText()).isEqualTo("ALTER");
        assertThat(sent.getMessage().getBody(List.class)).as("one copy per partition").hasSize(3);
    }

    @Test
    void theHealthCheckIsDownOnceTheTaskHasFailed() {
        org.apache.camel.CamelContext context = kafka.getCamelContext();
        // what the management server's /observe/health answers
        assertThat(org.apache.camel.health.HealthCheckHelper.invoke(context))
                .allSatisfy(r -> assertThat(r.getState()).isEqualTo(org.apache.camel.health.HealthCheck.State.UP));
        context.getRegistry().findSingleByType(io.obsync.manage.TaskStatus.class).failed("Kafka refused the credentials");
        assertThat(org.apache.camel.health.HealthCheckHelper.invoke(context)).filteredOn(r -> r.getCheck().getId().equals("task"))
                .singleElement().satisfies(r -> {
                    assertThat(r.getState()).isEqualTo(org.apache.camel.health.HealthCheck.State.DOWN);
                    assertThat(r.getMessage()).hasValue("obsync task route-test failed: Kafka refused the credentials");
                });
    }

    @Test
    void aFailedSendFailsTheExchangeOnceWithoutRedelivery() throws Exception {
        kafka.whenAnyExchangeReceived(e -> {
            throw new IllegalStateException("broker said no");
        });
        kafka.expectedMessageCount(1);
        Exchange failed = send(template, order(Operation.INSERT, "orders", 4, "400.00"));
        kafka.assertIsSatisfied();
        // the source sees the failure and resends the batch itself; the routes never retry on their own
        assertThat(failed.getException()).hasMessage("broker said no");
        assertThat(kafka.getReceivedCounter()).as("sent once, not redelivered").isEqualTo(1);
        assertThat(kafka.getCamelContext().getRoutes()).allSatisfy(route -> assertThat(route.getConfigurationId()).isEqualTo("errors"));
    }
}
