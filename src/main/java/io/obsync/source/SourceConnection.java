package io.obsync.source;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;

/** A plain SQL connection to the source, for checks made outside the binlog stream (precheck, objects file). */
public final class SourceConnection {

    private SourceConnection() {
    }

    /** Connects with the task's source settings; gives up after 5 s. */
    public static Connection open(String host, String port, String user, String password, String sslMode) throws SQLException {
        Properties connection = new Properties();
        connection.setProperty("user", user);
        connection.setProperty("password", password == null ? "" : password);
        connection.setProperty("sslMode", sslMode == null || sslMode.isBlank() ? "PREFERRED" : sslMode.trim().toUpperCase(Locale.ROOT));
        connection.setProperty("connectTimeout", "5000");
        return DriverManager.getConnection("jdbc:mysql://" + host + ":" + port + "/", connection);
    }
}
