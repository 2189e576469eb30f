package io.obsync.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's binlog listings ({@code SHOW MASTER STATUS}, {@code SHOW BINARY LOGS}) asked the way
 * obproxy can bear: at most one call per {@link #MIN_INTERVAL_MS} in this process, and a call that
 * loses its connection (ODP 4.2.1 answered a tight loop of them with "server has gone away") is
 * asked again on a new connection after a growing pause, {@link #ATTEMPTS} times in all.
 */
public final class BinlogListing {

    private static final Logger LOG = LoggerFactory.getLogger(BinlogListing.class);

    /** Attempts per listing, the first included. */
    static final int ATTEMPTS = 5;
    /** Least time between two listings in this process. */
    static final long MIN_INTERVAL_MS = 200;
    private static final long FIRST_PAUSE_MS = 250;
    private static final Object PACE = new Object();
    private static long lastCall;

    /** Opens a new connection to the source. */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;
    }

    @FunctionalInterface
    private interface Query<T> {
        T run(Statement statement) throws SQLException;
    }

    private BinlogListing() {
    }

    /** The end of the binlog now, with the executed GTID set where the source has one: where a task that starts now reads from. */
    public static StartTime.BinlogPosition current(Connector source) throws SQLException {
        return ask(source, "SHOW MASTER STATUS", statement -> {
            ResultSet status;
            try {
                status = statement.executeQuery("SHOW MASTER STATUS");
            } catch (SQLException e) {
                if (lostConnection(e)) {
                    throw e;
                }
                // MySQL 8.4 renamed it
                status = statement.executeQuery("SHOW BINARY LOG STATUS");
            }
            try (ResultSet rows = status) {
                if (!rows.next()) {
                    throw new SQLException("the source reports no binary log position (SHOW MASTER STATUS is empty): turn the binary log on");
                }
                // a source with GTIDs reports the executed set too (MySQL's fifth column): where reading starts on any instance
                String gtids = rows.getMetaData().getColumnCount() >= 5 ? rows.getString(5) : null;
                return new StartTime.BinlogPosition(rows.getString(1), rows.getLong(2), gtids == null || gtids.isBlank() ? null : gtids.trim());
            }
        });
    }

    /** The binlog files the source keeps, oldest first. */
    public static List<String> files(Connector source) throws SQLException {
        return ask(source, "SHOW BINARY LOGS", statement -> {
            List<String> files = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SHOW BINARY LOGS")) {
                while (rows.next()) {
                    files.add(rows.getString(1));
                }
            }
            return files;
        });
    }

    private static <T> T ask(Connector source, String what, Query<T> query) throws SQLException {
        long pause = FIRST_PAUSE_MS;
        for (int attempt = 1; ; attempt++) {
            pace();
            try (Connection connection = source.open(); Statement statement = connection.createStatement()) {
                return query.run(statement);
            } catch (SQLException e) {
                if (!lostConnection(e) || attempt >= ATTEMPTS) {
                    if (lostConnection(e)) {
                        throw new SQLException("the source closed the connection on " + what + " " + ATTEMPTS
                                + " times in a row (" + e.getMessage() + "); check that the source (or obproxy) is up and try again", e.getSQLState(), e);
                    }
                    throw e;
                }
                LOG.warn("The source closed the connection on {} ({}); asking again in {} ms", what, e.getMessage(), pause);
                sleep(pause);
                pause *= 2;
            }
        }
    }

    /** Whether the connection broke (SQL state class 08), as opposed to the statement being refused. */
    static boolean lostConnection(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            String state = next.getSQLState();
            if (next instanceof SQLRecoverableException || next instanceof SQLTransientConnectionException
                    || state != null && state.startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private static void pace() {
        synchronized (PACE) {
            long wait = lastCall + MIN_INTERVAL_MS - System.currentTimeMillis();
            if (wait > 0) {
                sleep(wait);
            }
            lastCall = System.currentTimeMillis();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to ask the source for its binlog listing", e);
        }
    }
}
