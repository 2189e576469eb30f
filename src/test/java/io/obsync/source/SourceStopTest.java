package io.obsync.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.obsync.filter.TaskConfigurationException;
import org.junit.jupiter.api.Test;

/** Each reason a task stops gets its kind and one line with the fix, whatever wraps it. */
class SourceStopTest {

    @Test
    void theCauseDecidesTheKindUnderAnyWrapping() {
        SourceStop configuration = SourceStop.classify(new RuntimeException("engine", new TaskConfigurationException("Table shop.t has no column x: fix the filter.", null)),
                null, "db:2883");
        assertThat(configuration).isEqualTo(new SourceStop(SourceStop.Kind.CONFIGURATION, "Table shop.t has no column x: fix the filter."));

        SourceStop delivery = SourceStop.classify(new IllegalStateException("batch", new DeliveryStoppedException("Kafka refused a message.")), null, "db:2883");
        assertThat(delivery.kind()).isEqualTo(SourceStop.Kind.DELIVERY);
        assertThat(delivery.message()).isEqualTo("Kafka refused a message.");

        SourceStop ddl = SourceStop.classify(new RuntimeException(new io.debezium.text.ParsingException(null, "no viable alternative\nat line 1")),
                null, "db:2883");
        assertThat(ddl.kind()).isEqualTo(SourceStop.Kind.UNPARSABLE_DDL);
        assertThat(ddl.message()).startsWith("binlog source db:2883 stopped at a DDL statement it cannot parse, which may change a table's "
                + "columns (no viable alternative at line 1): ")
                .contains("obsync.source.skip-unparseable-ddl=true").doesNotContain("\n");

        SourceStop dropped = SourceStop.classify(new RuntimeException("Unexpected error while looking at GTID mode",
                new java.io.EOFException("Can not read response from server. Expected to read 4 bytes, read 0 bytes before connection was "
                        + "unexpectedly lost.")), null, "db:2883");
        assertThat(dropped.kind()).isEqualTo(SourceStop.Kind.CONNECTION_LOST);
        assertThat(dropped.message()).startsWith("binlog source db:2883 dropped the connection (").endsWith("reading resumes from the saved position");

        SourceStop refused = SourceStop.classify(new RuntimeException("Communications link failure\n\nThe driver has not received any packets",
                new java.net.ConnectException("Connection refused")), null, "db:2883");
        assertThat(refused.kind()).isEqualTo(SourceStop.Kind.SOURCE);
        assertThat(SourceStop.classify(new RuntimeException("Connector configuration is not valid. Unable to connect: Communications link "
                + "failure The last packet sent successfully to the server was 0 milliseconds ago. The driver has not received any packets "
                + "from the server."), null, "db:2883").kind()).isEqualTo(SourceStop.Kind.SOURCE);

        SourceStop down = SourceStop.classify(new IllegalStateException("connect failed", new java.net.ConnectException("Connection\nrefused")),
                null, "db:2883");
        assertThat(down).isEqualTo(new SourceStop(SourceStop.Kind.SOURCE, "binlog source db:2883 stopped: connect failed (Connection refused); "
                + "check obsync.source.hostname, port, user and password, and that the Binlog Service is up"));
        assertThat(SourceStop.classify(null, "the engine ended", "db:2883").message()).startsWith("binlog source db:2883 stopped: the engine ended;");
    }
}
