package io.obsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.obsync.settings.TaskSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret option may name a file holding its value instead (Docker and Kubernetes secrets). */
class SecretFilesTest {

    @Test
    void aSecretIsReadFromItsFileWithoutTheTrailingLineBreak(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "S3cret with spaces \n");
        TaskConfig config = new TaskConfig(Map.of("obsync.source.password-file", file.toString())::get);
        assertThat(config.text(Options.SOURCE_PASSWORD)).isEqualTo("S3cret with spaces ");
        assertThat(new TaskConfig(Map.of("obsync.source.password", "direct")::get).text(Options.SOURCE_PASSWORD)).isEqualTo("direct");
        // the -file keys of secret options are known keys; others are not
        Options.checkKnown(List.of("obsync.source.password-file", "obsync.kafka.sasl-password-file", "obsync.jmx.ssl-keystore-password-file"), "x");
        assertThatThrownBy(() -> Options.checkKnown(List.of("obsync.source.user-file"), "task.properties"))
                .hasMessageStartingWith("Unknown option obsync.source.user-file in task.properties");
    }

    @Test
    void aSecretFileThatCannotBeUsedIsOneLineWithoutItsContent(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> TaskSettings.checkValues(new TaskConfig(Map.of("obsync.kafka.sasl-password-file", missing.toString())::get)))
                .hasMessage("obsync.kafka.sasl-password-file is '" + missing + "', which cannot be read (NoSuchFileException): name a file the "
                        + "task's user may read that holds only the secret.");
        Path file = Files.writeString(dir.resolve("password"), "Very-S3cret");
        assertThatThrownBy(() -> new TaskConfig(Map.of("obsync.source.password", "other", "obsync.source.password-file", file.toString())::get)
                .text(Options.SOURCE_PASSWORD))
                .hasMessage("obsync.source.password and obsync.source.password-file are both set: keep one of them.");
        Path big = Files.write(dir.resolve("big"), new byte[TaskConfig.SECRET_FILE_LIMIT + 1]);
        assertThatThrownBy(() -> new TaskConfig(Map.of("obsync.source.password-file", big.toString())::get).text(Options.SOURCE_PASSWORD))
                .hasMessage("obsync.source.password-file is '" + big + "', which is larger than 64 KiB: name a file that holds only the secret.");
    }
}
