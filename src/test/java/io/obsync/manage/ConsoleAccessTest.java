package io.obsync.manage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import io.obsync.manage.ConsoleAccess.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleAccessTest {

    @TempDir
    Path dir;

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theControlRoleActsTheMonitoringRoleDoesNotAndWrongCredentialsAreRefused() throws Exception {
        Path passwords = Files.writeString(dir.resolve("jmx.password"), "# users\ncontrol Ctl-p4ss\nmonitor Mon-p4ss\n");
        Path access = Files.writeString(dir.resolve("jmx.access"), "control readwrite\nmonitor readonly\n");
        ConsoleAccess console = ConsoleAccess.of(passwords.toString(), access.toString());
        assertThat(console.actionsPossible()).isTrue();
        assertThat(console.decide(basic("control", "Ctl-p4ss"))).isEqualTo(Decision.ALLOWED);
        assertThat(console.decide(basic("monitor", "Mon-p4ss"))).isEqualTo(Decision.MONITORING_ONLY);
        assertThat(console.decide(basic("control", "Mon-p4ss"))).isEqualTo(Decision.WRONG_CREDENTIALS);
        assertThat(console.decide(basic("nobody", "Ctl-p4ss"))).isEqualTo(Decision.WRONG_CREDENTIALS);
        assertThat(console.decide(basic("control", ""))).isEqualTo(Decision.WRONG_CREDENTIALS);
        assertThat(console.decide(null)).isEqualTo(Decision.NO_CREDENTIALS);
        assertThat(console.decide("Bearer abc")).isEqualTo(Decision.WRONG_CREDENTIALS);
        assertThat(console.decide("Basic not-base64!")).isEqualTo(Decision.WRONG_CREDENTIALS);
        assertThat(console.decide("Basic " + "A".repeat(5000))).isEqualTo(Decision.WRONG_CREDENTIALS);
    }

    @Test
    void withoutAnAccessFileEveryUserOfThePasswordFileActs() throws Exception {
        Path passwords = Files.writeString(dir.resolve("jmx.password"), "ops S3cret\n");
        assertThat(ConsoleAccess.of(passwords.toString(), "").decide(basic("ops", "S3cret"))).isEqualTo(Decision.ALLOWED);
    }

    @Test
    void withoutAPasswordFileTheConsoleIsReadOnly() {
        ConsoleAccess console = ConsoleAccess.of("", "");
        assertThat(console.actionsPossible()).isFalse();
        assertThat(console.decide(basic("control", "x"))).isEqualTo(Decision.NOT_CONFIGURED);
    }

    @Test
    void anUnreadablePasswordFileStopsTheStartInOneLine() {
        assertThatThrownBy(() -> ConsoleAccess.of(dir.resolve("missing").toString(), ""))
                .hasMessage("obsync.jmx.password-file '" + dir.resolve("missing") + "' cannot be read (NoSuchFileException): point it at a "
                        + "readable file, or leave it empty for a read-only console.");
    }
}
