package io.obsync.filter;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which source tables a task syncs: those of the databases obsync.source.databases names (regular
 * expressions, whole name, any case, as Debezium reads its include list) that the objects file
 * selects. The one answer the precheck, {@code obsync verify} and the full synchronization's
 * progress share with the pipeline's {@link ObjectSelection}.
 */
public final class TableSelection {

    /** A selected table and the objects-file rule that selects it. */
    public record Selected(String database, String table, SyncObjects.Rule rule) {
    }

    private final List<Pattern> databases = new ArrayList<>();
    private final SyncObjects objects;

    /**
     * @param databases obsync.source.databases: comma-separated regular expressions; empty for every database
     * @param objects   the objects file's selection
     */
    public TableSelection(String databases, SyncObjects objects) {
        for (String expression : databases == null ? new String[0] : databases.split(",")) {
            if (!expression.isBlank()) {
                this.databases.add(Pattern.compile(expression.trim(), Pattern.CASE_INSENSITIVE));
            }
        }
        this.objects = objects;
    }

    /** Whether obsync.source.databases takes in the database. */
    public boolean databaseIncluded(String database) {
        return databases.isEmpty() || databases.stream().anyMatch(d -> d.matcher(database).matches());
    }

    /** The rule that selects the table, or null when the task does not sync it. */
    public SyncObjects.Rule ruleFor(String database, String table) {
        return databaseIncluded(database) ? objects.ruleFor(database, table) : null;
    }

    /** Every table of the source the task syncs now, in name order, from information_schema. */
    public List<Selected> tables(Connection connection) throws SQLException {
        List<Selected> out = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' "
                     + "AND TABLE_SCHEMA NOT IN ('mysql', 'sys', 'information_schema', 'performance_schema') ORDER BY 1, 2")) {
            while (rows.next()) {
                SyncObjects.Rule rule = ruleFor(rows.getString(1), rows.getString(2));
                if (rule != null) {
                    out.add(new Selected(rows.getString(1), rows.getString(2), rule));
                }
            }
        }
        return out;
    }
}
