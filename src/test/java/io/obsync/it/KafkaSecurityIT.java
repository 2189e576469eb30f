package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.obsync.precheck.Precheck;
import io.obsync.sandbox.KafkaProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real broker with a SASL_SSL listener and a certificate the test made: the task sends over it with
 * PLAIN and with SCRAM logins (producer and the admin client that creates topics), the precheck
 * passes; a wrong password and an untrusted certificate each end in one line naming the option, in
 * the precheck and in a running task, and never show the password.
 */
class KafkaSecurityIT {

    static final String STORE_PASSWORD = "Store-pa55-4711";
    static final String TRUST_PASSWORD = "Trust-pa55-0815";
    static final String KAFKA_USER = "obsync";
    static final String KAFKA_PASSWORD = "Kafka-S3cret-9d1f";

    static Path certificates;
    static Path trustStore;
    static Path untrustedStore;
    static Servers servers;

    @BeforeAll
    static void startServers() throws Exception {
        certificates = Files.createTempDirectory("obsync-it-certificates");
        Path broker = TestCertificates.selfSigned(certificates, "broker", STORE_PASSWORD);
        trustStore = TestCertificates.trustStoreOf(broker, "broker", STORE_PASSWORD, certificates.resolve("trust.p12"), TRUST_PASSWORD);
        Path stranger = TestCertificates.selfSigned(certificates, "stranger", STORE_PASSWORD);
        untrustedStore = TestCertificates.trustStoreOf(stranger, "stranger", STORE_PASSWORD, certificates.resolve("untrusted.p12"), TRUST_PASSWORD);
        servers = Servers.startWithSecureKafka("kafka-security", broker, STORE_PASSWORD, Map.of(KAFKA_USER, KAFKA_PASSWORD));
        servers.db.execute("CREATE DATABASE sec", "CREATE TABLE sec.t (id INT PRIMARY KEY, v VARCHAR(20))",
                "CREATE TABLE sec.w (id INT PRIMARY KEY, v VARCHAR(20))", "CREATE TABLE sec.u (id INT PRIMARY KEY, v VARCHAR(20))");
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    /** The task's properties for the SASL_SSL listener with the given login. */
    static Map<String, String> secure(String name, String mechanism, String password, Path trust) {
        Map<String, String> p = Task.properties(servers, name);
        p.put("obsync.source.databases", "sec");
        p.put("obsync.kafka.brokers", ((KafkaProcess) servers.kafka).secureBootstrapServers());
        p.put("obsync.kafka.security-protocol", "SASL_SSL");
        p.put("obsync.kafka.sasl-mechanism", mechanism);
        p.put("obsync.kafka.sasl-username", KAFKA_USER);
        p.put("obsync.kafka.sasl-password", password);
        p.put("obsync.kafka.ssl-truststore-location", trust.toString());
        p.put("obsync.kafka.ssl-truststore-password", TRUST_PASSWORD);
        p.put("obsync.kafka.delivery-timeout-ms", "15000");
        p.put("obsync.kafka.request-timeout-ms", "10000");
        return p;
    }

    static Precheck.Item kafkaItem(Map<String, String> properties) {
        return Precheck.run(properties::get, Set.of("source-connection")).stream().filter(i -> i.name().equals("kafka")).findFirst().orElseThrow();
    }

    @Test
    void plainAndScramLoginsOverTlsSendEveryChange() throws Exception {
        Map<String, String> plain = secure("sasl-plain", "PLAIN", KAFKA_PASSWORD, trustStore);
        assertThat(kafkaItem(plain).status()).as(kafkaItem(plain).toString()).isEqualTo(Precheck.Status.PASS);
        try (Task task = Task.start(plain)) {
            servers.forIds(1, 50, "INSERT INTO sec.t VALUES (?, 'a')");
            // the topic did not exist: schema sync created it through the admin client over SASL_SSL
            Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_sec_t"), r -> r.stream().anyMatch(x -> "50".equals(x.key())),
                    Duration.ofSeconds(60));
            assertThat(task.status.isFailed()).isFalse();
        }
        for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
            Map<String, String> scram = secure("sasl-plain", mechanism, KAFKA_PASSWORD, trustStore);
            assertThat(kafkaItem(scram).status()).isEqualTo(Precheck.Status.PASS);
            int first = mechanism.endsWith("256") ? 51 : 101;
            try (Task task = Task.start(scram)) {
                servers.forIds(first, first + 49, "INSERT INTO sec.t VALUES (?, 'b')");
                String last = Integer.toString(first + 49);
                // until every row so far is read: the last one's partition may be read before the others'
                List<Records.Received> all = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_sec_t"),
                        r -> r.stream().anyMatch(x -> last.equals(x.key())) && r.stream().map(Records.Received::key)
                                .filter(k -> k != null && k.matches("\\d+")).distinct().count() >= first + 49L, Duration.ofSeconds(60));
                // every row once at least (the CREATE TABLE before them is a message too, keyed by the table)
                assertThat(all.stream().map(Records.Received::key).filter(k -> k != null && k.matches("\\d+")).distinct().count())
                        .isEqualTo(first + 49L);
            }
        }
    }

    @Test
    void aWrongPasswordEndsInOneLineNamingTheOption() throws Exception {
        String wrong = "Wrong-pa55-1234";
        Map<String, String> p = secure("sasl-wrong", "SCRAM-SHA-256", wrong, trustStore);
        Precheck.Item item = kafkaItem(p);
        assertThat(item.status()).isEqualTo(Precheck.Status.FAIL);
        assertThat(item.detail()).contains("refused the login", "obsync.kafka.sasl-password", "'obsync'").doesNotContain(wrong).doesNotContainPattern("\\R");
        try (Task task = Task.start(p)) {
            servers.forIds(1001, 1001, "INSERT INTO sec.w VALUES (?, 'w')");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(task.status::isFailed);
            assertThat(task.status.getLastError()).contains("obsync.kafka.sasl-password").doesNotContain(wrong).doesNotContainPattern("\\R");
        }
    }

    @Test
    void anUntrustedCertificateEndsInOneLineNamingTheOption() throws Exception {
        Map<String, String> p = secure("tls-untrusted", "PLAIN", KAFKA_PASSWORD, untrustedStore);
        Precheck.Item item = kafkaItem(p);
        assertThat(item.status()).isEqualTo(Precheck.Status.FAIL);
        assertThat(item.detail()).contains("TLS handshake", "obsync.kafka.ssl-truststore-location").doesNotContainPattern("\\R");
        try (Task task = Task.start(p)) {
            servers.forIds(2001, 2001, "INSERT INTO sec.u VALUES (?, 'u')");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(task.status::isFailed);
            assertThat(task.status.getLastError()).contains("obsync.kafka.ssl-truststore-location").doesNotContainPattern("\\R");
        }
        // the plain protocol against the TLS listener: the broker never answers, the line names the protocol option
        Map<String, String> plaintext = new HashMap<>(secure("tls-plaintext", "PLAIN", KAFKA_PASSWORD, trustStore));
        plaintext.put("obsync.kafka.security-protocol", "PLAINTEXT");
        plaintext.remove("obsync.kafka.sasl-username");
        plaintext.remove("obsync.kafka.sasl-password");
        plaintext.remove("obsync.kafka.ssl-truststore-location");
        assertThat(kafkaItem(plaintext).detail()).contains("obsync.kafka.security-protocol (PLAINTEXT)");
    }

    @Test
    void noSecretShowsOnAnySurface() throws Exception {
        String sourcePassword = "Src-S3cret-5e7a";
        String rocketmqSecret = "Rmq-S3cret-77b2";
        String jmxPassword = "Jmx-S3cret-c0de";
        String jmxStorePassword = "Jmx-Store-S3cret-42";
        List<String> secrets = List.of(sourcePassword, KAFKA_PASSWORD, TRUST_PASSWORD, rocketmqSecret, jmxPassword, jmxStorePassword);

        Path dir = Files.createDirectories(servers.work.resolve("secrets"));
        Path kafkaPasswordFile = Files.writeString(dir.resolve("kafka-password"), KAFKA_PASSWORD + "\n");
        Path jmxStore = TestCertificates.selfSigned(dir, "jmx", jmxStorePassword);
        Path jmxTrust = TestCertificates.trustStoreOf(jmxStore, "jmx", jmxStorePassword, dir.resolve("jmx-trust.p12"), TRUST_PASSWORD);
        Path passwords = Files.writeString(dir.resolve("jmx.password"), "control " + jmxPassword + "\n");
        Files.writeString(dir.resolve("jmx.access"), "control readwrite\n");
        int jmxPort = io.obsync.sandbox.FreePorts.next();
        int httpPort = io.obsync.sandbox.FreePorts.next();

        Map<String, String> p = new HashMap<>(secure("secrets", "SCRAM-SHA-512", "", trustStore));
        p.remove("obsync.kafka.sasl-password");
        p.put("obsync.kafka.sasl-password-file", kafkaPasswordFile.toString());
        p.put("obsync.data-dir", dir.resolve("data").toString());
        p.put("obsync.source.password", sourcePassword);
        p.put("obsync.rocketmq.access-key", "AK-visible");
        p.put("obsync.rocketmq.secret-key", rocketmqSecret);
        p.put("obsync.jmx.port", Integer.toString(jmxPort));
        p.put("obsync.jmx.password-file", passwords.toString());
        p.put("obsync.jmx.access-file", dir.resolve("jmx.access").toString());
        p.put("obsync.jmx.ssl-keystore-location", jmxStore.toString());
        p.put("obsync.jmx.ssl-keystore-password", jmxStorePassword);
        p.put("camel.management.port", Integer.toString(httpPort));
        p.put("obsync.source.databases", "sec");
        // the state in Kafka and exactly-once delivery: their clients (offsets store, schema history, transactions) log in too
        p.put("obsync.state.store", "kafka");
        p.put("obsync.state.kafka.replication-factor", "1");
        p.put("obsync.delivery", "exactly-once");

        StringBuilder seen = new StringBuilder();
        TaskProcess task = TaskProcess.start(dir, p, "task.log");
        try {
            servers.forIds(3001, 3020, "INSERT INTO sec.t VALUES (?, 's')");
            Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_sec_t"), r -> r.stream().anyMatch(x -> "3020".equals(x.key())),
                    Duration.ofSeconds(90));

            // the management server: metrics, health and whatever else it serves
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            for (String path : List.of("/observe/metrics", "/observe/health", "/observe/info", "/q/dev", "/", "/obsync/", "/obsync/status",
                    "/obsync/console.js")) {
                var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                seen.append(response.body());
            }
            assertThat(seen).contains("obsync_events_acknowledged_total").contains("\"configuration\"").contains("\"obsync.kafka.sasl-password\":\"******\"");
            // the console's answers to actions, refused and done, with the password sent
            for (String password : List.of("wrong", jmxPassword)) {
                var action = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + "/obsync/actions/throttle"))
                        .header("X-Obsync-Console", "1").header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                ("control:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"fullRecordsPerSecond\": 0}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                seen.append(action.body());
            }
            assertThat(seen).contains("Throttle set");

            // JMX over TLS: a client that does not trust the connector's certificate cannot connect
            javax.management.remote.JMXServiceURL url = new javax.management.remote.JMXServiceURL(
                    "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
            Map<String, Object> environment = Map.of(javax.management.remote.JMXConnector.CREDENTIALS, new String[] {"control", jmxPassword},
                    "com.sun.jndi.rmi.factory.socket", new javax.rmi.ssl.SslRMIClientSocketFactory());
            // (a TLS handshake with the JVM's own CAs; the JDK's RMI TLS client keeps the first default it sees, so not through it)
            javax.net.ssl.SSLContext jvmCas = javax.net.ssl.SSLContext.getInstance("TLS");
            jvmCas.init(null, null, null);
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) jvmCas.getSocketFactory().createSocket("127.0.0.1", jmxPort)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(socket::startHandshake).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            }
            // nor a client that does not speak TLS
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> javax.management.remote.JMXConnectorFactory.connect(url,
                    Map.of(javax.management.remote.JMXConnector.CREDENTIALS, new String[] {"control", jmxPassword})).close())
                    .isInstanceOf(java.io.IOException.class);
            javax.net.ssl.SSLContext previous = javax.net.ssl.SSLContext.getDefault();
            javax.net.ssl.SSLContext.setDefault(trusting(jmxTrust));
            try (javax.management.remote.JMXConnector remote = javax.management.remote.JMXConnectorFactory.connect(url, environment)) {
                var connection = remote.getMBeanServerConnection();
                // every readable attribute of every MBean, and Camel's route dumps with placeholders resolved
                for (javax.management.ObjectName name : connection.queryNames(null, null)) {
                    String[] attributes = java.util.Arrays.stream(connection.getMBeanInfo(name).getAttributes())
                            .filter(javax.management.MBeanAttributeInfo::isReadable).map(javax.management.MBeanAttributeInfo::getName)
                            .toArray(String[]::new);
                    for (javax.management.Attribute attribute : connection.getAttributes(name, attributes).asList()) {
                        Object value = attribute.getValue();
                        seen.append(name).append(' ').append(attribute.getName()).append('=')
                                .append(value instanceof Object[] array ? java.util.Arrays.deepToString(array) : String.valueOf(value)).append('\n');
                    }
                }
                javax.management.ObjectName context = connection.queryNames(new javax.management.ObjectName("org.apache.camel:type=context,*"), null)
                        .iterator().next();
                String dump = (String) connection.invoke(context, "dumpRoutesAsXml", new Object[] {true}, new String[] {"boolean"});
                assertThat(dump).contains("obsync-binlog");
                seen.append(dump);
                assertThat(seen).contains("io.obsync:type=Task");
            } finally {
                javax.net.ssl.SSLContext.setDefault(previous);
            }
        } finally {
            task.close();
        }
        seen.append(task.output());
        assertThat(task.output()).contains("JMX listens on").contains("TLS");
        // the task's state: its folder (set-aside copies, the standby's lock) and its topics (offsets, schema history)
        if (Files.isDirectory(dir.resolve("data"))) {
            try (var files = Files.walk(dir.resolve("data"))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    seen.append(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
                }
            }
        }
        List<Records.Received> state = Records.readToEnd(servers.kafka.bootstrapServers(),
                List.of("obsync-secrets-offsets", "obsync-secrets-schema-history"), Duration.ofSeconds(60));
        assertThat(state).isNotEmpty();
        state.forEach(r -> seen.append(r.key()).append(' ').append(r.value()).append('\n'));
        // the surfaces were read: the settings next to the secrets show (the trust store's file, the endpoints' URIs)
        assertThat(seen).contains(trustStore.toString()).contains("EndpointUri=obsync-binlog://secrets");
        assertThat(secrets).allSatisfy(secret -> assertThat(seen.toString()).as("surfaces showing " + secret).doesNotContain(secret));
    }

    static javax.net.ssl.SSLContext trusting(Path trust) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(trust)) {
            store.load(in, TRUST_PASSWORD.toCharArray());
        }
        javax.net.ssl.TrustManagerFactory trustManagers = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(store);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }
}
