package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.obsync.sandbox.FreePorts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The task console in headless Chromium, as a person sees it: the task's state and counts change as rows are written,
 * pause is refused without the control role and works with it, resume and a resync from the page work, no script or
 * style is refused by the page's policy, and a screenshot is saved (target/console.png; docs/images/console.png is one).
 */
class ConsoleBrowserIT {

    /** The Sent column of a table's row in the page's table of tables ("" when the table is not shown). */
    private static String sent(Chromium browser, String table) throws Exception {
        return browser.run("(() => { for (const row of document.querySelectorAll('#tables tr')) { if (row.cells[0].textContent === '" + table
                + "') { return row.cells[3].textContent; } } return ''; })()");
    }

    @Test
    void aPersonSeesTheTaskLiveAndActsFromThePage() throws Exception {
        try (Servers servers = Servers.start("console-browser")) {
            servers.db.execute("CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY, amount DECIMAL(10,2))",
                    "CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(40))");
            servers.kafka.createTopics(1, "Topic_shop_orders", "Topic_shop_customers");
            servers.forIds(1, 40, "INSERT INTO shop.customers VALUES (?, 'customer')");
            Path dir = Files.createDirectories(servers.work.resolve("console-browser"));
            Path passwords = Files.writeString(dir.resolve("jmx.password"), "control Ctl-p4ss-b1\nmonitor Mon-p4ss-b2\n");
            Path access = Files.writeString(dir.resolve("jmx.access"), "control readwrite\nmonitor readonly\n");
            int port = FreePorts.next();
            Map<String, String> p = Task.properties(servers, "shop-to-kafka");
            p.put("obsync.source.databases", "shop");
            p.put("obsync.source.signal-table", "shop.obsync_signals");
            p.put("obsync.full-sync.enabled", "true");
            p.put("obsync.jmx.password-file", passwords.toString());
            p.put("obsync.jmx.access-file", access.toString());
            p.put("camel.management.port", Integer.toString(port));
            try (Task task = Task.start(p); Chromium browser = Chromium.start(dir)) {
                browser.open("http://127.0.0.1:" + port + "/obsync/");
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "RUNNING".equals(browser.textOf("state")));
                assertThat(browser.textOf("task")).isEqualTo("shop-to-kafka");
                // the full synchronization's 40 customers, shown per table, then the changes
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> browser.textOf("fullsync").contains("shop.customers\t40"));
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "INCREMENTAL".equals(browser.textOf("phase")));

                // rows written now show in the counts within the page's refresh
                servers.forIds(1, 25, "INSERT INTO shop.orders VALUES (?, 10.50)");
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "25".equals(sent(browser, "shop.orders")));
                assertThat(browser.textOf("topics")).contains("Topic_shop_orders");
                // the configuration, opened as a person opens it: secrets as set, never as themselves
                browser.run("document.getElementById('configuration-details').open = true");
                assertThat(browser.textOf("configuration")).contains("obsync.source.password\t******").contains("obsync.jmx.access-file")
                        .doesNotContain("Ctl-p4ss-b1");
                browser.run("document.getElementById('configuration-details').open = false");

                // pause without signing in, then as the monitoring role: refused in one line, the task runs on
                browser.click("pause");
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> browser.textOf("action-result").contains("user name or password"));
                browser.type("user", "monitor");
                browser.type("password", "Mon-p4ss-b2");
                browser.click("pause");
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> browser.textOf("action-result").contains("monitoring role"));
                assertThat(browser.textOf("state")).isEqualTo("RUNNING");

                // as the control role: paused, nothing read meanwhile; resumed, the rows written meanwhile arrive
                browser.type("user", "control");
                browser.type("password", "Ctl-p4ss-b1");
                browser.click("pause");
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "PAUSED".equals(browser.textOf("state")));
                servers.forIds(26, 30, "INSERT INTO shop.orders VALUES (?, 20.00)");
                Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                        .until(() -> "25".equals(sent(browser, "shop.orders")));
                browser.click("resume");
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "30".equals(sent(browser, "shop.orders")));
                assertThat(browser.textOf("state")).isEqualTo("RUNNING");

                // a resync from the page sends the table's rows again
                browser.type("resync-tables", "shop.orders");
                browser.click("resync");
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> browser.textOf("action-result").startsWith("Resync requested"));
                Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_shop_orders"),
                        all -> all.stream().filter(r -> "ROW".equals(r.json().path("recordType").asText())).count() >= 30, Duration.ofSeconds(60));

                // the rate chart has points once a few samples are in
                Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> !browser.run("document.getElementById('line-read').getAttribute('points')").isEmpty());
                Files.write(Path.of("target", "console.png"), browser.screenshot());
                // the refused actions answered 403, which the browser logs; nothing else went wrong in the page
                assertThat(browser.errors()).as("errors in the page").allMatch(e -> e.contains("status of 403") && e.contains("/obsync/actions/pause"))
                        .hasSize(2);
                assertThat(task.status.isFailed()).isFalse();
            }
        }
    }
}
