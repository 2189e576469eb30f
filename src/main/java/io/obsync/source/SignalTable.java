package io.obsync.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.obsync.config.Options;
import io.obsync.manage.Resync;

/**
 * The source table through which tables are read in key chunks while the changes stream on: obsync
 * writes a snapshot request into it, Debezium reads the request from the binlog and then reads the
 * tables chunk by chunk, writing an opening and a closing watermark row around each chunk (the
 * watermark method of Netflix's DBLog). A change streamed between the two watermarks replaces the row
 * the chunk read for its key, so no chunk row ever overtakes a newer change, without a lock and
 * without a long transaction.
 *
 * <p>Tables with a primary key are read in chunks of its order. A table without one cannot be split
 * or reconciled by key: it is read in one pass while the stream waits (Debezium's blocking snapshot).
 *
 * @param database the signal table's database
 * @param table    the signal table's name
 */
public record SignalTable(String database, String table) {

    /** Topic name of Debezium's notifications about the chunked reads; the records never leave obsync. */
    public static final String NOTIFICATION_TOPIC = "obsync_notifications";
    /** Requests obsync makes itself for full synchronization start with this; others are backfills and resyncs. */
    public static final String FULL_SYNC_PREFIX = "obsync-full-";

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_$]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads {@code database.table}.
     *
     * @throws IllegalArgumentException one line naming the option, the value and the form expected
     */
    public static SignalTable parse(String qualified) {
        String value = qualified == null ? "" : qualified.trim();
        int dot = value.indexOf('.');
        if (dot > 0 && IDENTIFIER.matcher(value.substring(0, dot)).matches() && IDENTIFIER.matcher(value.substring(dot + 1)).matches()) {
            return new SignalTable(value.substring(0, dot), value.substring(dot + 1));
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        throw new IllegalArgumentException(Options.SOURCE_SIGNAL_TABLE.key() + " is '" + shown
                + "': name the table as database.table, each part 1 to 64 letters, digits, '_' or '$' (e.g. obsync.signals).");
    }

    /** {@code database.table}, as Debezium's {@code signal.data.collection} names it. */
    public String qualified() {
        return database + "." + table;
    }

    /** Whether a change event belongs to the signal table itself (its rows are never sent). */
    public boolean holds(String eventDatabase, String eventTable) {
        return database.equalsIgnoreCase(String.valueOf(eventDatabase)) && table.equalsIgnoreCase(String.valueOf(eventTable));
    }

    /**
     * Creates the table when missing (the columns Debezium's signal table has).
     *
     * @throws IllegalStateException one line naming the table, the reason and what to grant
     */
    public void ensure(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            if (exists(connection)) {
                return;
            }
            statement.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`");
            statement.execute("CREATE TABLE IF NOT EXISTS " + quoted() + " (id VARCHAR(64) NOT NULL PRIMARY KEY, "
                    + "type VARCHAR(32) NOT NULL, data VARCHAR(2048) NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("The signal table " + qualified() + " (" + Options.SOURCE_SIGNAL_TABLE.key()
                    + ") could not be created (" + e.getMessage() + "): create it as (id VARCHAR(64) PRIMARY KEY, type VARCHAR(32) NOT NULL, "
                    + "data VARCHAR(2048)) or grant CREATE, INSERT and DELETE on it to the source user.", e);
        }
    }

    /**
     * Proves the source user may use the table (creates it when missing, as the task would): an insert
     * rolled back (which never reaches the binlog) and a delete of nothing.
     *
     * @return what was checked, for the precheck
     * @throws IllegalStateException one line naming the table, the reason and what to grant
     */
    public String check(Connection connection) {
        ensure(connection);
        boolean autoCommit = true;
        try {
            autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("INSERT INTO " + quoted() + " (id, type, data) VALUES ('obsync-precheck', 'log', NULL)");
                statement.executeUpdate("DELETE FROM " + quoted() + " WHERE 1 = 0");
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
            return qualified() + " exists and the source user may insert and delete its rows";
        } catch (SQLException e) {
            throw new IllegalStateException("The signal table " + qualified() + " (" + Options.SOURCE_SIGNAL_TABLE.key() + ") cannot be written ("
                    + e.getMessage() + "): it needs the columns (id VARCHAR(64) PRIMARY KEY, type VARCHAR(32), data VARCHAR(2048)), "
                    + "and INSERT and DELETE on it for the source user.", e);
        }
    }

    /**
     * Asks for the tables to be read: those with a primary key in chunks while the stream goes on, the
     * others in one pass while it waits. Writing the same id twice is a no-op.
     *
     * @param id     the request's id (at most 64 characters; {@link #requestId})
     * @param tables {@code database.table} names
     * @return how many tables have no primary key and are read in one pass
     */
    public int request(Connection connection, String id, Collection<String> tables) {
        try {
            return request(connection, id, tables, (requestId, type, json) -> insert(connection, requestId, json));
        } catch (SQLException e) {
            throw new IllegalStateException("A snapshot request could not be written to the signal table " + qualified() + " ("
                    + e.getMessage() + "): grant INSERT and DELETE on it to the source user.", e);
        }
    }

    /** A request's data as written to the table: the tables and the way they are read (incremental or blocking). */
    record Request(List<String> tables, String type) {
        /** The request in a row's data; null when it is not one. */
        static Request parse(String json) {
            try {
                var node = JSON.readTree(json);
                List<String> tables = new ArrayList<>();
                node.path("data-collections").forEach(t -> tables.add(t.asText()));
                String type = node.path("type").asText("incremental").toLowerCase(Locale.ROOT);
                return tables.isEmpty() ? null : new Request(tables, type);
            } catch (JsonProcessingException e) {
                return null;
            }
        }
    }

    /** Where a request to read tables goes: {@code type} is Debezium's snapshot type, {@code json} its execute-snapshot data. */
    @FunctionalInterface
    interface Sender {
        void send(String id, String type, String json) throws SQLException;
    }

    /**
     * Asks for the tables to be read through a sender: those with a primary key in chunks while the
     * stream goes on, the others in one pass while it waits (their request first).
     *
     * @return how many tables have no primary key and are read in one pass
     */
    static int request(Connection connection, String id, Collection<String> tables, Sender sender) throws SQLException {
        if (tables.isEmpty()) {
            return 0;
        }
        if (tables.size() > Resync.MAX_TABLES) {
            throw new IllegalArgumentException("A snapshot request names " + tables.size() + " tables; request at most " + Resync.MAX_TABLES + " at a time.");
        }
        List<String> keyed = new ArrayList<>();
        List<String> keyless = new ArrayList<>();
        for (String name : tables) {
            (hasPrimaryKey(connection, name) ? keyed : keyless).add(name);
        }
        // the tables without a key first: the stream waits while they are read, then the chunks go on beside it
        if (!keyless.isEmpty()) {
            sender.send(id.length() > 60 ? id.substring(0, 60) + "-one" : id + "-one", "blocking", json("blocking", keyless));
        }
        if (!keyed.isEmpty()) {
            sender.send(id, "incremental", json("incremental", keyed));
        }
        return keyless.size();
    }

    private static String json(String type, List<String> tables) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("data-collections", tables);
        data.put("type", type);
        String json;
        try {
            json = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (json.length() > 2048) {
            throw new IllegalArgumentException("A snapshot request naming " + tables.size() + " tables is longer than the signal table's 2048 "
                    + "characters; request fewer tables at a time.");
        }
        return json;
    }

    private void insert(Connection connection, String id, String json) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT IGNORE INTO " + quoted() + " (id, type, data) VALUES (?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, "execute-snapshot");
            insert.setString(3, json);
            insert.executeUpdate();
        }
    }

    private boolean exists(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            query.setString(1, database);
            query.setString(2, table);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() && rows.getLong(1) > 0;
            }
        }
    }

    /** Whether a table has a primary key (which its chunks follow). */
    static boolean hasPrimaryKey(Connection connection, String qualifiedTable) throws SQLException {
        int dot = qualifiedTable.indexOf('.');
        try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_TYPE = 'PRIMARY KEY'")) {
            query.setString(1, qualifiedTable.substring(0, dot));
            query.setString(2, qualifiedTable.substring(dot + 1));
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() && rows.getLong(1) > 0;
            }
        }
    }

    /** A request id that is the same for the same seed (a task's first start): the prefix and 24 hex digits. */
    public static String requestId(String prefix, String seed) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return prefix + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String quoted() {
        return "`" + database + "`.`" + table + "`";
    }
}
