package io.obsync.verify;

import java.io.IOException;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import io.obsync.destination.TopicMapping;
import io.obsync.event.ChangeEvent;
import io.obsync.event.Headers;
import io.obsync.event.Operation;
import io.obsync.event.SourcePosition;
import io.obsync.event.TableSchema;
import io.obsync.filter.SyncObjects;
import io.obsync.filter.TableSelection;
import io.obsync.format.FormatName;
import io.obsync.format.JsonChangeEventFormat;
import io.obsync.format.MessageFormats;
import io.obsync.settings.TaskSettings;
import io.obsync.source.SourceConnection;

/**
 * Proves a pipeline: reads a task's topics from the beginning, rebuilds the latest row per key of
 * every synced table (each change applied once, by its event id), and compares it with the source
 * table, both written by the task's own format so that values compare as the consumer sees them.
 * Tables whose rows a row filter selects, or that are renamed, are reported as not verified.
 */
public final class Verify {

    private static final JsonFactory JSON = new JsonFactory();
    // how long reading the topics to their end may take before verify gives up
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

    /** The comparison of one table. */
    public record TableResult(String table, String topic, long sourceRows, long rebuiltRows, long missing, long extra, long different,
                              List<String> examples, String notVerified) {

        /** Whether the table was verified and its rebuilt rows equal the source's. */
        public boolean equal() {
            return notVerified == null && missing == 0 && extra == 0 && different == 0;
        }

        @Override
        public String toString() {
            if (notVerified != null) {
                return table + " -> " + topic + ": not verified (" + notVerified + ")";
            }
            return table + " -> " + topic + ": " + sourceRows + " rows in the source, " + rebuiltRows + " rebuilt; " + missing + " missing, "
                    + extra + " extra, " + different + " different" + (examples.isEmpty() ? "" : " (" + String.join("; ", examples) + ")");
        }
    }

    private record Table(String database, String name, String topic, TopicMapping.Target target, List<String> columns, String notVerified) {
        String qualified() {
            return database + "." + name;
        }
    }

    private final TaskSettings settings;
    private final TaskConfig config;

    private Verify(UnaryOperator<String> properties) {
        this.settings = TaskSettings.of(new TaskConfig(properties));
        this.config = settings.config();
    }

    /**
     * Compares until every table is equal or the timeout passes (a task still catching up becomes equal
     * by itself); returns the last comparison.
     *
     * @param properties the task's configuration by key (null when unset)
     */
    public static List<TableResult> run(UnaryOperator<String> properties, Duration timeout) throws Exception {
        Verify verify = new Verify(properties);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<TableResult> results = verify.compare();
            boolean comparable = results.stream().allMatch(r -> r.notVerified() != null || r.equal());
            if (comparable || System.nanoTime() > deadline) {
                return results;
            }
            Thread.sleep(1000);
        }
    }

    private List<TableResult> compare() throws Exception {
        TopicMapping mapping = settings.topics();
        FormatName taskFormat = settings.format();
        Map<String, FormatName> overrides = settings.formatOverrides();
        List<TableResult> results = new ArrayList<>();
        try (Connection connection = SourceConnection.open(config.text(Options.SOURCE_HOSTNAME), config.text(Options.SOURCE_PORT),
                config.text(Options.SOURCE_USER), config.text(Options.SOURCE_PASSWORD), config.text(Options.SOURCE_SSL_MODE))) {
            List<Table> tables = tables(connection, mapping);
            Map<String, List<Delivered>> byTable = read(tables);
            for (Table table : tables) {
                FormatName format = overrides.getOrDefault(table.topic(), taskFormat);
                if (table.notVerified() != null) {
                    results.add(new TableResult(table.qualified(), table.topic(), 0, 0, 0, 0, 0, List.of(), table.notVerified()));
                } else {
                    results.add(compare(connection, table, format, MessageFormats.create(format, settings.formatSettings()),
                            byTable.getOrDefault(table.qualified(), List.of())));
                }
            }
        }
        return results;
    }

    /** The task's tables now: within obsync.source.databases and selected by the objects file, with their topics. */
    private List<Table> tables(Connection connection, TopicMapping mapping) throws SQLException {
        List<Table> tables = new ArrayList<>();
        for (TableSelection.Selected selected : settings.tables().tables(connection)) {
            SyncObjects.Rule rule = selected.rule();
            String database = selected.database();
            String name = selected.table();
            TopicMapping.Destination destination = mapping.destination(rule.targetDatabase() != null ? rule.targetDatabase() : database,
                    rule.targetTable() != null ? rule.targetTable() : name, rule.topic());
            String notVerified = rule.filter() != null ? "a row filter selects its rows"
                    : rule.targetDatabase() != null || rule.targetTable() != null ? "it is renamed on the way" : null;
            tables.add(new Table(database, name, destination.topic(), destination.target(), rule.columns() == null ? List.of() : rule.columns(),
                    notVerified));
        }
        return tables;
    }

    /** Every row-change message of the tables' topics, from the beginning, per table (database.table), in each partition's order. */
    private Map<String, List<Delivered>> read(List<Table> tables) throws Exception {
        Map<TopicMapping.Target, Set<String>> topics = new HashMap<>();
        for (Table table : tables) {
            if (table.notVerified() == null) {
                topics.computeIfAbsent(table.target(), t -> new TreeSet<>()).add(table.topic());
            }
        }
        Map<String, List<Delivered>> byTable = new HashMap<>();
        for (Map.Entry<TopicMapping.Target, Set<String>> entry : topics.entrySet()) {
            boolean rocketmq = entry.getKey() == TopicMapping.Target.ROCKETMQ;
            try (MessageReader reader = rocketmq ? new RocketMqReader(config.text(Options.ROCKETMQ_NAMESRV),
                    config.text(Options.ROCKETMQ_ACCESS_KEY), config.text(Options.ROCKETMQ_SECRET_KEY), List.copyOf(entry.getValue()))
                    : new KafkaReader(config.text(Options.KAFKA_BROKERS),
                            settings.kafkaSecurity().clientProperties(), List.copyOf(entry.getValue()))) {
                Set<String> stored = new HashSet<>();
                long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
                // every partition (queue) to the end offset it had when the reader opened: all that is stored now
                while (!reader.atEnd()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("The topics " + entry.getValue() + " could not be read to their end within "
                                + READ_TIMEOUT.toSeconds() + " s: check that the brokers are up and reachable, then verify again.");
                    }
                    List<Delivered> batch = reader.poll(Duration.ofMillis(500));
                    for (Delivered d : batch) {
                        String operation = d.header(Headers.OPERATION);
                        if (d.value() == null || operation == null || operation.equals("DDL") || operation.equals("HEARTBEAT")
                                || !stored.add(d.topic() + "/" + d.partition() + "/" + d.offset())) {
                            continue;
                        }
                        byTable.computeIfAbsent(d.header(Headers.DATABASE) + "." + d.header(Headers.TABLE), t -> new ArrayList<>()).add(d);
                    }
                }
            }
        }
        return byTable;
    }

    private TableResult compare(Connection connection, Table table, FormatName format, JsonChangeEventFormat writer,
                                List<Delivered> messages) throws Exception {
        SourceRows source;
        try {
            source = SourceRows.of(connection, table.database(), table.name(), table.columns());
        } catch (IllegalArgumentException e) {
            return new TableResult(table.qualified(), table.topic(), 0, 0, 0, 0, 0, List.of(), e.getMessage());
        }
        TableSchema schema = source.schema();
        if (!schema.hasPrimaryKey() && !MessageRows.hasBeforeImage(format)) {
            return new TableResult(table.qualified(), table.topic(), 0, 0, 0, 0, 0, List.of(),
                    format.displayName() + " messages of a table without a key do not say which row an UPDATE changed");
        }
        Rows expected = new Rows(schema);
        for (Object[] row : source.read(connection)) {
            expected.add(MessageRows.read(format, "INSERT", written(writer, table, schema, row)).after());
        }
        Rows rebuilt = new Rows(schema);
        Set<String> applied = new HashSet<>();
        messages = new ArrayList<>(messages);
        messages.sort(Comparator.comparing(Delivered::topic).thenComparingInt(Delivered::partition).thenComparingLong(Delivered::offset));
        for (Delivered message : messages) {
            if (!applied.add(message.header(Headers.EVENT_ID))) {
                continue;
            }
            MessageRows.Images images = MessageRows.read(format, message.header(Headers.OPERATION), message.value());
            Map<String, String> after = images.after();
            if (images.partial() && after != null) {
                Map<String, String> current = rebuilt.current(images.before());
                if (current != null) {
                    Map<String, String> merged = new LinkedHashMap<>(current);
                    merged.putAll(after);
                    after = merged;
                }
            }
            rebuilt.remove(images.before());
            rebuilt.add(after);
        }
        return expected.compareWith(rebuilt, table);
    }

    /** A source row as the format writes it in an INSERT message. */
    private static String written(JsonChangeEventFormat writer, Table table, TableSchema schema, Object[] row) throws IOException {
        ChangeEvent event = ChangeEvent.builder(Operation.INSERT).eventId("verify").database(table.database()).table(table.name())
                .schema(schema).after(row).transactionId("verify").position(new SourcePosition(0, "verify", 0, 0, 0, 0, null)).build();
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            writer.write(event, out);
        }
        return text.toString();
    }

    /** A table's rows by key (the key columns' texts), or as a multiset for a table without a key. */
    private static final class Rows {
        private final List<String> key;
        private final Map<String, Map<String, String>> byKey = new TreeMap<>();
        private final Map<Map<String, String>, Integer> keyless = new LinkedHashMap<>();

        Rows(TableSchema schema) {
            this.key = schema.primaryKey();
        }

        void add(Map<String, String> row) {
            if (row == null) {
                return;
            }
            if (key.isEmpty()) {
                keyless.merge(row, 1, Integer::sum);
            } else {
                byKey.put(keyOf(row), row);
            }
        }

        /** The row a (possibly key-only) image identifies now: by key, or the image itself for a table without a key. */
        Map<String, String> current(Map<String, String> image) {
            if (image == null) {
                return null;
            }
            return key.isEmpty() ? image : byKey.get(keyOf(image));
        }

        void remove(Map<String, String> row) {
            if (row == null) {
                return;
            }
            if (key.isEmpty()) {
                keyless.computeIfPresent(row, (r, n) -> n == 1 ? null : n - 1);
            } else {
                byKey.remove(keyOf(row));
            }
        }

        private String keyOf(Map<String, String> row) {
            StringBuilder out = new StringBuilder();
            for (String column : key) {
                out.append(out.length() == 0 ? "" : ",").append(row.get(column));
            }
            return out.toString();
        }

        long size() {
            return key.isEmpty() ? keyless.values().stream().mapToLong(Integer::longValue).sum() : byKey.size();
        }

        TableResult compareWith(Rows rebuilt, Table table) {
            long missing = 0;
            long extra = 0;
            long different = 0;
            List<String> examples = new ArrayList<>();
            if (key.isEmpty()) {
                Set<Map<String, String>> all = new HashSet<>(keyless.keySet());
                all.addAll(rebuilt.keyless.keySet());
                for (Map<String, String> row : all) {
                    int want = keyless.getOrDefault(row, 0);
                    int have = rebuilt.keyless.getOrDefault(row, 0);
                    if (want > have) {
                        missing += want - have;
                        example(examples, "missing " + row);
                    } else if (have > want) {
                        extra += have - want;
                        example(examples, "extra " + row);
                    }
                }
            } else {
                for (Map.Entry<String, Map<String, String>> row : byKey.entrySet()) {
                    Map<String, String> other = rebuilt.byKey.get(row.getKey());
                    if (other == null) {
                        missing++;
                        example(examples, "missing key " + row.getKey());
                    } else if (!Objects.equals(row.getValue(), project(other, row.getValue().keySet()))) {
                        different++;
                        example(examples, "key " + row.getKey() + " is " + other + " in the topic, " + row.getValue() + " in the source");
                    }
                }
                for (String k : rebuilt.byKey.keySet()) {
                    if (!byKey.containsKey(k)) {
                        extra++;
                        example(examples, "extra key " + k);
                    }
                }
            }
            return new TableResult(table.qualified(), table.topic(), size(), rebuilt.size(), missing, extra, different, examples, null);
        }

        // messages may carry fewer columns than the source row was written with (none are added)
        private static Map<String, String> project(Map<String, String> row, Set<String> columns) {
            Map<String, String> out = new LinkedHashMap<>();
            for (String column : columns) {
                if (row.containsKey(column)) {
                    out.put(column, row.get(column));
                }
            }
            return out.size() == columns.size() ? out : row;
        }

        private static void example(List<String> examples, String text) {
            if (examples.size() < 3) {
                examples.add(text.length() > 200 ? text.substring(0, 200) + "..." : text);
            }
        }
    }
}
