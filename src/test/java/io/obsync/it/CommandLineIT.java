package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/obsync.jar ...} as a user runs it, and {@code target/obsync demo} as a developer runs it from a
 * build (the demo is a test class: the product jar does not have it).
 */
class CommandLineIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int exit, String stdout, String stderr) {
    }

    private Run obsync(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "obsync.jar").toAbsolutePath().toString()), env, args);
    }

    /** {@code target/obsync demo ...}: the launcher runs the demo from the test classes beside the product jar. */
    private Run demo(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("demo"));
        command.addAll(List.of(args));
        return run(List.of("sh", Path.of("target", "obsync").toAbsolutePath().toString()), Map.of("JAVA_HOME", System.getProperty("java.home")),
                command.toArray(String[]::new));
    }

    private Run run(List<String> launcher, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(240, TimeUnit.SECONDS)) {
                throw new AssertionError("obsync " + String.join(" ", args) + " did not finish in 240 s");
            }
        } finally {
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Path config(String... extraLines) throws IOException {
        Path file = dir.resolve("task.properties");
        String base = Files.readString(Path.of("application.properties"));
        // Camel's management server on any free port: tests may run beside other tasks
        Files.writeString(file, base + "\ncamel.management.port=0\n" + String.join("\n", extraLines) + "\n");
        return file;
    }

    private static String routes() {
        return Path.of("routes").toAbsolutePath().toString();
    }

    @Test
    void theLauncherRunsTheJarWithA512MegabyteHeapUnlessToldOtherwise() throws Exception {
        List<String> launcher = List.of("sh", Path.of("target", "obsync").toAbsolutePath().toString());
        // the JVM prints its final flags; JAVA_HOME picks the java the tests run on
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-XX:+PrintFlagsFinal", "JAVA_HOME", System.getProperty("java.home"));
        Run standard = run(launcher, env, "--help");
        assertThat(standard.exit()).as(standard.stderr()).isZero();
        assertThat(standard.stdout()).containsPattern("MaxHeapSize\\s+= 536870912\\s").containsPattern("ExitOnOutOfMemoryError\\s+= true\\s")
                .contains("Usage: obsync");
        Map<String, String> bigger = new java.util.HashMap<>(env);
        bigger.put("JAVA_OPTS", "-Xmx1g");
        Run raised = run(launcher, bigger, "--help");
        assertThat(raised.exit()).as(raised.stderr()).isZero();
        assertThat(raised.stdout()).containsPattern("MaxHeapSize\\s+= 1073741824\\s");
    }

    @Test
    void theProductJarHasNoDemo() throws Exception {
        Run run = obsync(Map.of(), "demo");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("Unmatched argument at index 0: 'demo'");
    }

    @Test
    void demoPrintsExactlyOneJsonObjectPerMessageAndExitsZero() throws Exception {
        // the wire name, in lower case, selects DefaultExtendColumnType
        Run run = demo("--output", "jsonl", "--format", "default_with_schema");
        assertThat(run.exit()).as(run.stderr()).isZero();
        String[] lines = run.stdout().strip().split("\n");
        assertThat(lines.length).isGreaterThanOrEqualTo(15);
        Set<String> operations = new HashSet<>();
        for (String line : lines) {
            JsonNode message = JSON.readTree(line);
            assertThat(message.fieldNames()).toIterable().containsExactly("topic", "partition", "key", "headers", "value");
            assertThat(message.get("topic").textValue()).startsWith("Topic_shop_");
            JsonNode value = JSON.readTree(message.get("value").textValue());
            assertThat(value.get("recordType").textValue()).isEqualTo(message.get("headers").get("obsync-operation").textValue());
            operations.add(value.get("recordType").textValue());
            if (value.get("postStruct").has("id")) {
                assertThat(value.get("postStruct").get("__light_type").get("id").get("schemaType").textValue()).isEqualTo("BIGINT");
            }
        }
        assertThat(operations).containsExactlyInAnyOrder("INSERT", "UPDATE", "DELETE", "DDL");
    }

    @Test
    void objectsImportChecksEveryLineThenReplacesTheSelectionWhichListAndExportShow() throws Exception {
        Path objects = dir.resolve("objects.yaml");
        Files.writeString(objects, "include:\n  - table: old.t\n");
        String config = config("obsync.objects.file=" + objects).toString();
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, """
                database,table,target_database,target_table,topic,row_filter,sharding_columns,columns,exclude
                shop,orders,,,,amount >,,,
                shop,,,,,,,,
                """);
        Run refused = obsync(Map.of(), "objects", "import", bad.toString(), "--config", config);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.stderr()).contains("has 2 bad line(s); the selection in " + objects + " is unchanged:")
                .contains("line 2 (shop.orders): The row filter of shop.orders 'amount >' is not a SQL WHERE condition")
                .contains("line 3 (shop.): database and table are required.");
        assertThat(Files.readString(objects)).contains("old.t");

        Path good = dir.resolve("good.csv");
        Files.writeString(good, """
                database,table,target_database,target_table,topic,row_filter,sharding_columns,columns,exclude
                shop,orders,,,big_orders,"amount > 100",,id;amount,
                shop,line_*,,,,,,,
                shop,line_tmp,,,,,,,true
                """);
        Run imported = obsync(Map.of(), "objects", "import", good.toString(), "--config", config);
        assertThat(imported.exit()).as(imported.stderr()).isZero();
        assertThat(imported.stdout()).contains("Replacing the selection in " + objects + " with the 2 table rule(s) and 1 exclusion(s)");

        Run list = obsync(Map.of(), "objects", "list", "--config", config);
        assertThat(list.exit()).as(list.stderr()).isZero();
        assertThat(list.stdout()).contains("big_orders\n  shop\n    orders  where amount > 100  columns [id, amount]")
                .contains("Topic_shop_line_*\n  shop\n    line_*").contains("excluded: shop.line_tmp");

        Path exported = dir.resolve("exported.csv");
        Run export = obsync(Map.of(), "objects", "export", exported.toString(), "--config", config);
        assertThat(export.exit()).as(export.stderr()).isZero();
        assertThat(io.obsync.filter.ObjectsCsv.read(exported).selection()).isEqualTo(io.obsync.filter.ObjectsCsv.read(good).selection());
    }

    @Test
    void precheckPrintsEveryItemAndExitsOneWhenTheTaskMayNotStart() throws Exception {
        String config = config("obsync.source.port=1", "obsync.source.password=secret", "obsync.kafka.brokers=127.0.0.1:1").toString();
        Run run = obsync(Map.of(), "precheck", "--config", config, "--skip", "kafka");
        assertThat(run.exit()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stdout()).containsPattern("PASS +options +topics, formats, objects and identifiers are valid")
                .containsPattern("FAIL +source-connection +cannot connect to 127.0.0.1:1")
                .containsPattern("SKIPPED +binlog +the source could not be read")
                .containsPattern("SKIPPED +kafka +skipped by --skip kafka")
                .contains("The task may not start: fix the FAIL items, or skip them knowingly with --skip ITEM.");
        Run unknown = obsync(Map.of(), "precheck", "--config", config, "--skip", "bogus");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("obsync: --skip bogus names no precheck item: use one of [options, state, source-connection");
    }

    @Test
    void demoWritesMaxwellWithItsKeysAndTransactionFields() throws Exception {
        // Maxwell holds each transaction until its end; its Kafka key is JSON, not the bare id
        Run run = demo("--output", "jsonl", "--format", "maxwell");
        assertThat(run.exit()).as(run.stderr()).isZero();
        Set<String> types = new HashSet<>();
        int commits = 0;
        for (String line : run.stdout().strip().split("\n")) {
            JsonNode message = JSON.readTree(line);
            JsonNode value = JSON.readTree(message.get("value").textValue());
            types.add(value.get("type").textValue());
            commits += value.path("commit").asBoolean() ? 1 : 0;
            if (value.has("xid")) {
                assertThat(value.get("xoffset").isIntegralNumber()).isTrue();
                assertThat(JSON.readTree(message.get("key").textValue()).get("database").textValue()).isEqualTo("shop");
            }
        }
        assertThat(types).contains("insert", "update", "delete", "table-alter");
        // every transaction of the demo script ends with one row that says so
        assertThat(commits).isGreaterThanOrEqualTo(10);
    }

    @Test
    void demoAgainstRocketMqPrintsEveryMessageWithItsQueue() throws Exception {
        Run run = demo("--target", "rocketmq", "--output", "jsonl");
        assertThat(run.exit()).as(run.stderr()).isZero();
        String[] lines = run.stdout().strip().split("\n");
        Set<String> operations = new HashSet<>();
        Set<Integer> ddlQueues = new HashSet<>();
        for (String line : lines) {
            JsonNode message = JSON.readTree(line);
            JsonNode value = JSON.readTree(message.get("value").textValue());
            String operation = value.get("recordType").textValue();
            operations.add(operation);
            assertThat(message.get("headers").get("obsync-operation").textValue()).isEqualTo(operation);
            if (value.toString().contains("ADD COLUMN channel")) {
                ddlQueues.add(message.get("partition").asInt());
            }
        }
        assertThat(operations).containsExactlyInAnyOrder("INSERT", "UPDATE", "DELETE", "DDL");
        // the DDL reached every queue of the orders topic
        assertThat(ddlQueues).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void invalidTopicIsRefusedAtStartUpInOneSentence() throws Exception {
        Run run = obsync(Map.of(), "run", "--config", config("obsync.topic.mapping=shop.orders=bad topic").toString(), "--routes", routes());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("obsync: Topic name 'bad topic' for table shop.orders (obsync.topic.mapping) is invalid");
    }

    @Test
    void environmentVariablesOverrideTheProperties() throws Exception {
        Run run = obsync(Map.of("OBSYNC_KAFKA_PARTITIONING", "sideways"), "run", "--config", config().toString(), "--routes", routes());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("obsync.kafka.partitioning is 'sideways': use hash, table or one.");
    }

    @Test
    void unknownFormatIsRefusedWithTheChoices() throws Exception {
        Run run = obsync(Map.of(), "run", "--config", config("obsync.format=Avro").toString(), "--routes", routes());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("obsync: obsync.format is 'Avro', which is not a serialization method of this build: "
                + "use one of Default (DEFAULT), DefaultExtendColumnType (DEFAULT_WITH_SCHEMA), Canal (CANAL), DataWorks (DATAWORKS_V2), "
                + "SharePlex (SHAREPLEX), Debezium (DEBEZIUM), DebeziumFlatten (DEBEZIUMFLATTEN), DebeziumSmt (DEBEZIUMSMT), Maxwell (MAXWELL).");
    }

    @Test
    void maxwellIsRefusedForRocketMqTargets() throws Exception {
        Run run = obsync(Map.of(), "run", "--config",
                config("obsync.format=Maxwell", "obsync.topic.mapping=shop.orders=rocketmq:orders").toString(), "--routes", routes());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("obsync: obsync.format is 'Maxwell' but tables go to RocketMQ, which the Maxwell format does not support");
    }

    @Test
    void missingPasswordNamesThePropertyToSet() throws Exception {
        Run run = obsync(Map.of(), "run", "--config", config("obsync.source.password=").toString(), "--routes", routes());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).contains("set obsync.source.password in application.properties or the environment variable OBSYNC_SOURCE_PASSWORD");
    }

    @Test
    void unreachableSourceStopsTheTaskWithExitCodeOne() throws Exception {
        String config = config("obsync.source.port=1", "obsync.source.password=secret", "obsync.data-dir=" + dir.resolve("data")).toString();
        // the precheck before the start finds it
        Run checked = obsync(Map.of(), "run", "--config", config, "--routes", routes(), "--skip-precheck", "kafka");
        assertThat(checked.exit()).isEqualTo(1);
        assertThat(checked.stderr()).containsPattern("FAIL +source-connection +cannot connect to 127.0.0.1:1")
                .contains("obsync: the precheck failed, the task does not start");
        // without it, the source itself stops the task
        Run run = obsync(Map.of("OBSYNC_PRECHECK_SKIP", "all"), "run", "--config", config, "--routes", routes());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).contains("obsync: the task stopped: binlog source 127.0.0.1:1 stopped:")
                .contains("check obsync.source.hostname, port, user and password");
    }
}
