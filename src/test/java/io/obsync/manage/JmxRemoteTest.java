package io.obsync.manage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obsync.config.Options;
import org.junit.jupiter.api.Test;

class JmxRemoteTest {

    @Test
    void offWithoutAPort() throws Exception {
        JmxRemote jmx = new JmxRemote("127.0.0.1", 0, "", "", "", "");
        jmx.start();
        assertThat(jmx.url()).isNull();
        jmx.stop();
    }

    @Test
    void refusesAnOpenAddressWithoutPasswords() throws Exception {
        assertThatThrownBy(() -> new JmxRemote("0.0.0.0", io.obsync.sandbox.FreePorts.next(), "", "", "", "")).hasMessage("obsync.jmx.host is '0.0.0.0', reachable from other machines, and obsync.jmx.password-file is empty: "
                + "set a password file (one 'user password' line per user) or keep obsync.jmx.host=127.0.0.1.");
    }

    @Test
    void refusesBadSettings() {
        assertThatThrownBy(() -> Options.JMX_PORT.check("jmx"))
                .hasMessage("obsync.jmx.port is 'jmx': use a whole number (from 1 to 65535), or leave it empty for none.");
        assertThatThrownBy(() -> Options.JMX_PORT.check("70000"))
                .hasMessage("obsync.jmx.port is 70000: use a number from 1 to 65535, or leave it empty for none.");
        assertThatThrownBy(() -> new JmxRemote("127.0.0.1", 9999, "/no/such/file", "", "", ""))
                .hasMessage("obsync.jmx.password-file '/no/such/file' cannot be read: give a file with one 'user password' line per user.");
    }

    @Test
    void rolesNeedUsers() {
        assertThatThrownBy(() -> new JmxRemote("127.0.0.1", 9999, "", "/etc/hostname", "", ""))
                .hasMessage("obsync.jmx.access-file '/etc/hostname' needs users: set obsync.jmx.password-file too.");
    }
}
