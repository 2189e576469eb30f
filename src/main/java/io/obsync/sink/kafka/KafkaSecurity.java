package io.obsync.sink.kafka;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.obsync.config.Option;
import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How obsync talks to Kafka ({@code obsync.kafka.security-protocol}, the SASL login and the TLS
 * stores), decided once and handed to every Kafka client the task makes: the producer, the admin
 * client that creates topics, the precheck and verify. The passwords never appear in
 * {@link #toString()} nor in any message.
 */
public final class KafkaSecurity {

    private final String protocol;
    private final String mechanism;
    private final String username;
    private final String password;
    private final String truststore;
    private final String truststorePassword;
    private final String keystore;
    private final String keystorePassword;
    private final String keyPassword;
    private final boolean verifyHostname;

    private KafkaSecurity(TaskConfig config) {
        protocol = config.text(Options.KAFKA_SECURITY_PROTOCOL);
        mechanism = config.text(Options.KAFKA_SASL_MECHANISM);
        username = config.text(Options.KAFKA_SASL_USERNAME);
        password = config.text(Options.KAFKA_SASL_PASSWORD);
        truststore = config.text(Options.KAFKA_SSL_TRUSTSTORE_LOCATION);
        truststorePassword = config.text(Options.KAFKA_SSL_TRUSTSTORE_PASSWORD);
        keystore = config.text(Options.KAFKA_SSL_KEYSTORE_LOCATION);
        keystorePassword = config.text(Options.KAFKA_SSL_KEYSTORE_PASSWORD);
        keyPassword = config.text(Options.KAFKA_SSL_KEY_PASSWORD);
        verifyHostname = config.flag(Options.KAFKA_SSL_VERIFY_HOSTNAME);
    }

    /**
     * The task's Kafka security settings, checked together.
     *
     * @throws IllegalArgumentException one line naming the option, its value (never a password's) and the fix
     */
    public static KafkaSecurity of(TaskConfig config) {
        KafkaSecurity security = new KafkaSecurity(config);
        security.check();
        return security;
    }

    private void check() {
        String protocolIs = " but " + Options.KAFKA_SECURITY_PROTOCOL.key() + " is " + protocol;
        if (sasl()) {
            if (username.isEmpty() || password.isEmpty()) {
                Option missing = username.isEmpty() ? Options.KAFKA_SASL_USERNAME : Options.KAFKA_SASL_PASSWORD;
                throw new IllegalArgumentException(missing.key() + " is empty" + protocolIs + ": set the SASL user name and password ("
                        + Options.KAFKA_SASL_USERNAME.key() + ", " + Options.KAFKA_SASL_PASSWORD.key() + ").");
            }
        } else if (!username.isEmpty() || !password.isEmpty()) {
            Option set = username.isEmpty() ? Options.KAFKA_SASL_PASSWORD : Options.KAFKA_SASL_USERNAME;
            throw new IllegalArgumentException(set.key() + " is set" + protocolIs + ", which has no login: use SASL_SSL or SASL_PLAINTEXT, "
                    + "or leave the SASL options empty.");
        }
        if (tls()) {
            requireReadable(Options.KAFKA_SSL_TRUSTSTORE_LOCATION, truststore, "the trust store (PKCS12 or JKS) holding the CA of the brokers' certificates");
            requireReadable(Options.KAFKA_SSL_KEYSTORE_LOCATION, keystore, "the key store (PKCS12 or JKS) holding obsync's certificate and key");
        } else if (!truststore.isEmpty() || !keystore.isEmpty()) {
            Option set = truststore.isEmpty() ? Options.KAFKA_SSL_KEYSTORE_LOCATION : Options.KAFKA_SSL_TRUSTSTORE_LOCATION;
            throw new IllegalArgumentException(set.key() + " is set" + protocolIs + ", which has no TLS: use SSL or SASL_SSL, "
                    + "or leave the store options empty.");
        }
    }

    private static void requireReadable(Option option, String file, String what) {
        if (!file.isEmpty() && !(Files.isRegularFile(Path.of(file)) && Files.isReadable(Path.of(file)))) {
            throw new IllegalArgumentException(option.key() + " is '" + file + "', which cannot be read: name " + what + ".");
        }
    }

    public boolean sasl() {
        return protocol.startsWith("SASL_");
    }

    public boolean tls() {
        return protocol.endsWith("SSL");
    }

    /** The security settings as Kafka client properties, for admin clients and consumers. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        if (sasl()) {
            properties.put(SaslConfigs.SASL_MECHANISM, mechanism);
            properties.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig());
        }
        if (tls()) {
            putIfSet(properties, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore);
            putIfSet(properties, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, truststorePassword);
            putIfSet(properties, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keystore);
            putIfSet(properties, SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, keystorePassword);
            putIfSet(properties, SslConfigs.SSL_KEY_PASSWORD_CONFIG, keyPassword);
            properties.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, verifyHostname ? "https" : "");
        }
        return properties;
    }

    /** The same settings on Camel's Kafka component, whose producers the route's kafka step uses. */
    public void applyTo(KafkaConfiguration configuration) {
        configuration.setSecurityProtocol(protocol);
        if (sasl()) {
            configuration.setSaslMechanism(mechanism);
            configuration.setSaslJaasConfig(jaasConfig());
        }
        if (tls()) {
            configuration.setSslTruststoreLocation(emptyToNull(truststore));
            configuration.setSslTruststorePassword(emptyToNull(truststorePassword));
            configuration.setSslKeystoreLocation(emptyToNull(keystore));
            configuration.setSslKeystorePassword(emptyToNull(keystorePassword));
            configuration.setSslKeyPassword(emptyToNull(keyPassword));
            configuration.setSslEndpointAlgorithm(verifyHostname ? "https" : "none");
        }
    }

    /** The options a user checks when the broker refuses obsync, for failure messages. */
    public String credentialsHint() {
        if (sasl()) {
            return "check " + Options.KAFKA_SASL_USERNAME.key() + " ('" + username + "') and " + Options.KAFKA_SASL_PASSWORD.key()
                    + " for " + Options.KAFKA_SASL_MECHANISM.key() + " " + mechanism;
        }
        return "the broker asks for a login: set " + Options.KAFKA_SECURITY_PROTOCOL.key() + " to SASL_SSL or SASL_PLAINTEXT with "
                + Options.KAFKA_SASL_USERNAME.key() + " and " + Options.KAFKA_SASL_PASSWORD.key();
    }

    /** What to check when the TLS handshake with a broker fails, for failure messages. */
    public String tlsHint() {
        if (!tls()) {
            return "the broker speaks TLS: set " + Options.KAFKA_SECURITY_PROTOCOL.key() + " to SSL or SASL_SSL";
        }
        return "the broker's certificate is not trusted or does not name the host: set " + Options.KAFKA_SSL_TRUSTSTORE_LOCATION.key()
                + (truststore.isEmpty() ? "" : " (now '" + truststore + "')") + " to a trust store holding the CA that signed it"
                + (verifyHostname ? ", or " + Options.KAFKA_SSL_VERIFY_HOSTNAME.key() + "=false when it does not name the host" : "");
    }

    // JAAS quotes a value in double quotes; a backslash or a quote inside is escaped with a backslash
    private String jaasConfig() {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=\"" + jaasQuoted(username) + "\" password=\"" + jaasQuoted(password) + "\";";
    }

    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static void putIfSet(Map<String, Object> properties, String key, String value) {
        if (!value.isEmpty()) {
            properties.put(key, value);
        }
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    @Override
    public String toString() {
        return protocol + (sasl() ? " " + mechanism + " as " + username : "") + (tls() && !truststore.isEmpty() ? " trusting " + truststore : "");
    }
}
