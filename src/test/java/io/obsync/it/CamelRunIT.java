package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The shipped routes/ and application.properties, unchanged, run by Camel's own command line
 * ({@code camel run}, camel-jbang-core 4.17.0) with obsync's jar as a dependency, exactly as the
 * README shows; the settings come from environment variables.
 */
class CamelRunIT {

    @Test
    void camelRunsTheShippedRoutesAndPropertiesUnchanged() throws Exception {
        try (Servers servers = Servers.start("camel-run")) {
            servers.db.execute("CREATE DATABASE cr", "CREATE TABLE cr.t (id INT PRIMARY KEY, note VARCHAR(20))");
            servers.kafka.createTopics(3, "Topic_cr_t");
            Path classpath = servers.work.resolve("camel-cli.classpath");
            run(List.of(maven(), "-B", "-q", "-f", "src/test/camel-cli/pom.xml", "dependency:build-classpath",
                    "-Dmdep.outputFile=" + classpath), Duration.ofMinutes(5));

            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", String.join(File.pathSeparator, "target/obsync.jar", "target/lib/*", Files.readString(classpath).trim()),
                    "src/test/camel-cli/Camel.java", "run"));
            try (Stream<Path> routes = Files.list(Path.of("routes"))) {
                routes.map(Path::toString).filter(name -> name.endsWith(".camel.yaml")).sorted().forEach(command::add);
            }
            command.add("application.properties");
            ProcessBuilder camel = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(servers.work.resolve("camel-run.log").toFile());
            Map<String, String> env = camel.environment();
            env.put("OBSYNC_TASK_NAME", "camel-run-it");
            env.put("OBSYNC_DATA_DIR", servers.work.resolve("camel-run-data").toString());
            env.put("OBSYNC_SOURCE_HOSTNAME", servers.db.host());
            env.put("OBSYNC_SOURCE_PORT", Integer.toString(servers.db.port()));
            env.put("OBSYNC_SOURCE_USER", servers.db.user());
            env.put("OBSYNC_SOURCE_PASSWORD", servers.db.password());
            env.put("OBSYNC_SOURCE_DATABASES", "cr");
            env.put("OBSYNC_SOURCE_SNAPSHOT_MODE", "never");
            env.put("OBSYNC_KAFKA_BROKERS", servers.kafka.bootstrapServers());
            env.put("CAMEL_MANAGEMENT_PORT", "0");
            Process process = camel.start();
            try {
                servers.forIds(1, 50, "INSERT INTO cr.t VALUES (?, 'via camel run')");
                List<Records.Received> received = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_cr_t"),
                        all -> all.stream().filter(r -> r.key() != null).count() >= 50, Duration.ofSeconds(120));
                assertThat(received).filteredOn(r -> r.key() != null).hasSize(50)
                        .allSatisfy(r -> assertThat(r.json().path("recordType").asText()).isEqualTo("INSERT"))
                        .allSatisfy(r -> assertThat(r.json().path("postStruct").path("note").asText()).isEqualTo("via camel run"));
                assertThat(process.isAlive()).isTrue();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\ncamel run printed:\n" + tail(servers.work.resolve("camel-run.log")), e);
            } finally {
                process.destroy();
                if (!process.waitFor(40, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            // the log shows Camel's CLI ran obsync's routes
            assertThat(Files.readString(servers.work.resolve("camel-run.log"))).contains("Apache Camel (JBang) 4.17.0")
                    .contains("obsync-binlog");
        }
    }

    private static String maven() {
        String home = System.getProperty("maven.home");
        return home != null && Files.isExecutable(Path.of(home, "bin", "mvn")) ? Path.of(home, "bin", "mvn").toString() : "mvn";
    }

    private static void run(List<String> command, Duration timeout) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static String tail(Path log) throws Exception {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
