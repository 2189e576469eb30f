package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.obsync.precheck.Precheck;
import io.obsync.verify.Verify;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logins named the way obproxy takes them, {@code user@tenant#cluster} and {@code user@tenant}, as
 * real accounts of the stand-in with grant tables on and mysql_native_password (the only method the
 * Binlog Service offers), with a password holding {@code @} and {@code #} too: the precheck, full
 * synchronization in chunks, streaming and verify all work with them, and a wrong password is refused.
 */
class OceanBaseLoginIT {

    private static final String PASSWORD = "p@ss#word:1/x";

    private static Servers servers;

    @BeforeAll
    static void start() throws Exception {
        servers = Servers.start("ob-login");
        try (Connection root = servers.db.connect(); var statement = root.createStatement()) {
            // the sandbox starts without grant tables; this loads them and turns privilege checks on
            statement.execute("FLUSH PRIVILEGES");
            // the tests' own administrator, as the sandbox's root connects (over TCP, with its password)
            statement.execute("ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('" + servers.db.password() + "')");
            for (String user : List.of("obsync@t1#c1", "obsync@t1")) {
                for (String host : List.of("%", "localhost")) {
                    String account = "'" + user + "'@'" + host + "'";
                    statement.execute("CREATE USER " + account + " IDENTIFIED VIA mysql_native_password USING PASSWORD('" + PASSWORD + "')");
                    statement.execute("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR, REPLICATION CLIENT ON *.* TO " + account);
                    // the signal table of chunked reads
                    statement.execute("GRANT CREATE, INSERT, UPDATE, DELETE ON obsync_signals.* TO " + account);
                }
            }
        }
        servers.db.execute("CREATE DATABASE ob", "CREATE TABLE ob.t1 (id INT PRIMARY KEY, note VARCHAR(20))",
                "CREATE TABLE ob.t2 (id INT PRIMARY KEY, note VARCHAR(20))");
    }

    @AfterAll
    static void stop() throws Exception {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void userAtTenantHashCluster() throws Exception {
        syncAs("obsync@t1#c1", "t1");
    }

    @Test
    void userAtTenant() throws Exception {
        syncAs("obsync@t1", "t2");
    }

    @Test
    void aWrongPasswordIsRefusedWithTheLoginNamed() throws Exception {
        Map<String, String> p = config("obsync@t1#c1", "t1", "ob-login-wrong");
        p.put("obsync.source.password", "not-the-password");
        List<Precheck.Item> items = Precheck.run(p::get, Set.of());
        Precheck.Item connection = items.stream().filter(i -> i.name().equals("source-connection")).findFirst().orElseThrow();
        assertThat(connection.status()).isEqualTo(Precheck.Status.FAIL);
        assertThat(connection.detail()).contains("as obsync@t1#c1").doesNotContain("not-the-password");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + servers.db.port() + "/?useSSL=false",
                "obsync@t1#c1", "not-the-password")).hasMessageContaining("Access denied for user 'obsync@t1#c1'");
    }

    private static void syncAs(String user, String table) throws Exception {
        String topic = "Topic_ob_" + table;
        servers.kafka.createTopics(1, topic);
        servers.forIds(1, 300, "INSERT INTO ob." + table + " VALUES (?, 'before')");
        Map<String, String> p = config(user, table, "ob-login-" + table);

        List<Precheck.Item> items = Precheck.run(p::get, Set.of());
        for (String name : List.of("source-connection", "privileges", "binlog", "signal-table")) {
            Precheck.Item item = items.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
            assertThat(item.status()).as(item.toString()).isEqualTo(Precheck.Status.PASS);
        }
        assertThat(Precheck.mayStart(items)).as(items.toString()).isTrue();

        try (Task task = Task.start(p)) {
            servers.forIds(301, 320, "INSERT INTO ob." + table + " VALUES (?, 'after')");
            servers.db.execute("UPDATE ob." + table + " SET note = 'changed' WHERE id = 7");
            Records.readUntil(servers.kafka.bootstrapServers(), List.of(topic),
                    all -> all.stream().map(Records.Received::key).distinct().count() >= 320
                            && all.stream().anyMatch(r -> r.json().path("recordType").asText().equals("UPDATE")), Duration.ofSeconds(120));
            List<Verify.TableResult> verified = Verify.run(p::get, Duration.ofSeconds(30));
            assertThat(verified).hasSize(1).allSatisfy(r -> assertThat(r.equal()).as(r.toString()).isTrue());
        }
    }

    /** The shipped configuration, logging in as the user, syncing one table in chunks with its changes. */
    private static Map<String, String> config(String user, String table, String name) throws Exception {
        Properties shipped = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("application.properties"))) {
            shipped.load(in);
        }
        Map<String, String> p = new HashMap<>();
        shipped.forEach((k, v) -> p.put((String) k, (String) v));
        p.putAll(Task.properties(servers, name));
        p.put("obsync.source.user", user);
        p.put("obsync.source.password", PASSWORD);
        p.put("obsync.source.databases", "ob");
        Path objects = servers.work.resolve(name + "-objects.yaml");
        Files.writeString(objects, "include:\n  - table: ob." + table + "\n");
        p.put("obsync.objects.file", objects.toString());
        p.put("obsync.full-sync.enabled", "true");
        p.put("obsync.source.signal-table", "obsync_signals.requests");
        p.put("obsync.full-sync.chunk-size", "100");
        return p;
    }
}
