package io.obsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each bad input a user can give `obsync run` ends before anything starts, with exit code 2 and one
 * line that names the object, the value and the fix; the stack trace only with --verbose. (An
 * objects-file table the source lacks is a precheck warning: PrecheckIT, as it needs a source.)
 */
class BadInputTest {

    @TempDir
    Path dir;

    /** A bad input: extra properties lines, a route edit (pipeline.camel.yaml: from, to), what the one line must say. */
    record Case(String input, List<String> properties, String routeFrom, String routeTo, List<String> said) {
        @Override
        public String toString() {
            return input;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("route YAML with a syntax error", List.of(), "ref: objectSelect", "ref: [objectSelect",
                        List.of("Route file ", "pipeline.camel.yaml line ", "is not valid YAML", "fix the YAML there")),
                new Case("route naming a bean that does not exist", List.of(), "ref: objectSelect", "ref: objectSelectt",
                        List.of("objectSelectt", "a route may name obsync's beans", "objectSelect, ")),
                new Case("mistyped option", List.of("obsync.source.batch-sise=100"), null, null,
                        List.of("Unknown option obsync.source.batch-sise in ", "did you mean obsync.source.batch-size?")),
                new Case("number with a unit", List.of("obsync.source.batch-size=4k"), null, null,
                        List.of("obsync.source.batch-size is '4k': use a whole number such as 4096.")),
                new Case("number out of range", List.of("obsync.source.batch-size=-5"), null, null,
                        List.of("obsync.source.batch-size is -5: use a number from 1 to 1000000 (default 4096).")),
                new Case("data folder that cannot be written", List.of("obsync.data-dir=/proc/obsync-data"), null, null,
                        List.of("The task's data folder /proc/obsync-data", "cannot be written", "set obsync.data-dir to a folder")),
                new Case("JMX on every address without a password file", List.of("obsync.jmx.port=" + io.obsync.sandbox.FreePorts.next(),
                        "obsync.jmx.host=0.0.0.0"), null, null,
                        List.of("obsync.jmx.host is '0.0.0.0', reachable from other machines", "set a password file")),
                new Case("SASL without a user", List.of("obsync.kafka.security-protocol=SASL_SSL"), null, null,
                        List.of("obsync.kafka.sasl-username is empty but obsync.kafka.security-protocol is SASL_SSL")),
                new Case("a secret file that is not there", List.of("obsync.source.password=", "obsync.source.password-file=/no/such/secret"),
                        null, null, List.of("obsync.source.password-file is '/no/such/secret', which cannot be read")),
                new Case("a JMX key store that is not there", List.of("obsync.jmx.ssl-keystore-location=/no/such.p12"), null, null,
                        List.of("obsync.jmx.ssl-keystore-location is '/no/such.p12', which cannot be read as a key store")),
                new Case("a signal table without its database", List.of("obsync.source.signal-table=signals"), null, null,
                        List.of("obsync.source.signal-table is 'signals': name the table as database.table")),
                new Case("an unknown format", List.of("obsync.format=Avro"), null, null,
                        List.of("obsync.format is 'Avro'")),
                new Case("an unknown state store", List.of("obsync.state.store=zookeeper"), null, null,
                        List.of("obsync.state.store is 'zookeeper': use file", "or kafka")),
                new Case("state in Kafka under a name no topic can have", List.of("obsync.state.store=kafka", "obsync.task.name=orders@eu"),
                        null, null, List.of("obsync.task.name is 'orders@eu', which cannot name Kafka topics")),
                new Case("an unknown cluster service", List.of("obsync.standby.cluster-service=etcd"), null, null,
                        List.of("obsync.standby.cluster-service is 'etcd': use none, file, zookeeper or kubernetes")),
                new Case("a ZooKeeper standby without servers", List.of("obsync.standby.cluster-service=zookeeper"), null, null,
                        List.of("obsync.standby.zookeeper.nodes is empty but obsync.standby.cluster-service is zookeeper")),
                new Case("exactly-once with the state in files", List.of("obsync.delivery=exactly-once"), null, null,
                        List.of("obsync.delivery is exactly-once but obsync.state.store is file", "set obsync.state.store=kafka")),
                new Case("an unknown delivery guarantee", List.of("obsync.delivery=at-most-once"), null, null,
                        List.of("obsync.delivery is 'at-most-once': use at-least-once or exactly-once.")),
                new Case("state topics without replicas", List.of("obsync.state.store=kafka", "obsync.state.kafka.replication-factor=0"),
                        null, null, List.of("obsync.state.kafka.replication-factor is 0: use 1 or more replicas")))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBadInputEndsInOneLineWithExitCodeTwo(Case bad) throws IOException {
        String[] args = args(bad);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ObsyncCommand.execute(new PrintStream(err, true, StandardCharsets.UTF_8), args);
        String said = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(said).isEqualTo(2);
        assertThat(said.lines().toList()).as(said).hasSize(1);
        assertThat(said).startsWith("obsync: ").contains(bad.said());

        // --verbose adds the stack trace under the same line
        List<String> verbose = new ArrayList<>(List.of(args));
        verbose.add(1, "--verbose");
        ByteArrayOutputStream traced = new ByteArrayOutputStream();
        assertThat(ObsyncCommand.execute(new PrintStream(traced, true, StandardCharsets.UTF_8), verbose.toArray(String[]::new))).isEqualTo(2);
        List<String> lines = traced.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).isEqualTo(said.strip());
        assertThat(lines.size()).isGreaterThan(3);
        assertThat(lines.get(1)).contains("Exception");
    }

    private String[] args(Case bad) throws IOException {
        Path config = dir.resolve("task.properties");
        List<String> lines = new ArrayList<>();
        lines.add(Files.readString(Path.of("application.properties")));
        lines.add("obsync.data-dir=" + dir.resolve("data"));
        lines.add("obsync.source.password=any");
        // nothing listens on 127.0.0.1:1; the case must end before anything would connect
        lines.add("obsync.source.port=1");
        lines.add("obsync.kafka.brokers=127.0.0.1:1");
        lines.add("camel.management.port=0");
        lines.addAll(bad.properties());
        Files.writeString(config, String.join("\n", lines) + "\n");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                String text = Files.readString(file);
                if (bad.routeFrom() != null && file.getFileName().toString().equals("pipeline.camel.yaml")) {
                    assertThat(text).contains(bad.routeFrom());
                    text = text.replace(bad.routeFrom(), bad.routeTo());
                }
                Files.writeString(routes.resolve(file.getFileName()), text);
            }
        }
        return new String[] {"run", "--config", config.toString(), "--routes", routes.toString(), "--skip-precheck", "all"};
    }
}
