package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code obsync verify} as a user runs it: equal while the task has delivered everything, and the
 * rows missing, extra and different named once the source moves on without the task.
 */
class VerifyIT {

    record Run(int exit, String output) {
    }

    @Test
    void verifyProvesThePipelineAndFindsEveryDifference() throws Exception {
        try (Servers servers = Servers.start("verify")) {
            int n = 0;
            for (String format : List.of("Default", "DefaultExtendColumnType", "Canal", "DataWorks", "SharePlex", "Debezium", "DebeziumFlatten",
                    "DebeziumSmt", "Maxwell")) {
                verifyWith(servers, format, "shop" + ++n);
            }
        }
    }

    /** One task in the format, on a database of its own, then verify while it is equal and after the source moved on without it. */
    private static void verifyWith(Servers servers, String format, String db) throws Exception {
        // DebeziumSmt's UPDATE carries no before image: a table without a key cannot be rebuilt from it
        boolean keylessReadable = !format.equals("DebeziumSmt");
        String orders = db + ".orders -> Topic_" + db + "_orders: ";
        String log = db + ".log -> Topic_" + db + "_log: ";
        servers.db.execute("CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".orders (id INT PRIMARY KEY, amount DECIMAL(12,2), note VARCHAR(40), at DATETIME(6), ts TIMESTAMP(3) NULL, "
                        + "t TIME(3), d DATE, b VARBINARY(8), f DOUBLE, u BIGINT UNSIGNED)",
                "CREATE TABLE " + db + ".log (k INT, msg VARCHAR(20))");
        Map<String, String> p = Task.properties(servers, "verify-" + db);
        p.put("obsync.source.databases", db);
        p.put("obsync.format", format);
        p.put("camel.management.port", "0");
        p.put("obsync.schema-sync.enabled", "true");
        Path dir = Files.createDirectories(servers.work.resolve(db));
        Path config = TaskProcess.writeConfig(dir, p);
        try (TaskProcess task = TaskProcess.start(dir, p, "task.log")) {
            servers.db.execute(
                    "INSERT INTO " + db + ".orders VALUES (1, 10.50, 'a', '2026-01-02 03:04:05.123456', '2026-01-02 03:04:05.250', '-12:30:00.5', "
                            + "'2026-01-02', X'00FF', 1.5, 18446744073709551615)",
                    "INSERT INTO " + db + ".orders (id, amount, note) VALUES (2, 20, 'b'), (3, 30, 'c'), (4, 40, 'd')",
                    "UPDATE " + db + ".orders SET note = 'changed', id = 5 WHERE id = 4",
                    "DELETE FROM " + db + ".orders WHERE id = 3",
                    "INSERT INTO " + db + ".log VALUES (1, 'x'), (1, 'x'), (2, 'y')",
                    "UPDATE " + db + ".log SET msg = 'w' WHERE k = 2",
                    "DELETE FROM " + db + ".log WHERE k = 2");
            Run equal = verify(dir, config, "60");
            assertThat(equal.exit()).as(format + ": " + equal.output()).isEqualTo(keylessReadable ? 0 : 1);
            assertThat(equal.output()).as(format)
                    .contains(orders + "3 rows in the source, 3 rebuilt; 0 missing, 0 extra, 0 different")
                    .contains(keylessReadable ? log + "2 rows in the source, 2 rebuilt; 0 missing, 0 extra, 0 different"
                            : log + "not verified (DebeziumSmt messages of a table without a key do not say which row an UPDATE changed)")
                    .contains(keylessReadable ? "Every table is equal: 2 of 2." : "1 of 2 tables are not equal or not verified.");
        }
        // the task is stopped: the source moves on without it
        servers.db.execute("INSERT INTO " + db + ".orders (id, note) VALUES (9, 'new')", "UPDATE " + db + ".orders SET note = 'again' WHERE id = 2",
                "DELETE FROM " + db + ".orders WHERE id = 1", "INSERT INTO " + db + ".log VALUES (3, 'z')");
        Run different = verify(dir, config, "0");
        assertThat(different.exit()).as(different.output()).isEqualTo(1);
        assertThat(different.output()).as(format)
                .contains(orders + "3 rows in the source, 3 rebuilt; 1 missing, 1 extra, 1 different")
                .contains("missing key 9").contains("extra key 1").contains("key 2 is")
                .contains("2 of 2 tables are not equal or not verified.");
        if (keylessReadable) {
            assertThat(different.output()).as(format).contains(log + "3 rows in the source, 2 rebuilt; 1 missing, 0 extra, 0 different");
        }
    }

    private static Run verify(Path dir, Path config, String timeout) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "obsync.jar").toAbsolutePath().toString(), "verify", "--config", config.toString(), "--timeout", timeout));
        Path out = dir.resolve("verify-output.txt");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(180)).until(() -> !process.isAlive());
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return new Run(process.exitValue(), Files.readString(out));
    }
}
