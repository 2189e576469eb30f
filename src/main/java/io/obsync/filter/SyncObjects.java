package io.obsync.filter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.obsync.config.Options;
import io.obsync.config.TopicMethod;
import io.obsync.config.TopicNames;
import io.obsync.event.Operation;

/**
 * The task's sync objects: which tables, where they go and which of their rows and columns, read
 * from the YAML file users edit (obsync.objects.file). Rules are exact names ({@code shop.orders}) or
 * have {@code *} wildcards in the database or table part ({@code shop.*}, {@code kd_test*.person*},
 * {@code *.orders}); the first rule that matches a table decides; an exclusion wins over every rule.
 * Without a file every table the source reads is selected.
 */
public final class SyncObjects {

    /** What the YAML file holds. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record File(List<Entry> include, List<String> exclude) {
    }

    /** One include rule as written. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Entry(String table, String target, String topic,
                        @JsonProperty("topic-method") String topicMethod,
                        String filter, List<String> sharding, List<String> columns) {
        /** A rule without its own topic mapping method. */
        public Entry(String table, String target, String topic, String filter, List<String> sharding, List<String> columns) {
            this(table, target, topic, null, filter, sharding, columns);
        }
    }

    /** One include rule, compiled. */
    public record Rule(String name, Pattern database, Pattern table, String targetDatabase, String targetTable, String topic,
                       TopicMethod topicMethod, RowFilter filter, List<String> sharding, List<String> columns, Entry entry) {
        boolean matches(String db, String tableName) {
            return database.matcher(db).matches() && table.matcher(tableName).matches();
        }
    }

    // letters, digits, _ and $ (MySQL's unquoted identifier characters), * as a wildcard
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_$*]+");

    private final List<Rule> rules;
    private final List<Rule> exclusions;
    private final Set<Operation> operations;
    // database -> table -> the deciding rule; looked up for every event, so without building a key
    private final Map<String, Map<String, Rule>> decided = new ConcurrentHashMap<>();
    private static final Rule NOT_SELECTED = new Rule("-", Pattern.compile(""), Pattern.compile(""), null, null, null, null, null,
            List.of(), List.of(), null);

    private SyncObjects(List<Rule> rules, List<Rule> exclusions, Set<Operation> operations) {
        this.rules = rules;
        this.exclusions = exclusions;
        this.operations = operations;
    }

    /** The selection without an objects file: every table, every DML type. */
    public static SyncObjects everything() {
        return load("", "INSERT,UPDATE,DELETE");
    }

    /**
     * Loads the selection.
     *
     * @param file       the YAML file, or null/blank for every table
     * @param operations the DML operations to sync, comma-separated (obsync.dml)
     * @throws IllegalArgumentException one sentence naming the object, the value and the fix
     */
    public static SyncObjects load(String file, String operations) {
        Set<Operation> dml = operations(operations);
        if (file == null || file.isBlank()) {
            return new SyncObjects(List.of(rule(new Entry("*.*", null, null, null, null, null), "*.*")), List.of(), dml);
        }
        Path path = Path.of(file.trim());
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(Options.OBJECTS_FILE.key() + " is '" + file + "', which does not exist: give the path of the "
                    + "objects YAML file, or leave it empty to sync every table.");
        }
        File content;
        try {
            content = read(path);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("Objects file " + path + " is not valid (" + reason
                    + "): write it as in the README, with 'include' rules of table, topic, filter and columns, and 'exclude' names.", e);
        }
        if (content == null || content.include() == null || content.include().isEmpty()) {
            throw new IllegalArgumentException("Objects file " + path + " selects no table: add at least one rule under 'include', "
                    + "such as - table: shop.orders.");
        }
        List<Rule> rules = new ArrayList<>();
        for (Entry entry : content.include()) {
            rules.add(rule(entry, entry == null ? null : entry.table()));
        }
        List<Rule> exclusions = new ArrayList<>();
        if (content.exclude() != null) {
            for (String name : content.exclude()) {
                exclusions.add(rule(new Entry(name, null, null, null, null, null), name));
            }
        }
        return new SyncObjects(rules, exclusions, dml);
    }

    private static Set<Operation> operations(String text) {
        Set<Operation> out = EnumSet.noneOf(Operation.class);
        for (String part : (text == null ? "" : text).split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            switch (name) {
                case "INSERT" -> out.add(Operation.INSERT);
                case "UPDATE" -> out.add(Operation.UPDATE);
                case "DELETE" -> out.add(Operation.DELETE);
                default -> throw new IllegalArgumentException(Options.DML.key() + " names '" + part.trim() + "': list any of INSERT, UPDATE, DELETE, "
                        + "comma-separated.");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(Options.DML.key() + " is empty: list the row changes to sync, e.g. INSERT,UPDATE,DELETE.");
        }
        return out;
    }

    /** Checks one rule as the objects file would; throws the same one-sentence errors. */
    public static void checkRule(Entry entry) {
        rule(entry, entry.table());
    }

    /** Reads the objects file as written, for export. */
    public static File read(Path path) throws IOException {
        return new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .readValue(path.toFile(), File.class);
    }

    private static Rule rule(Entry entry, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("An include rule of the objects file has no table: write it as - table: database.table "
                    + "(wildcards * allowed).");
        }
        String[] parts = name.trim().split("\\.", -1);
        if (parts.length != 2 || !NAME.matcher(parts[0]).matches() || !NAME.matcher(parts[1]).matches()) {
            throw new IllegalArgumentException("Object '" + name + "' is not database.table of ASCII letters, digits, '_', '$' and the "
                    + "wildcard '*' (no spaces, dots, quotes or other signs): write it like shop.orders or shop.order_*.");
        }
        String topic = entry.topic() == null ? null
                : TopicNames.requireValid(entry.topic().trim(), "object " + name + " (objects file)", "choose a valid topic name");
        TopicMethod topicMethod = TopicMethod.parse(entry.topicMethod(),
                "The topic-method of object " + name + " (objects file)", null);
        if (topicMethod != null && topic == null) {
            throw new IllegalArgumentException("Object " + name + " sets topic-method '" + entry.topicMethod() + "' but no topic: "
                    + "name its topic, or drop topic-method (generated topics are created by schema sync).");
        }
        RowFilter filter = entry.filter() == null ? null : RowFilter.parse(entry.filter(), name);
        List<String> columns = names(entry.columns(), name, "selects column");
        List<String> sharding = names(entry.sharding(), name, "shards by column");
        String targetDatabase = null;
        String targetTable = null;
        if (entry.target() != null && !entry.target().isBlank()) {
            String[] target = entry.target().trim().split("\\.", -1);
            if (name.contains("*")) {
                throw new IllegalArgumentException("Object " + name + " renames to '" + entry.target() + "', but a rule with wildcards "
                        + "cannot be renamed: give the target on an exact database.table.");
            }
            if (target.length != 2 || !NAME.matcher(target[0]).matches() || !NAME.matcher(target[1]).matches() || entry.target().contains("*")) {
                throw new IllegalArgumentException("Object " + name + " renames to '" + entry.target() + "', which is not database.table "
                        + "of ASCII letters, digits, '_' and '$': write it like shop_copy.orders.");
            }
            targetDatabase = target[0];
            targetTable = target[1];
        }
        return new Rule(name.trim(), wildcard(parts[0]), wildcard(parts[1]), targetDatabase, targetTable, topic, topicMethod, filter,
                sharding, columns, entry);
    }

    private static List<String> names(List<String> names, String object, String what) {
        List<String> out = names == null ? List.of() : List.copyOf(names);
        for (String column : out) {
            if (column == null || !NAME.matcher(column).matches() || column.contains("*")) {
                throw new IllegalArgumentException("Object " + object + " " + what + " '" + column + "', which is not a column name: "
                        + "list names of ASCII letters, digits, '_' and '$'.");
            }
        }
        return out;
    }

    private static Pattern wildcard(String part) {
        StringBuilder regex = new StringBuilder();
        for (String piece : part.split("\\*", -1)) {
            if (regex.length() > 0 || part.startsWith("*")) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(piece));
        }
        return Pattern.compile(part.equals("*") ? ".*" : regex.toString());
    }

    /** The rule that selects a table, or null when the table is not synced. */
    public Rule ruleFor(String database, String table) {
        Rule rule = decided.computeIfAbsent(database, d -> new ConcurrentHashMap<>()).computeIfAbsent(table, t -> decide(database, table));
        return rule == NOT_SELECTED ? null : rule;
    }

    private Rule decide(String database, String table) {
        for (Rule exclusion : exclusions) {
            if (exclusion.matches(database, table)) {
                return NOT_SELECTED;
            }
        }
        for (Rule rule : rules) {
            if (rule.matches(database, table)) {
                return rule;
            }
        }
        return NOT_SELECTED;
    }

    /** Whether the task syncs this DML operation (snapshot rows, DDL and heartbeats are not DML). */
    public boolean syncs(Operation operation) {
        return switch (operation) {
            case INSERT, UPDATE, DELETE -> operations.contains(operation);
            default -> true;
        };
    }

    /** The include rules, in order. */
    public List<Rule> includes() {
        return rules;
    }

    /** The exclusions, in order. */
    public List<Rule> exclusions() {
        return exclusions;
    }
}
