package io.obsync.precheck;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import io.obsync.filter.TableSelection;
import io.obsync.precheck.Precheck.Status;
import io.obsync.source.SourceConnection;

/**
 * The precheck's items about the source as OceanBase: what kind of server it is and whether its
 * version has the Binlog Service, the obproxy login form and password method, GTID mode, and
 * generated columns the Binlog Service sends as NULL. Each says what it could not check.
 */
final class OceanBaseItems {

    /** Where an item's result goes. */
    interface Results {
        boolean add(String name, Status status, String detail);
    }

    /** Checks no SQL statement can make; named in the source-kind item so that nobody takes them as done. */
    static final String NOT_CHECKED = "not checked from SQL: obproxy >= 4.2.1 and oblogproxy >= 2.0.0 (see their own version commands)";

    private final TaskConfig config;
    private final Skips skips;
    private final Results results;
    private final SourceKind kind;

    /** Whether the user skipped an item (which records it as skipped). */
    interface Skips {
        boolean skipped(String name);
    }

    OceanBaseItems(TaskConfig config, Skips skips, Results results, Map<String, String> variables) {
        this.config = config;
        this.skips = skips;
        this.results = results;
        this.kind = SourceKind.of(variables);
    }

    /** The source's kind and, for OceanBase, whether its version has the Binlog Service. */
    void sourceKind() {
        if (skips.skipped("source-kind")) {
            return;
        }
        if (!kind.oceanBase()) {
            results.add("source-kind", Status.PASS, kind.describe() + ", a MySQL-protocol source that is not OceanBase: the OceanBase-only "
                    + "checks (version, login form, GTID mode) do not apply");
        } else if (kind.tooOld()) {
            results.add("source-kind", Status.FAIL, kind.describe() + " is older than 4.2.1, the first observer with the Binlog Service: "
                    + "upgrade the observer to 4.2.1 or later");
        } else {
            results.add("source-kind", Status.PASS, kind.describe() + " (the Binlog Service needs 4.2.1 or later); " + NOT_CHECKED);
        }
    }

    /** The obproxy login form, the tenant it names against obsync.source.tenant, and the password method. */
    void login(Statement statement) {
        if (skips.skipped("login")) {
            return;
        }
        String user = config.text(Options.SOURCE_USER);
        String[] named = SourceKind.tenantAndCluster(user);
        String tenant = config.text(Options.SOURCE_TENANT);
        String plugin = passwordPlugin(statement);
        if (plugin != null && !plugin.isEmpty() && !plugin.equalsIgnoreCase("mysql_native_password")) {
            results.add("login", Status.FAIL, "the account " + user + " logs in with " + plugin + ", and the Binlog Service offers "
                    + "mysql_native_password only: ALTER USER ... IDENTIFIED WITH mysql_native_password BY '<password>'");
            return;
        }
        String method = plugin == null ? "its password method could not be read" : "mysql_native_password";
        if (named[0] != null && !tenant.isEmpty() && !SourceKind.same(named[0], tenant)) {
            results.add("login", Status.WARN, "the login " + user + " names tenant " + named[0] + " but " + Options.SOURCE_TENANT.key() + " is "
                    + tenant + ", which the db field will show: set it to " + named[0] + " unless that is meant");
        } else if (kind.oceanBase() && named[0] == null) {
            results.add("login", Status.WARN, "the login " + user + " names no tenant: through obproxy log in as user@tenant#cluster "
                    + "(or user@tenant)");
        } else if (named[0] != null && tenant.isEmpty()) {
            results.add("login", Status.WARN, "the login " + user + " names tenant " + named[0] + " but " + Options.SOURCE_TENANT.key()
                    + " is empty (the binlog carries no tenant): set it to " + named[0] + " for the db field");
        } else {
            results.add("login", Status.PASS, user + ", " + method + (named[0] == null ? "" : "; tenant " + named[0]
                    + (named[1] == null ? "" : ", cluster " + named[1])));
        }
    }

    // the account's authentication plugin where the server shows it (MySQL, MariaDB); null where it does not
    private static String passwordPlugin(Statement statement) {
        try (ResultSet rows = statement.executeQuery("SELECT plugin FROM mysql.user WHERE CONCAT(user, '@', host) = CURRENT_USER()")) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            return null;
        }
    }

    /** A server variable the Binlog Service reports, which must have the wanted value. */
    void setting(String name, Map<String, String> variables, String variable, String wanted, String fix) {
        if (skips.skipped(name)) {
            return;
        }
        String value = variables.get(variable);
        if (value == null) {
            results.add(name, Status.FAIL, variable + " is not reported by the source: " + fix);
        } else if (value.equalsIgnoreCase(wanted)) {
            results.add(name, Status.PASS, variable + " = " + value);
        } else {
            results.add(name, Status.FAIL, variable + " is " + value + ": " + fix);
        }
    }

    /** GTID mode: the way a task resumes on another Binlog Service instance after a switchover. */
    void gtidMode(Map<String, String> variables) {
        if (skips.skipped("gtid-mode")) {
            return;
        }
        String mode = variables.get("gtid_mode");
        if (mode == null) {
            results.add("gtid-mode", kind.oceanBase() ? Status.WARN : Status.SKIPPED, "the source reports no gtid_mode"
                    + (kind.oceanBase() ? ": binlog file names and positions are local to a Binlog Service instance, so after an instance "
                    + "switchover the task could not resume; turn GTID mode on for the tenant's binlog" : " (MariaDB's own GTIDs are not the "
                    + "MySQL-style ones Debezium resumes by): the task resumes by binlog file and position"));
        } else if (mode.equalsIgnoreCase("ON")) {
            results.add("gtid-mode", Status.PASS, "gtid_mode = ON: a transaction's GTID names it on every Binlog Service instance");
        } else {
            results.add("gtid-mode", kind.oceanBase() ? Status.WARN : Status.PASS, "gtid_mode = " + mode + ": the task resumes by binlog file and "
                    + "position" + (kind.oceanBase() ? ", which are local to a Binlog Service instance: turn GTID mode on to resume after a switchover" : ""));
        }
    }

    /** Generated columns not STORED in the selected tables: OceanBase 4.x writes them to the binlog as NULL. */
    /** @param selection the task's tables, or null to look at every table (when the options could not be read) */
    void generatedColumns(TableSelection selection) {
        if (skips.skipped("generated-columns")) {
            return;
        }
        List<String> virtual = new ArrayList<>();
        try (Connection c = SourceConnection.open(config.text(Options.SOURCE_HOSTNAME), config.text(Options.SOURCE_PORT), config.text(Options.SOURCE_USER),
                config.text(Options.SOURCE_PASSWORD), config.text(Options.SOURCE_SSL_MODE));
             Statement statement = c.createStatement();
             ResultSet rows = statement.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS "
                + "WHERE EXTRA LIKE '%VIRTUAL%' AND TABLE_SCHEMA NOT IN ('mysql', 'sys', 'information_schema', 'performance_schema') "
                + "ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION")) {
            while (rows.next()) {
                if (selection == null || selection.ruleFor(rows.getString(1), rows.getString(2)) != null) {
                    virtual.add(rows.getString(1) + "." + rows.getString(2) + "." + rows.getString(3));
                }
            }
        } catch (SQLException e) {
            results.add("generated-columns", Status.SKIPPED, "the source's columns could not be read (" + e.getMessage().split("\\R")[0] + ")");
            return;
        }
        if (virtual.isEmpty()) {
            results.add("generated-columns", Status.PASS, "no selected table has a generated column that is not STORED");
            return;
        }
        String list = virtual.size() > 10 ? virtual.subList(0, 10) + " and " + (virtual.size() - 10) + " more" : virtual.toString();
        results.add("generated-columns", Status.WARN, list + (virtual.size() == 1 ? " is a generated column" : " are generated columns")
                + " not marked STORED, which the OceanBase Binlog Service sends as NULL (obsync does not invent values): make them STORED, "
                + "or leave them out of the columns synced");
    }
}
