package io.obsync.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Supplier;

import io.debezium.engine.DebeziumEngine;
import io.debezium.relational.RelationalTableFilters;
import io.obsync.filter.ObjectSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a task reads tables in key chunks beside the stream (full synchronization, tables the objects
 * file adds, resync): read-only where the source has GTIDs (Debezium takes each chunk's watermarks
 * from the executed GTID set and obsync hands it the requests; nothing is written to the source),
 * through the signal table where it does not ({@code obsync.source.signal-table}), or not at all.
 */
final class ChunkedReads {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkedReads.class);

    private ChunkedReads() {
    }

    /**
     * The task's chunk requests, with Debezium's properties set for the way they are read; null when
     * the task reads no tables in chunks.
     */
    static SnapshotRequests open(BinlogEndpoint endpoint, Properties debezium, RelationalTableFilters filters, ObjectSelection selection,
                                 Supplier<DebeziumEngine<?>> engine) throws SQLException {
        var database = endpoint.getDebezium().getConfiguration();
        SnapshotRequests.Connector connector = () -> SourceConnection.open(database.getDatabaseHostname(), Integer.toString(database.getDatabasePort()),
                database.getDatabaseUser(), database.getDatabasePassword(), database.getDatabaseSslMode());
        boolean gtids;
        try (Connection connection = connector.open()) {
            gtids = gtidModeOn(connection);
        } catch (SQLException unreachable) {
            if (!endpoint.getSignalTable().isEmpty()) {
                throw unreachable;
            }
            // the engine's own connection fails the same way and stops the task with the source named
            LOG.warn("Whether the source has GTIDs could not be read ({}); tables are not read in chunks on this start", unreachable.getMessage());
            return null;
        }
        if (gtids) {
            debezium.remove("signal.data.collection");
            debezium.setProperty("read.only", "true");
            debezium.setProperty("signal.enabled.channels", "in-process");
        debezium.setProperty("signal.poll.interval.ms", "200");
            debezium.setProperty("incremental.snapshot.chunk.size", Integer.toString(endpoint.getChunkSize()));
            debezium.setProperty("notification.enabled.channels", "sink");
            debezium.setProperty("notification.sink.topic.name", SignalTable.NOTIFICATION_TOPIC);
            LOG.info("Tables are read in chunks read-only: the source has GTIDs, so each chunk's watermarks come from its executed GTID set "
                    + "and nothing is written to it{}", endpoint.getSignalTable().isEmpty() ? "" : " (the signal table is not used)");
            return SnapshotRequests.readOnly(new EngineSignals(engine), connector, filters, selection == null ? null : selection::objects);
        }
        if (endpoint.getSignalTable().isEmpty()) {
            return null;
        }
        // obsync reads the chunks itself (ChunkReader): Debezium streams the signal table's rows and acts on none of them,
        // but takes the one-pass reads of tables without a key handed to it in process
        debezium.setProperty("signal.enabled.channels", "in-process");
        debezium.setProperty("signal.poll.interval.ms", "200");
        debezium.remove("incremental.snapshot.chunk.size");
        debezium.remove("incremental.snapshot.watermarking.strategy");
        SnapshotRequests chunks = new SnapshotRequests(SignalTable.parse(endpoint.getSignalTable()), connector, filters,
                selection == null ? null : selection::objects);
        try (Connection connection = connector.open()) {
            chunks.signals().ensure(connection);
        }
        return chunks;
    }

    /** Whether the source reports {@code gtid_mode=ON} (MySQL, the OceanBase Binlog Service; MariaDB's GTIDs are of another kind). */
    static boolean gtidModeOn(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW GLOBAL VARIABLES LIKE 'gtid_mode'")) {
            return rows.next() && "ON".equalsIgnoreCase(rows.getString(2));
        }
    }
}
