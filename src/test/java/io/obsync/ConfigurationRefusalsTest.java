package io.obsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import io.obsync.manage.TaskStatus;
import io.obsync.precheck.Precheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bad configuration a user can write, through every door a task starts by: the launcher
 * ({@code obsync run}, the image), the configuration class alone ({@code camel run}) and the precheck's
 * options item. All three refuse it, with the same sentence.
 */
@Timeout(30)
class ConfigurationRefusalsTest {

    /** A bad configuration (the options it sets besides the password) and a part of the sentence that refuses it. */
    record Case(String name, Map<String, String> options, String refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a topic name no broker takes in the format overrides", Map.of("obsync.format.topics", "bad topic!=Canal"),
                        "obsync.format.topics"),
                new Case("Maxwell to RocketMQ", Map.of("obsync.format", "Maxwell", "obsync.target", "rocketmq"),
                        "obsync.format is 'Maxwell' but tables go to RocketMQ"),
                new Case("a schema-change topic without a Debezium format", Map.of("obsync.format.debezium.schema-change-topic", "true"),
                        "obsync.format.debezium.schema-change-topic is true but obsync.format is 'Default'"),
                new Case("exactly-once with the state in files", Map.of("obsync.delivery", "exactly-once"),
                        "obsync.delivery is exactly-once but obsync.state.store is file"),
                new Case("exactly-once with RocketMQ", Map.of("obsync.delivery", "exactly-once", "obsync.state.store", "kafka",
                        "obsync.topic.mapping", "shop.orders=rocketmq:orders"), "some topics go to RocketMQ"),
                new Case("a full synchronization from a binlog position", Map.of("obsync.full-sync.enabled", "true",
                        "obsync.source.start-time", "earliest"), "obsync.full-sync.enabled is true and obsync.source.start-time is 'earliest'"),
                new Case("a full synchronization from a past time", Map.of("obsync.full-sync.enabled", "true",
                        "obsync.source.start-time", "1763700000"), "obsync.full-sync.enabled is true and obsync.source.start-time is '1763700000'"),
                new Case("an unknown partitioning rule", Map.of("obsync.kafka.partitioning", "round-robin"),
                        "obsync.kafka.partitioning is 'round-robin': use hash, table or one."),
                new Case("a throttle that is no number", Map.of("obsync.throttle.full.records-per-second", "fast"),
                        "obsync.throttle.full.records-per-second is 'fast'"),
                new Case("a JMX port out of range", Map.of("obsync.jmx.port", "70000"), "obsync.jmx.port is 70000"),
                new Case("ZooKeeper without servers", Map.of("obsync.standby.cluster-service", "zookeeper"),
                        "obsync.standby.zookeeper.nodes is empty but obsync.standby.cluster-service is zookeeper"),
                new Case("a task name Kafka cannot name topics after", Map.of("obsync.state.store", "kafka", "obsync.task.name", "my/task"),
                        "obsync.task.name is 'my/task', which cannot name Kafka topics"),
                new Case("a signal table without its database", Map.of("obsync.source.signal-table", "signals"),
                        "obsync.source.signal-table is 'signals'"),
                new Case("a topic to create without schema sync", Map.of("obsync.topic.mapping", "shop.orders=orders",
                        "obsync.topic.mapping-method", "create", "obsync.schema-sync.enabled", "false"), "which needs schema sync"),
                new Case("heartbeats in a format without them", Map.of("obsync.format", "Canal", "obsync.heartbeat.topic", "beats"),
                        "that format has no heartbeat message"),
                new Case("no source password", Map.of("obsync.source.password", ""), "obsync.source.password is empty"),
                new Case("a SASL login without a user", Map.of("obsync.kafka.security-protocol", "SASL_SSL"),
                        "obsync.kafka.sasl-username is empty but obsync.kafka.security-protocol is SASL_SSL"),
                new Case("a DML type that does not exist", Map.of("obsync.dml", "INSERT,UPSERT"), "obsync.dml is 'INSERT,UPSERT'"),
                new Case("an unknown format", Map.of("obsync.format", "Avro"), "Avro"),
                new Case("an objects file that is not there", Map.of("obsync.objects.file", "no-such-objects.yaml"),
                        "obsync.objects.file is 'no-such-objects.yaml', which does not exist"),
                new Case("a state store that does not exist", Map.of("obsync.state.store", "etcd"), "obsync.state.store is 'etcd': use file or kafka."),
                new Case("a time zone that does not exist", Map.of("obsync.format.time-zone", "Mars/Olympus"), "obsync.format.time-zone is 'Mars/Olympus'"));
    }

    private static Map<String, String> configuration(Case c) {
        Map<String, String> options = new HashMap<>();
        options.put("obsync.source.password", "refusals-test");
        options.putAll(c.options());
        return options;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyDoorRefusesWithTheSameSentence(Case c, @TempDir Path dir) throws IOException {
        Map<String, String> options = configuration(c);
        // obsync run: the launcher, before anything starts (the options in the task's properties file)
        Properties file = new Properties();
        file.putAll(options);
        Path config = dir.resolve("task.properties");
        try (var out = Files.newOutputStream(config)) {
            file.store(out, null);
        }
        Throwable launcher = catchRefusal(() -> TaskLauncher.create(config, Path.of("routes"), Map.of(), new TaskStatus()));
        assertThat(launcher).as("the launcher's refusal").isInstanceOf(IllegalArgumentException.class);
        assertThat(launcher.getMessage()).contains(c.refusal()).doesNotContain("refusals-test");

        // camel run: the configuration class on a context that holds the options
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Properties override = new Properties();
            override.putAll(options);
            camel.getPropertiesComponent().setOverrideProperties(override);
            assertThatThrownBy(() -> new ObsyncConfiguration().configure(camel)).as("the configuration class's refusal")
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(launcher.getMessage());
        }

        // the precheck's options item
        Set<String> skip = new LinkedHashSet<>(Precheck.ITEMS);
        skip.remove("options");
        List<Precheck.Item> items = Precheck.run(options::get, skip);
        Precheck.Item item = items.stream().filter(i -> i.name().equals("options")).findFirst().orElseThrow();
        assertThat(item.status()).isEqualTo(Precheck.Status.FAIL);
        assertThat(item.detail()).isEqualTo(launcher.getMessage());
        assertThat(Precheck.mayStart(items)).isFalse();
    }

    private static Throwable catchRefusal(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        try {
            call.call();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("the configuration was accepted");
    }
}
