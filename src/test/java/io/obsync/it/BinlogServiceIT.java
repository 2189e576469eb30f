package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.obsync.source.StartTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stand-in behind {@link BinlogRelay}, which behaves like the OceanBase Binlog Service reached
 * through obproxy where MariaDB does not: listings answered with a dropped connection.
 */
class BinlogServiceIT {

    private static final Pattern LISTING = Pattern.compile("(?i)SHOW\\s+(MASTER\\s+STATUS|BINARY\\s+LOGS?)");

    private static Servers servers;
    private static BinlogRelay relay;

    @BeforeAll
    static void start() throws Exception {
        servers = Servers.start("binlog-service");
        relay = BinlogRelay.start(servers.db.host(), servers.db.port());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            relay.close();
        } finally {
            servers.close();
        }
    }

    private static StartTime.Source throughRelay() {
        return new StartTime.Source(relay.host(), relay.port(), servers.db.user(), servers.db.password(), "disabled", 5401);
    }

    @Test
    void aListingWhoseConnectionDropsIsAskedAgainOnANewOne() throws Exception {
        int before = relay.dropped();
        relay.dropConnectionOn(LISTING, 3);
        StartTime.BinlogPosition earliest = StartTime.position(throughRelay(), "earliest");
        assertThat(earliest.file()).startsWith("mariadb-bin.");
        assertThat(earliest.position()).isEqualTo(4);
        assertThat(relay.dropped() - before).isEqualTo(3);

        relay.dropConnectionOn(LISTING, 2);
        assertThat(StartTime.position(throughRelay(), "latest").file()).isEqualTo(earliest.file());
        assertThat(relay.dropped() - before).isEqualTo(5);
    }

    @Test
    void aListingThatKeepsDroppingStopsWithOneLine() {
        relay.dropConnectionOn(LISTING, 100);
        try {
            assertThatThrownBy(() -> StartTime.position(throughRelay(), "latest"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageStartingWith("the source closed the connection on SHOW MASTER STATUS 5 times in a row (")
                    .hasMessageEndingWith("check that the source (or obproxy) is up and try again");
        } finally {
            relay.dropConnectionOn(LISTING, 0);
        }
    }

    @Test
    void fullSynchronizationStartsThroughDroppedListings() throws Exception {
        servers.db.execute("CREATE DATABASE drops", "CREATE TABLE drops.t (id INT PRIMARY KEY, note VARCHAR(20))");
        servers.kafka.createTopics(1, "Topic_drops_t");
        servers.forIds(1, 50, "INSERT INTO drops.t VALUES (?, 'before')");
        Map<String, String> p = Task.properties(servers, "drops-it");
        p.put("obsync.source.hostname", relay.host());
        p.put("obsync.source.port", Integer.toString(relay.port()));
        p.put("obsync.source.databases", "drops");
        p.put("obsync.full-sync.enabled", "true");
        int before = relay.dropped();
        // where full synchronization starts is obsync's own SHOW MASTER STATUS; Debezium's come after it
        relay.dropConnectionOn(LISTING, 2);
        try (Task task = Task.start(p)) {
            servers.forIds(51, 60, "INSERT INTO drops.t VALUES (?, 'after')");
            List<Records.Received> received = Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_drops_t"),
                    all -> all.stream().map(Records.Received::key).distinct().count() >= 60, Duration.ofSeconds(90));
            assertThat(received.stream().map(Records.Received::key).distinct()).hasSize(60);
        }
        assertThat(relay.dropped() - before).isEqualTo(2);
    }
}
