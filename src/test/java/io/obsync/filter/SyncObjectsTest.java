package io.obsync.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.obsync.event.ChangeEvent;
import io.obsync.event.Operation;
import io.obsync.event.TestEvents;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SyncObjectsTest {

    @TempDir
    Path dir;

    private SyncObjects load(String yaml, String dml) throws Exception {
        Path file = dir.resolve("objects.yaml");
        Files.writeString(file, yaml);
        return SyncObjects.load(file.toString(), dml);
    }

    @Test
    void rulesWithWildcardsFirstMatchWinsExclusionsWinOverAll() throws Exception {
        SyncObjects objects = load("""
                include:
                  - table: kd_test*.person*
                    topic: people
                  - table: "*.orders"
                  - table: shop.*
                exclude:
                  - shop.tmp_*
                """, "INSERT,UPDATE,DELETE");
        assertThat(objects.ruleFor("kd_test1", "person_a").topic()).isEqualTo("people");
        assertThat(objects.ruleFor("kd_test", "person")).isNotNull();
        assertThat(objects.ruleFor("kd_other", "person")).isNull();
        assertThat(objects.ruleFor("crm", "orders").name()).isEqualTo("*.orders");
        assertThat(objects.ruleFor("shop", "orders").name()).isEqualTo("*.orders");
        assertThat(objects.ruleFor("shop", "items").name()).isEqualTo("shop.*");
        assertThat(objects.ruleFor("shop", "tmp_1")).isNull();
        assertThat(objects.ruleFor("crm", "ordersx")).isNull();
    }

    @Test
    void aRowFilterIsCheckedAgainstTheTablesNewStructureAtItsDdl() throws Exception {
        SyncObjects objects = load("""
                include:
                  - table: shop.orders
                    filter: "amount > 100"
                """, "INSERT,UPDATE,DELETE");
        ObjectSelection selection = new ObjectSelection(objects, false);
        org.apache.camel.impl.DefaultCamelContext camel = new org.apache.camel.impl.DefaultCamelContext();
        org.apache.camel.Exchange fits = new org.apache.camel.support.DefaultExchange(camel);
        fits.getMessage().setBody(io.obsync.event.TestEvents.event(Operation.DDL,
                io.obsync.event.TestEvents.table(List.of("id"), "id:INT", "amount:DECIMAL"), null, null).build());
        selection.select().process(fits);
        // the column became text: the filter's number no longer fits, and the task stops at the DDL, before any row
        org.apache.camel.Exchange changed = new org.apache.camel.support.DefaultExchange(camel);
        changed.getMessage().setBody(io.obsync.event.TestEvents.event(Operation.DDL,
                io.obsync.event.TestEvents.table(List.of("id"), "id:INT", "note:VARCHAR"), null, null).build());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> selection.select().process(changed))
                .isInstanceOf(TaskConfigurationException.class)
                .hasMessageContaining("amount").hasMessageContaining("(table shop.orders after its DDL, object shop.orders in the objects file)");
    }

    @Test
    void withoutAFileEveryTableIsSelectedAndDmlCanBeNarrowed() {
        SyncObjects all = SyncObjects.load("", "insert, delete");
        assertThat(all.ruleFor("any", "table")).isNotNull();
        assertThat(all.syncs(Operation.INSERT)).isTrue();
        assertThat(all.syncs(Operation.UPDATE)).isFalse();
        assertThat(all.syncs(Operation.ROW)).isTrue();
        assertThat(all.syncs(Operation.DDL)).isTrue();
    }

    @Test
    void badInputIsRefusedWithOneSentenceNamingTheObject() throws Exception {
        assertThatThrownBy(() -> SyncObjects.load("", "INSERT,MERGE")).hasMessage("obsync.dml names 'MERGE': list any of INSERT, UPDATE, DELETE, comma-separated.");
        assertThatThrownBy(() -> SyncObjects.load(dir.resolve("missing.yaml").toString(), "INSERT"))
                .hasMessageContaining("does not exist: give the path of the objects YAML file");
        assertThatThrownBy(() -> load("include:\n  - table: shop.order s\n", "INSERT"))
                .hasMessageStartingWith("Object 'shop.order s' is not database.table of ASCII letters");
        assertThatThrownBy(() -> load("include:\n  - table: shop.orders\n    topic: \"bad topic\"\n", "INSERT"))
                .hasMessageContaining("object shop.orders (objects file)");
        assertThatThrownBy(() -> load("include:\n  - table: shop.orders\n    filter: \"amount >\"\n", "INSERT"))
                .hasMessageStartingWith("The row filter of shop.orders 'amount >' is not a SQL WHERE condition");
        assertThatThrownBy(() -> load("include:\n  - table: shop.orders\n    colums: [id]\n", "INSERT"))
                .hasMessageStartingWith("Objects file ").hasMessageContaining("is not valid");
        assertThatThrownBy(() -> load("exclude: [shop.x]\n", "INSERT")).hasMessageContaining("selects no table");
        assertThatThrownBy(() -> load("include:\n  - table: shop.orders\n    columns: [\"a;b\"]\n", "INSERT"))
                .hasMessageContaining("selects column 'a;b'");
        assertThatThrownBy(() -> load("include:\n  - table: shop.orders\n    topic: orders_topic\n    topic-method: make\n", "INSERT"))
                .hasMessage("The topic-method of object shop.orders (objects file) is 'make': use existing (the topic is there already) or create "
                        + "(schema sync creates it).");
        assertThatThrownBy(() -> load("include:\n  - table: shop.orders\n    topic-method: create\n", "INSERT"))
                .hasMessage("Object shop.orders sets topic-method 'create' but no topic: name its topic, or drop topic-method (generated "
                        + "topics are created by schema sync).");
        assertThat(load("include:\n  - table: shop.orders\n    topic: orders\n    topic-method: Create\n", "INSERT").includes().get(0).topicMethod())
                .isEqualTo(io.obsync.config.TopicMethod.CREATE);
    }

    @Test
    void routesFilterWithTheWhereLanguage() throws Exception {
        List<Object> passed = new ArrayList<>();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").filter().language("where", "amount > 100").process(e -> passed.add(e.getMessage().getBody()));
                }
            });
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            var table = TestEvents.table(List.of("id"), "id:BIGINT", "amount:INT");
            ChangeEvent small = TestEvents.event(Operation.INSERT, table, null, new Object[] {1L, 50}).build();
            ChangeEvent big = TestEvents.event(Operation.INSERT, table, null, new Object[] {2L, 500}).build();
            ChangeEvent leaving = TestEvents.event(Operation.UPDATE, table, new Object[] {3L, 500}, new Object[] {3L, 5}).build();
            for (ChangeEvent event : List.of(small, big, leaving)) {
                producer.sendBody("direct:in", event);
            }
        }
        assertThat(passed).extracting(e -> ((ChangeEvent) e).after()[0]).containsExactly(2L, 3L);
    }

    @Test
    @Timeout(30)
    void theWhereLanguageIsRefusedAtStartUpWhenTheRouteGetsBatches() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            java.util.Properties properties = new java.util.Properties();
            properties.setProperty("obsync.pipeline.batch-events", "1024");
            camel.getPropertiesComponent().setInitialProperties(properties);
            assertThatThrownBy(() -> {
                camel.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:in").filter().language("where", "amount > 100").to("mock:out");
                    }
                });
                camel.start();
            }).hasStackTraceContaining("The route's where expression 'amount > 100' decides on one change per exchange, but "
                    + "obsync.pipeline.batch-events is 1024 (a batch of changes per exchange): set it to 1 for routes that decide per row.");
        }
    }
}
