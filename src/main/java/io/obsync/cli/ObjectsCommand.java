package io.obsync.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import io.obsync.config.Options;
import io.obsync.filter.ObjectsCsv;
import io.obsync.filter.SyncObjects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The selection in the objects file: list it, export it to CSV, import it from CSV. */
@Command(name = "objects", mixinStandardHelpOptions = true,
        description = "Show, export or import the sync objects (the file named by obsync.objects.file).",
        subcommands = {ObjectsCommand.ListObjects.class, ObjectsCommand.Export.class, ObjectsCommand.Import.class})
public class ObjectsCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the selection as Topic > Database > Table.")
    static class ListObjects implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ConfigOption options = new ConfigOption();

        @Override
        public Integer call() throws Exception {
            String file = options.config().text(Options.OBJECTS_FILE);
            String pattern = options.config().text(Options.TOPIC_PATTERN);
            SyncObjects objects = SyncObjects.load(file, options.config().text(Options.DML));
            Map<String, Map<String, List<String>>> view = new TreeMap<>();
            for (SyncObjects.Rule rule : objects.includes()) {
                String[] name = rule.name().split("\\.", 2);
                String database = rule.targetDatabase() != null ? rule.targetDatabase() : name[0];
                String table = rule.targetTable() != null ? rule.targetTable() : name[1];
                String topic = rule.topic() != null ? rule.topic()
                        : pattern.replace("${Database Name}", database).replace("${Table Name}", table);
                String detail = table + (rule.targetTable() != null ? "  (from " + rule.name() + ")" : "")
                        + (rule.filter() != null ? "  where " + rule.filter().clause() : "")
                        + (rule.columns().isEmpty() ? "" : "  columns " + rule.columns())
                        + (rule.sharding().isEmpty() ? "" : "  sharding " + rule.sharding());
                view.computeIfAbsent(topic, t -> new TreeMap<>()).computeIfAbsent(database, d -> new ArrayList<>()).add(detail);
            }
            view.forEach((topic, databases) -> {
                System.out.println(topic);
                databases.forEach((database, tables) -> {
                    System.out.println("  " + database);
                    tables.forEach(table -> System.out.println("    " + table));
                });
            });
            for (SyncObjects.Rule exclusion : objects.exclusions()) {
                System.out.println("excluded: " + exclusion.name());
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the selection to a CSV file.")
    static class Export implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ConfigOption options = new ConfigOption();

        @Parameters(paramLabel = "FILE.csv", description = "Where to write the CSV.")
        Path csv;

        @Override
        public Integer call() throws Exception {
            Path file = options.objectsFile();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("Objects file " + file + " does not exist: create it or import a CSV first.");
            }
            Files.writeString(csv, ObjectsCsv.export(SyncObjects.read(file)), StandardCharsets.UTF_8);
            System.out.println("Wrote the selection of " + file + " to " + csv + ".");
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Replace the selection with a CSV file's (columns: " + "database, table, target_database, target_table, topic, "
                    + "row_filter, sharding_columns, columns, exclude); every line is checked first.")
    static class Import implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ConfigOption options = new ConfigOption();

        @Parameters(paramLabel = "FILE.csv", description = "The CSV to import.")
        Path csv;

        @Override
        public Integer call() throws Exception {
            Path file = options.objectsFile();
            if (!Files.isRegularFile(csv)) {
                throw new IllegalArgumentException("CSV file " + csv + " does not exist: give the file to import.");
            }
            ObjectsCsv.Import result = ObjectsCsv.read(csv);
            if (!result.problems().isEmpty()) {
                System.err.println("obsync: " + csv + " has " + result.problems().size() + " bad line(s); the selection in " + file
                        + " is unchanged:");
                result.problems().forEach(problem -> System.err.println("  " + problem));
                return 2;
            }
            int rules = result.selection().include().size();
            System.out.println("Replacing the selection in " + file + " with the " + rules + " table rule(s)"
                    + (result.selection().exclude() == null ? "" : " and " + result.selection().exclude().size() + " exclusion(s)")
                    + " of " + csv + ".");
            ObjectsCsv.writeYaml(result.selection(), file);
            return 0;
        }
    }
}
