package io.obsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The packages depend in one direction (README, "How it fits together"): an import against it fails the build. */
class PackageDependenciesTest {

    /** What each package may import from obsync besides itself; every package is listed (a new one fails the test until it is). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("config", Set.of()),
            Map.entry("event", Set.of()),
            Map.entry("filter", Set.of("config", "event")),
            Map.entry("format", Set.of("config", "event")),
            Map.entry("sink", Set.of("config", "event")),
            Map.entry("sink.kafka", Set.of("config", "event", "sink")),
            Map.entry("sink.rocketmq", Set.of("config", "event", "sink")),
            Map.entry("destination", Set.of("config", "event", "filter", "sink", "sink.kafka")),
            Map.entry("manage", Set.of("config", "event")),
            Map.entry("state", Set.of("config", "sink.kafka")),
            Map.entry("source", Set.of("config", "event", "filter", "format", "sink", "sink.kafka", "sink.rocketmq", "destination", "manage", "state")),
            Map.entry("settings", Set.of("config", "event", "filter", "format", "sink", "sink.kafka", "sink.rocketmq", "destination", "manage", "state",
                    "source")),
            Map.entry("", Set.of("config", "event", "filter", "format", "sink", "sink.kafka", "sink.rocketmq", "destination", "manage", "state", "source",
                    "settings")),
            Map.entry("precheck", Set.of("config", "event", "filter", "format", "sink", "sink.kafka", "sink.rocketmq", "destination", "manage", "state",
                    "source", "settings")),
            Map.entry("verify", Set.of("config", "event", "filter", "format", "sink", "sink.kafka", "sink.rocketmq", "destination", "manage", "state",
                    "source", "settings")),
            Map.entry("cli", Set.of("", "config", "event", "filter", "format", "sink", "sink.kafka", "sink.rocketmq", "destination", "manage", "state", "source",
                    "settings", "precheck", "verify")));

    /**
     * The tools: test classes that the demo, the benchmarks and the integration tests use, outside the product jar. They
     * may use the product; the product never uses them (its packages above do not list them).
     */
    private static final Map<String, Set<String>> TOOLS = Map.of(
            "sandbox", Set.of("", "cli", "config", "event", "manage", "verify"),
            "bench", Set.of("", "cli", "config", "event", "filter", "format", "sink", "sink.kafka", "sink.rocketmq", "destination", "manage", "state",
                    "source", "settings", "sandbox"));

    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.obsync\\.((?:[a-z]+\\.)*)[A-Z]");

    @Test
    void everyPackageImportsOnlyThePackagesBelowIt() throws IOException {
        List<String> wrong = new ArrayList<>();
        check(Path.of("src/main/java/io/obsync"), ALLOWED, wrong);
        assertThat(wrong).as("references against the direction of dependencies").isEmpty();
    }

    @Test
    void theToolsUseTheProductAndNothingAboveThem() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (String tool : TOOLS.keySet()) {
            check(Path.of("src/test/java/io/obsync").resolve(tool), Map.of(tool, TOOLS.get(tool)), wrong);
        }
        assertThat(wrong).as("references against the direction of dependencies").isEmpty();
    }

    private static void check(Path root, Map<String, Set<String>> allowedByPackage, List<String> wrong) throws IOException {
        Path base = Path.of("src/main/java/io/obsync");
        Path packages = root.startsWith(base) ? base : Path.of("src/test/java/io/obsync");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = packages.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> allowed = allowedByPackage.get(pkg);
                if (allowed == null) {
                    wrong.add(file + " is in package io.obsync." + pkg + ", which the direction of dependencies does not place");
                    continue;
                }
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    String used = m.group(1).isEmpty() ? "" : m.group(1).substring(0, m.group(1).length() - 1);
                    if (!used.equals(pkg) && !allowed.contains(used)) {
                        wrong.add(file + " uses io.obsync." + (used.isEmpty() ? "" : used + ".") + "*");
                    }
                }
            }
        }
    }
}
