package io.obsync.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.obsync.config.TaskConfig;
import io.obsync.sink.kafka.KafkaSecurity;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka security options become the same client settings everywhere, and wrong combinations are refused in one line. */
class KafkaSecurityTest {

    static KafkaSecurity of(Map<String, String> options) {
        return KafkaSecurity.of(new TaskConfig(options::get));
    }

    @Test
    void plaintextIsTheDefaultAndAddsNothingButTheProtocol() {
        KafkaSecurity security = of(Map.of());
        assertThat(security.clientProperties()).containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
        assertThat(security.sasl()).isFalse();
        assertThat(security.tls()).isFalse();
    }

    @Test
    void saslSslCarriesTheLoginAndTheTrustStore(@TempDir Path dir) throws Exception {
        Path trust = Files.writeString(dir.resolve("trust.p12"), "x");
        String password = "p\"a\\ss word";
        Map<String, String> options = new HashMap<>(Map.of("obsync.kafka.security-protocol", "sasl_ssl",
                "obsync.kafka.sasl-mechanism", "scram-sha-512", "obsync.kafka.sasl-username", "obsync",
                "obsync.kafka.sasl-password", password, "obsync.kafka.ssl-truststore-location", trust.toString(),
                "obsync.kafka.ssl-truststore-password", "t-secret"));
        KafkaSecurity security = of(options);
        Map<String, Object> properties = security.clientProperties();
        assertThat(properties).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", trust.toString()).containsEntry("ssl.truststore.password", "t-secret")
                .containsEntry("ssl.endpoint.identification.algorithm", "https");
        // Kafka's own JAAS parser reads the quoted user and password back unchanged
        var entries = JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password((String) properties.get("sasl.jaas.config"))))
                .configurationEntries();
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
        Map<String, ?> login = entries.get(0).getOptions();
        assertThat(login.get("username")).isEqualTo("obsync");
        assertThat(login.get("password")).isEqualTo(password);
        assertThat(security.toString()).doesNotContain(password).doesNotContain("t-secret").contains("SASL_SSL SCRAM-SHA-512 as obsync");

        KafkaConfiguration camel = new KafkaConfiguration();
        security.applyTo(camel);
        assertThat(camel.getSecurityProtocol()).isEqualTo("SASL_SSL");
        assertThat(camel.getSaslMechanism()).isEqualTo("SCRAM-SHA-512");
        assertThat(camel.getSaslJaasConfig()).isEqualTo(properties.get("sasl.jaas.config"));
        assertThat(camel.getSslTruststoreLocation()).isEqualTo(trust.toString());

        options.put("obsync.kafka.ssl-verify-hostname", "false");
        assertThat(of(options).clientProperties()).containsEntry("ssl.endpoint.identification.algorithm", "");
    }

    @Test
    void wrongCombinationsAreRefusedInOneLineWithoutThePassword(@TempDir Path dir) {
        assertThatThrownBy(() -> of(Map.of("obsync.kafka.security-protocol", "TLS")))
                .hasMessage("obsync.kafka.security-protocol is 'TLS': use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.");
        assertThatThrownBy(() -> of(Map.of("obsync.kafka.security-protocol", "SASL_SSL", "obsync.kafka.sasl-mechanism", "GSSAPI",
                "obsync.kafka.sasl-username", "u", "obsync.kafka.sasl-password", "pw")))
                .hasMessage("obsync.kafka.sasl-mechanism is 'GSSAPI': use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.");
        assertThatThrownBy(() -> of(Map.of("obsync.kafka.security-protocol", "SASL_SSL", "obsync.kafka.sasl-username", "u")))
                .hasMessage("obsync.kafka.sasl-password is empty but obsync.kafka.security-protocol is SASL_SSL: set the SASL user name and "
                        + "password (obsync.kafka.sasl-username, obsync.kafka.sasl-password).");
        assertThatThrownBy(() -> of(Map.of("obsync.kafka.sasl-username", "u", "obsync.kafka.sasl-password", "Secret-1")))
                .hasMessageStartingWith("obsync.kafka.sasl-username is set but obsync.kafka.security-protocol is PLAINTEXT, which has no login")
                .hasMessageNotContaining("Secret-1");
        assertThatThrownBy(() -> of(Map.of("obsync.kafka.ssl-truststore-location", "/etc/hostname")))
                .hasMessageStartingWith("obsync.kafka.ssl-truststore-location is set but obsync.kafka.security-protocol is PLAINTEXT, which has no TLS");
        Path missing = dir.resolve("none.p12");
        assertThatThrownBy(() -> of(Map.of("obsync.kafka.security-protocol", "SSL", "obsync.kafka.ssl-truststore-location", missing.toString())))
                .hasMessage("obsync.kafka.ssl-truststore-location is '" + missing + "', which cannot be read: name the trust store (PKCS12 or JKS) "
                        + "holding the CA of the brokers' certificates.");
    }
}
