package io.obsync.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.obsync.event.ColumnDef;
import io.obsync.event.TableSchema;
import io.obsync.filter.SyncObjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the objects file against the tables the source has now, at start-up: a row filter, column
 * list or sharding list that names a column a selected table lacks is an error before any event is
 * read. Tables created later are checked when their first change arrives.
 */
public final class SourceSchemaCheck {

    private static final Logger LOG = LoggerFactory.getLogger(SourceSchemaCheck.class);

    private SourceSchemaCheck() {
    }

    /**
     * @throws IllegalArgumentException one line per fault, each naming the table, the object and the fix
     */
    public static void check(SyncObjects objects, String host, int port, String user, String password, String sslMode) {
        Map<String, List<ColumnDef>> tables = new LinkedHashMap<>();
        try (Connection c = SourceConnection.open(host, String.valueOf(port), user, password, sslMode);
             PreparedStatement statement = c.prepareStatement("SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS "
                     + "WHERE TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') "
                     + "ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                tables.computeIfAbsent(rows.getString(1) + "." + rows.getString(2), k -> new ArrayList<>())
                        .add(new ColumnDef(rows.getString(3), rows.getString(4).toUpperCase(Locale.ROOT), -1, -1, true));
            }
        } catch (SQLException e) {
            LOG.warn("Could not read the source's tables to check the objects file now ({}); each table is checked at its first change",
                    e.getMessage());
            return;
        }
        List<String> faults = new ArrayList<>();
        tables.forEach((name, columns) -> {
            String[] id = name.split("\\.", 2);
            SyncObjects.Rule rule = objects.ruleFor(id[0], id[1]);
            if (rule == null) {
                return;
            }
            TableSchema schema = new TableSchema(columns, List.of());
            if (rule.filter() != null) {
                try {
                    rule.filter().check(schema);
                } catch (IllegalArgumentException e) {
                    faults.add(e.getMessage().replace("The row filter of " + rule.name(), "The row filter of " + rule.name() + " for table " + name));
                }
            }
            for (String column : rule.columns()) {
                if (schema.indexOf(column) < 0) {
                    faults.add("Object " + rule.name() + " selects column '" + column + "', which table " + name
                            + " does not have: choose from " + columns.stream().map(ColumnDef::name).toList() + ".");
                }
            }
            for (String column : rule.sharding()) {
                if (schema.indexOf(column) < 0) {
                    faults.add("Object " + rule.name() + " shards by column '" + column + "', which table " + name
                            + " does not have: choose from " + columns.stream().map(ColumnDef::name).toList() + ".");
                }
            }
        });
        if (!faults.isEmpty()) {
            throw new IllegalArgumentException(String.join(System.lineSeparator(), faults));
        }
    }
}
