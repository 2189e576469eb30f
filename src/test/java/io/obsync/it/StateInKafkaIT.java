package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.obsync.it.Records.Received;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code obsync.state.store=kafka}: a task's position and schema history live in Kafka topics named
 * after it, so an instance on another machine (another data folder, nothing copied) resumes exactly
 * where the first stopped, with the table structure the first one learned; {@code obsync state export}
 * and {@code import} move the state into the file store of a third machine; damaged state in Kafka
 * and state topics that could lose state stop the task in one line.
 */
class StateInKafkaIT {

    private static final String TOPIC = "Topic_moved_items";

    @Test
    void anotherMachineResumesFromTheStateInKafkaAndAnExportMovesItIntoFiles() throws Exception {
        try (Servers servers = Servers.start("state-kafka")) {
            servers.kafka.createTopics(3, TOPIC);
            servers.db.execute("CREATE DATABASE moved", "CREATE TABLE moved.items (id INT PRIMARY KEY, note VARCHAR(20))");
            Function<String, Map<String, String>> machine = name -> {
                Map<String, String> p = Task.properties(servers, "moved-it");
                p.put("obsync.source.databases", "moved");
                p.put("obsync.state.store", "kafka");
                p.put("obsync.state.kafka.replication-factor", "1");
                p.put("obsync.data-dir", servers.work.resolve(name).resolve("data").toString());
                p.put("camel.management.port", "0");
                return p;
            };
            Path one = Files.createDirectories(servers.work.resolve("machine-1"));
            try (TaskProcess task = TaskProcess.start(one, machine.apply("machine-1"), "task.log")) {
                servers.forIds(1, 50, "INSERT INTO moved.items VALUES (?, 'one')");
                awaitIds(servers, 1, 50);
                servers.db.execute("ALTER TABLE moved.items ADD COLUMN extra VARCHAR(10) DEFAULT 'x'");
                servers.forIds(51, 60, "INSERT INTO moved.items VALUES (?, 'one', 'e')");
                awaitIds(servers, 1, 60);
            }
            // nothing of the state is on the first machine's disk: it is in the two topics, with settings that keep it
            assertThat(one.resolve("data/moved-it/offsets.dat")).doesNotExist();
            assertThat(one.resolve("data/moved-it/schema-history.dat")).doesNotExist();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers.kafka.bootstrapServers()))) {
                ConfigResource offsets = new ConfigResource(ConfigResource.Type.TOPIC, "obsync-moved-it-offsets");
                ConfigResource history = new ConfigResource(ConfigResource.Type.TOPIC, "obsync-moved-it-schema-history");
                Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(offsets, history)).all().get(30, TimeUnit.SECONDS);
                assertThat(configs.get(offsets).get("cleanup.policy").value()).isEqualTo("compact");
                assertThat(configs.get(history).get("cleanup.policy").value()).isEqualTo("delete");
                assertThat(configs.get(history).get("retention.ms").value()).isEqualTo("-1");
                assertThat(configs.get(history).get("retention.bytes").value()).isEqualTo("-1");
            }

            // written while no instance runs, with a column added that only the schema history can tell
            servers.forIds(61, 80, "INSERT INTO moved.items VALUES (?, 'down', 'e')");
            servers.db.execute("ALTER TABLE moved.items ADD COLUMN later INT DEFAULT 7");
            servers.forIds(81, 90, "INSERT INTO moved.items VALUES (?, 'down', 'e', 8)");
            Path two = Files.createDirectories(servers.work.resolve("machine-2"));
            Map<String, String> second = machine.apply("machine-2");
            try (TaskProcess task = TaskProcess.start(two, second, "task.log")) {
                awaitIds(servers, 1, 90);
                assertThat(task.output()).doesNotContain("first start");
            }
            List<Received> all = Records.readToEnd(servers.kafka.bootstrapServers(), List.of(TOPIC), Duration.ofSeconds(60));
            // resumed exactly where the first instance stopped: every row once, none again, none missing
            assertThat(rowsById(all)).containsExactlyInAnyOrderEntriesOf(once(1, 90));
            Received late = row(all, 85);
            assertThat(late.json().path("postStruct").path("later").asText()).isEqualTo("8");
            assertThat(late.json().path("postStruct").path("extra").asText()).isEqualTo("e");

            // the state moves into a third machine's file store through an export
            Path export = two.resolve("state.json");
            TaskProcess.Outcome exported = TaskProcess.once(two, "export.log", "state", "export", "--config", two.resolve("task.properties").toString(),
                    "--output", export.toString());
            assertThat(exported.exitCode()).as(exported.output()).isZero();
            TaskProcess.Outcome shown = TaskProcess.once(two, "show.log", "state", "show", "--config", two.resolve("task.properties").toString());
            assertThat(shown.output()).contains("obsync-moved-it-offsets").contains("position: {").contains("ADD COLUMN later");
            Path three = Files.createDirectories(servers.work.resolve("machine-3"));
            Map<String, String> third = machine.apply("machine-3");
            third.put("obsync.state.store", "file");
            Path config = TaskProcess.writeConfig(three, third);
            TaskProcess.Outcome imported = TaskProcess.once(three, "import.log", "state", "import", "--config", config.toString(), "--file", export.toString());
            assertThat(imported.exitCode()).as(imported.output()).isZero();
            assertThat(three.resolve("data/moved-it/offsets.dat")).exists();
            TaskProcess.Outcome again = TaskProcess.once(three, "import-again.log", "state", "import", "--config", config.toString(), "--file", export.toString());
            assertThat(again.exitCode()).isNotZero();
            assertThat(again.output().lines().filter(l -> l.startsWith("obsync:")).toList()).singleElement().asString()
                    .contains("already has state in the folder");

            servers.forIds(91, 100, "INSERT INTO moved.items VALUES (?, 'three', 'e', 9)");
            try (TaskProcess task = TaskProcess.start(three, third, "task.log")) {
                awaitIds(servers, 1, 100);
            }
            all = Records.readToEnd(servers.kafka.bootstrapServers(), List.of(TOPIC), Duration.ofSeconds(60));
            assertThat(rowsById(all)).containsExactlyInAnyOrderEntriesOf(once(1, 100));
        }
    }

    @Test
    void damagedStateInKafkaOrATopicThatCouldLoseItStopsTheTaskInOneLine() throws Exception {
        try (Servers servers = Servers.start("state-kafka-damaged")) {
            servers.kafka.createTopics(1, TOPIC);
            servers.db.execute("CREATE DATABASE moved", "CREATE TABLE moved.items (id INT PRIMARY KEY, note VARCHAR(20))");
            Map<String, String> p = Task.properties(servers, "damaged-kafka-it");
            p.put("obsync.source.databases", "moved");
            p.put("obsync.state.store", "kafka");
            p.put("obsync.state.kafka.replication-factor", "1");
            p.put("camel.management.port", "0");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers.kafka.bootstrapServers()))) {
                // a history topic someone created with the broker's seven days of retention
                admin.createTopics(List.of(new NewTopic("obsync-damaged-kafka-it-schema-history", 1, (short) 1)
                        .configs(Map.of("retention.ms", "604800000")))).all().get(30, TimeUnit.SECONDS);
            }
            try (TaskProcess task = TaskProcess.start(servers.work, p, "task-1.log")) {
                assertThat(task.exitCode(Duration.ofSeconds(120))).isNotZero();
                assertThat(obsyncLines(task)).singleElement().asString().contains("obsync-damaged-kafka-it-schema-history")
                        .contains("retention.ms=604800000").contains("--add-config retention.ms=-1");
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers.kafka.bootstrapServers()))) {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, "obsync-damaged-kafka-it-schema-history"),
                        List.of(new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry("retention.ms", "-1"),
                                org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET),
                                new org.apache.kafka.clients.admin.AlterConfigOp(new org.apache.kafka.clients.admin.ConfigEntry("retention.bytes", "-1"),
                                        org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
            }
            try (TaskProcess task = TaskProcess.start(servers.work, p, "task-2.log")) {
                servers.forIds(1, 10, "INSERT INTO moved.items VALUES (?, 'one')");
                awaitIds(servers, 1, 10);
            }

            // a record under the task's key that is not a position: never read as "no position"
            Map<String, Object> producer = new HashMap<>(Map.of("bootstrap.servers", servers.kafka.bootstrapServers()));
            try (KafkaProducer<String, String> garbage = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
                garbage.send(new ProducerRecord<>("obsync-damaged-kafka-it-offsets", "[\"damaged-kafka-it\",{\"server\":\"damaged-kafka-it\"}]",
                        "{not a position")).get(30, TimeUnit.SECONDS);
            }
            String before;
            try (var c = servers.db.connect(); var rs = c.createStatement().executeQuery("SHOW MASTER STATUS")) {
                rs.next();
                before = rs.getString(1) + ":" + rs.getLong(2);
            }
            servers.forIds(11, 15, "INSERT INTO moved.items VALUES (?, 'lost?')");
            try (TaskProcess task = TaskProcess.start(servers.work, p, "task-3.log")) {
                assertThat(task.exitCode(Duration.ofSeconds(120))).isNotZero();
                assertThat(obsyncLines(task)).singleElement().asString().contains("saved position obsync-damaged-kafka-it-offsets")
                        .contains("obsync run --from earliest|latest|<binlog file>:<position>|<time>");
            }
            List<Received> all = Records.readToEnd(servers.kafka.bootstrapServers(), List.of(TOPIC), Duration.ofSeconds(60));
            assertThat(rowsById(all)).containsOnlyKeys(IntStream.rangeClosed(1, 10).mapToObj(Integer::toString).toArray(String[]::new));

            // the user chooses where reading starts: the damaged topics are copied aside and made anew, the rows arrive
            try (TaskProcess task = TaskProcess.start(servers.work, p, "task-4.log", "--from", before)) {
                awaitIds(servers, 1, 15);
                assertThat(task.output()).contains("every record of the topics obsync-damaged-kafka-it-offsets");
            }
            try (var files = Files.list(servers.work.resolve("data/damaged-kafka-it"))) {
                Path aside = files.filter(f -> f.getFileName().toString().startsWith("set-aside-")).findFirst().orElseThrow();
                assertThat(Files.readString(aside)).contains("\"topic\":\"obsync-damaged-kafka-it-offsets\"")
                        .contains(java.util.Base64.getEncoder().encodeToString("{not a position".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
    }

    private static List<String> obsyncLines(TaskProcess task) throws Exception {
        return task.output().lines().filter(l -> l.startsWith("obsync:")).toList();
    }

    private static Map<String, Long> rowsById(List<Received> all) {
        return all.stream().filter(r -> "INSERT".equals(r.header("obsync-operation")))
                .collect(Collectors.groupingBy(Received::key, Collectors.counting()));
    }

    private static Map<String, Long> once(int first, int last) {
        return IntStream.rangeClosed(first, last).boxed().collect(Collectors.toMap(Object::toString, i -> 1L));
    }

    private static Received row(List<Received> all, int id) {
        return all.stream().filter(r -> Integer.toString(id).equals(r.key()) && "INSERT".equals(r.header("obsync-operation"))).findFirst()
                .orElseThrow(() -> new AssertionError("no INSERT of " + id));
    }

    private static void awaitIds(Servers servers, int first, int last) {
        Set<String> wanted = IntStream.rangeClosed(first, last).mapToObj(Integer::toString).collect(Collectors.toSet());
        Records.readUntil(servers.kafka.bootstrapServers(), List.of(TOPIC),
                r -> r.stream().map(Received::key).collect(Collectors.toSet()).containsAll(wanted), Duration.ofSeconds(120));
    }
}
