package io.obsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The declarations, application.properties and the routes name the same options with the same defaults. */
class OptionsTest {

    @Test
    void applicationPropertiesHoldsEveryOptionWithItsDefault() throws IOException {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            file.load(in);
        }
        Map<String, String> shipped = new LinkedHashMap<>();
        file.stringPropertyNames().stream().filter(k -> k.startsWith("obsync.")).forEach(k -> shipped.put(k, file.getProperty(k)));
        Map<String, String> declared = new LinkedHashMap<>();
        Options.all().forEach(o -> declared.put(o.key(), o.defaultValue()));
        assertThat(new TreeSet<>(declared.keySet())).isEqualTo(new TreeSet<>(shipped.keySet()));
        assertThat(declared).containsExactlyInAnyOrderEntriesOf(shipped);
        assertThat(Options.all()).allSatisfy(o -> assertThat(o.doc()).isNotBlank());
    }

    @Test
    void theRoutesUseOnlyDeclaredOptions() throws IOException {
        Pattern placeholder = Pattern.compile("\\{\\{(obsync\\.[a-z0-9.-]+)");
        List<String> unknown = new java.util.ArrayList<>();
        try (var files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Matcher m = placeholder.matcher(Files.readString(file));
                while (m.find()) {
                    if (Options.find(m.group(1)) == null) {
                        unknown.add(file.getFileName() + ": " + m.group(1));
                    }
                }
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void anUnknownKeyIsRefusedWithTheNearestKnownOne() {
        assertThat(Options.nearest("obsync.sourec.port")).isEqualTo("obsync.source.port");
        assertThatThrownBy(() -> Options.checkKnown(List.of("obsync.source.port", "obsync.kafka.broker", "camel.main.name"), "task.properties"))
                .hasMessage("Unknown option obsync.kafka.broker in task.properties: did you mean obsync.kafka.brokers?");
        Options.checkKnown(List.of("obsync.task.name", "camel.anything", "other"), "x");
    }

    @Test
    void valuesAreCheckedByTheirType() {
        assertThat(Options.FULL_SYNC_ENABLED.check(" TRUE ")).isEqualTo("true");
        assertThat(Options.FULL_SYNC_ENABLED.check("")).isEqualTo("false");
        assertThatThrownBy(() -> Options.FULL_SYNC_ENABLED.check("yes")).hasMessage("obsync.full-sync.enabled is 'yes': use true or false.");
        assertThat(Options.SOURCE_BATCH_SIZE.check(null)).isEqualTo("4096");
        assertThatThrownBy(() -> Options.SOURCE_BATCH_SIZE.check("4k"))
                .hasMessage("obsync.source.batch-size is '4k': use a whole number such as 4096.");
        assertThatThrownBy(() -> Options.SOURCE_BATCH_SIZE.check("-5"))
                .hasMessage("obsync.source.batch-size is -5: use a number from 1 to 1000000 (default 4096).");
        assertThatThrownBy(() -> Options.DELIVERY_RETRY_BACKOFF_MS.check("-1"))
                .hasMessage("obsync.delivery.retry-backoff-ms is -1: use 0 or more (default 500).");
        assertThat(Options.DELIVERY_RETRIES.check("-1")).isEqualTo("-1");
        // every default is within its own range
        assertThat(Options.all()).allSatisfy(o -> assertThat(o.check(null)).isEqualTo(o.defaultValue().trim()));
    }

    @Test
    void aTaskWithAMistypedKeyDoesNotStart(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path config = dir.resolve("task.properties");
        Files.writeString(config, "obsync.task.name=t1\nobsync.schema-sync.enable=false\n");
        assertThatThrownBy(() -> io.obsync.TaskLauncher.create(config, Path.of("routes"), Map.of(), new io.obsync.manage.TaskStatus()))
                .hasMessage("Unknown option obsync.schema-sync.enable in " + config.toAbsolutePath() + ": did you mean obsync.schema-sync.enabled?");
    }

    @Test
    void aTaskWithAWrongValueDoesNotStart(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path config = dir.resolve("task.properties");
        Files.writeString(config, "obsync.task.name=t1\nobsync.source.batch-size=lots\n");
        assertThatThrownBy(() -> io.obsync.TaskLauncher.create(config, Path.of("routes"), Map.of("obsync.ddl.enabled", "maybe"),
                new io.obsync.manage.TaskStatus()))
                .hasMessage("obsync.source.batch-size is 'lots': use a whole number such as 4096." + System.lineSeparator()
                        + "obsync.ddl.enabled is 'maybe': use true or false.");
    }
}
