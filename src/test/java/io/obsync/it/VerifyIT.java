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
        for (String format : List.of("Default", "Canal", "Maxwell", "Debezium")) {
            try (Servers servers = Servers.start("verify")) {
                servers.db.execute("CREATE DATABASE shop",
                        "CREATE TABLE shop.orders (id INT PRIMARY KEY, amount DECIMAL(12,2), note VARCHAR(40), at DATETIME(6), ts TIMESTAMP(3) NULL, "
                                + "t TIME(3), d DATE, b VARBINARY(8), f DOUBLE, u BIGINT UNSIGNED)",
                        "CREATE TABLE shop.log (k INT, msg VARCHAR(20))");
                Map<String, String> p = Task.properties(servers, "verify-it");
                p.put("obsync.source.databases", "shop");
                p.put("obsync.format", format);
                p.put("camel.management.port", "0");
                p.put("obsync.schema-sync.enabled", "true");
                Path config = TaskProcess.writeConfig(servers.work, p);
                try (TaskProcess task = TaskProcess.start(servers.work, p, "task-" + format + ".log")) {
                    servers.db.execute(
                            "INSERT INTO shop.orders VALUES (1, 10.50, 'a', '2026-01-02 03:04:05.123456', '2026-01-02 03:04:05.250', '-12:30:00.5', "
                                    + "'2026-01-02', X'00FF', 1.5, 18446744073709551615)",
                            "INSERT INTO shop.orders (id, amount, note) VALUES (2, 20, 'b'), (3, 30, 'c'), (4, 40, 'd')",
                            "UPDATE shop.orders SET note = 'changed', id = 5 WHERE id = 4",
                            "DELETE FROM shop.orders WHERE id = 3",
                            "INSERT INTO shop.log VALUES (1, 'x'), (1, 'x'), (2, 'y')",
                            "DELETE FROM shop.log WHERE k = 2");
                    Run equal = verify(servers.work, config, "60");
                    assertThat(equal.exit()).as(format + ": " + equal.output()).isZero();
                    assertThat(equal.output()).contains("shop.orders -> Topic_shop_orders: 3 rows in the source, 3 rebuilt; 0 missing, 0 extra, 0 different")
                            .contains("shop.log -> Topic_shop_log: 2 rows in the source, 2 rebuilt; 0 missing, 0 extra, 0 different")
                            .contains("Every table is equal: 2 of 2.");
                }
                // the task is stopped: the source moves on without it
                servers.db.execute("INSERT INTO shop.orders (id, note) VALUES (9, 'new')", "UPDATE shop.orders SET note = 'again' WHERE id = 2",
                        "DELETE FROM shop.orders WHERE id = 1", "INSERT INTO shop.log VALUES (3, 'z')");
                Run different = verify(servers.work, config, "0");
                assertThat(different.exit()).as(different.output()).isEqualTo(1);
                assertThat(different.output())
                        .contains("shop.orders -> Topic_shop_orders: 3 rows in the source, 3 rebuilt; 1 missing, 1 extra, 1 different")
                        .contains("missing key 9").contains("extra key 1").contains("key 2 is")
                        .contains("shop.log -> Topic_shop_log: 3 rows in the source, 2 rebuilt; 1 missing, 0 extra, 0 different")
                        .contains("2 of 2 tables are not equal or not verified.");
            }
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
