package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.obsync.it.Records.Received;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The task's MBean: status attributes, and pause/resume mid-stream without loss. */
class TaskJmxIT {

    @Test
    void pauseAndResumeOverJmxKeepThePosition() throws Exception {
        try (Servers servers = Servers.start("jmx")) {
            servers.db.execute("CREATE DATABASE jmx", "CREATE TABLE jmx.t (id INT PRIMARY KEY)");
            servers.kafka.createTopics(1, "Topic_jmx_t");
            Map<String, String> p = Task.properties(servers, "jmx-it");
            p.put("obsync.source.databases", "jmx");
            // and remote JMX on loopback, with a user and password
            int port = io.obsync.sandbox.FreePorts.next();
            java.nio.file.Path passwords = servers.work.resolve("jmx.password");
            java.nio.file.Files.writeString(passwords, "monitor s3cret\ncontrol c0ntrol\n");
            // a monitoring role that reads, a control role that may also pause and resume
            java.nio.file.Path access = servers.work.resolve("jmx.access");
            java.nio.file.Files.writeString(access, "monitor readonly\ncontrol readwrite\n");
            p.put("obsync.jmx.port", Integer.toString(port));
            p.put("obsync.jmx.password-file", passwords.toString());
            p.put("obsync.jmx.access-file", access.toString());
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("io.obsync:type=Task,name=" + ObjectName.quote("jmx-it"));
            try (Task task = Task.start(p)) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jmx.isRegistered(name));
                servers.forIds(1, 100, "INSERT INTO jmx.t VALUES (?)");
                Records.readUntil(servers.kafka.bootstrapServers(), List.of("Topic_jmx_t"), r -> r.stream().anyMatch(x -> "100".equals(x.key())),
                        Duration.ofSeconds(60));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "RUNNING".equals(jmx.getAttribute(name, "State")));
                assertThat((String) jmx.getAttribute(name, "Position")).startsWith("mariadb-bin.");

                jmx.invoke(name, "pause", null, null);
                assertThat(jmx.getAttribute(name, "State")).isEqualTo("PAUSED");
                long readWhenPaused = (Long) jmx.getAttribute(name, "EventsRead");
                servers.forIds(101, 200, "INSERT INTO jmx.t VALUES (?)");
                // paused: for two seconds after the inserts nothing is read
                Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                        .until(() -> readWhenPaused == (Long) jmx.getAttribute(name, "EventsRead"));
                List<Received> paused = Records.settled(servers.kafka.bootstrapServers(), List.of("Topic_jmx_t"),
                        r -> r.stream().anyMatch(x -> "100".equals(x.key())), Duration.ofSeconds(30));
                assertThat(paused).noneMatch(r -> r.key() != null && Integer.parseInt(r.key()) > 100);

                jmx.invoke(name, "resume", null, null);
                List<Received> all = Records.settled(servers.kafka.bootstrapServers(), List.of("Topic_jmx_t"),
                        r -> r.stream().anyMatch(x -> "200".equals(x.key())), Duration.ofSeconds(60));
                Set<Integer> ids = new TreeSet<>();
                all.stream().filter(r -> r.key() != null).forEach(r -> ids.add(Integer.parseInt(r.key())));
                assertThat(ids).hasSize(200).contains(1, 100, 101, 200);
                // the position was saved at the pause: little is read twice
                assertThat(all.stream().filter(r -> r.key() != null).count()).isLessThanOrEqualTo(200 + 10);
                assertThat(jmx.getAttribute(name, "State")).isEqualTo("RUNNING");
                assertThat((String) jmx.invoke(name, "status", null, null)).startsWith("RUNNING (INCREMENTAL) at mariadb-bin.");
                assertThat(task.status.isFailed()).isFalse();

                javax.management.remote.JMXServiceURL url = new javax.management.remote.JMXServiceURL(
                        "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
                try (javax.management.remote.JMXConnector remote = javax.management.remote.JMXConnectorFactory.connect(url,
                        Map.of(javax.management.remote.JMXConnector.CREDENTIALS, new String[] {"monitor", "s3cret"}))) {
                    var connection = remote.getMBeanServerConnection();
                    assertThat(connection.getAttribute(name, "State")).isEqualTo("RUNNING");
                    assertThat((String[]) connection.getAttribute(name, "Tables")).anyMatch(line -> line.startsWith("jmx.t: in "));
                    // Camel's route MBeans alongside
                    assertThat(connection.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null)).isNotEmpty();
                    // monitoring may not control the task
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> connection.invoke(name, "pause", null, null))
                            .isInstanceOf(SecurityException.class);
                    assertThat(connection.getAttribute(name, "State")).isEqualTo("RUNNING");
                }
                try (javax.management.remote.JMXConnector remote = javax.management.remote.JMXConnectorFactory.connect(url,
                        Map.of(javax.management.remote.JMXConnector.CREDENTIALS, new String[] {"control", "c0ntrol"}))) {
                    var connection = remote.getMBeanServerConnection();
                    connection.invoke(name, "pause", null, null);
                    assertThat(connection.getAttribute(name, "State")).isEqualTo("PAUSED");
                    connection.invoke(name, "resume", null, null);
                    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "RUNNING".equals(connection.getAttribute(name, "State")));
                }
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> javax.management.remote.JMXConnectorFactory.connect(url,
                        Map.of(javax.management.remote.JMXConnector.CREDENTIALS, new String[] {"monitor", "wrong"})))
                        .isInstanceOf(SecurityException.class);
            }
            assertThat(jmx.isRegistered(name)).isFalse();
        }
    }
}
