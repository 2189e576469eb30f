package io.obsync.filter;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * Which source tables a task syncs, the one answer the pipeline's {@link ObjectSelection}, the full
 * synchronization and its chunked reads, the objects file's backfill, the precheck and
 * {@code obsync verify} share: the base tables of the databases obsync.source.databases names (regular
 * expressions, whole name, any case, as Debezium reads its include list), within the source connector's
 * own filters, that the objects file selects, never obsync's own tables (the signal table).
 */
public final class TableSelection {

    /** A base table of the source with the source's estimate of its rows (information_schema.TABLES). */
    public record Table(String database, String table, long rowEstimate) {
        public String name() {
            return database + "." + table;
        }
    }

    /** A selected table and the objects-file rule that selects it. */
    public record Selected(String database, String table, SyncObjects.Rule rule) {
    }

    private static final BiPredicate<String, String> NONE = (database, table) -> false;
    private static final BiPredicate<String, String> ALL = (database, table) -> true;

    private final List<Pattern> databases = new ArrayList<>();
    private final SyncObjects objects;
    private BiPredicate<String, String> connectorFilter = ALL;
    private BiPredicate<String, String> ownTables = NONE;

    /**
     * @param databases obsync.source.databases: comma-separated regular expressions; empty for every database
     * @param objects   the objects file's selection; null selects every table
     */
    public TableSelection(String databases, SyncObjects objects) {
        for (String expression : databases == null ? new String[0] : databases.split(",")) {
            if (!expression.isBlank()) {
                this.databases.add(Pattern.compile(expression.trim(), Pattern.CASE_INSENSITIVE));
            }
        }
        this.objects = objects == null ? SyncObjects.everything() : objects;
    }

    /** The same selection within the source connector's own table filters (a route's include and exclude lists). */
    public TableSelection within(BiPredicate<String, String> filter) {
        this.connectorFilter = filter;
        return this;
    }

    /** The same selection without obsync's own tables (the signal table), which are never read as data. */
    public TableSelection excluding(BiPredicate<String, String> own) {
        this.ownTables = own;
        return this;
    }

    /** Whether obsync.source.databases takes in the database. */
    public boolean databaseIncluded(String database) {
        return databases.isEmpty() || databases.stream().anyMatch(d -> d.matcher(database).matches());
    }

    /** The rule that selects the table, or null when the task does not sync it. */
    public SyncObjects.Rule ruleFor(String database, String table) {
        if (!databaseIncluded(database) || ownTables.test(database, table) || !connectorFilter.test(database, table)) {
            return null;
        }
        return objects.ruleFor(database, table);
    }

    /** Every base table of the source outside its system databases, in name order, with row estimates. */
    public static List<Table> all(Connection connection) throws SQLException {
        List<Table> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES "
                     + "WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN ('mysql', 'sys', 'information_schema', 'performance_schema') "
                     + "ORDER BY 1, 2")) {
            while (rows.next()) {
                tables.add(new Table(rows.getString(1), rows.getString(2), rows.getLong(3)));
            }
        }
        return tables;
    }

    /** Those of the tables the task syncs, as {@code database.table} with their row estimates, in name order. */
    public Map<String, Long> of(List<Table> tables) {
        Map<String, Long> selected = new LinkedHashMap<>();
        for (Table t : tables) {
            if (ruleFor(t.database(), t.table()) != null) {
                selected.put(t.name(), t.rowEstimate());
            }
        }
        return selected;
    }

    /** Every table of the source the task syncs now, in name order, with the rule that selects it. */
    public List<Selected> tables(Connection connection) throws SQLException {
        List<Selected> out = new ArrayList<>();
        for (Table t : all(connection)) {
            SyncObjects.Rule rule = ruleFor(t.database(), t.table());
            if (rule != null) {
                out.add(new Selected(t.database(), t.table(), rule));
            }
        }
        return out;
    }
}
