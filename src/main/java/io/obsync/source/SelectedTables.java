package io.obsync.source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

import io.debezium.relational.RelationalTableFilters;
import io.debezium.relational.TableId;
import io.obsync.filter.SyncObjects;

/** The source's tables a task reads: the base tables Debezium's filters and the objects file take, with the source's row estimates. */
final class SelectedTables {

    private SelectedTables() {
    }

    /** Every base table outside the system databases, as {@code database.table}, with its row estimate (information_schema.TABLES). */
    static Map<String, Long> all(Connection connection) throws SQLException {
        Map<String, Long> tables = new TreeMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES "
                     + "WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN ('mysql', 'sys', 'information_schema', 'performance_schema')")) {
            while (rows.next()) {
                tables.put(rows.getString(1) + "." + rows.getString(2), rows.getLong(3));
            }
        }
        return tables;
    }

    /**
     * Those of the tables the task reads.
     *
     * @param filters   Debezium's database and table include/exclude lists (null: every table)
     * @param selection the objects file's selection (null: every table the filters pass)
     * @param signals   the signal table, never read as data (null when there is none)
     */
    static Map<String, Long> selected(Map<String, Long> tables, RelationalTableFilters filters, SyncObjects selection, SignalTable signals) {
        Map<String, Long> selected = new TreeMap<>();
        tables.forEach((name, rows) -> {
            int dot = name.indexOf('.');
            String database = name.substring(0, dot);
            String table = name.substring(dot + 1);
            if ((signals == null || !signals.holds(database, table))
                    && (filters == null || filters.dataCollectionFilter().isIncluded(new TableId(database, null, table)))
                    && (selection == null || selection.ruleFor(database, table) != null)) {
                selected.put(name, rows);
            }
        });
        return selected;
    }
}
