package io.obsync.filter;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/**
 * The selection as CSV, for people who keep it in a spreadsheet: one line per include rule or
 * exclusion. Import checks every line before anything changes and reports all bad lines at once.
 */
public final class ObjectsCsv {

    /** The columns, in order; list cells separate names with ';'. */
    public static final List<String> COLUMNS = List.of("database", "table", "target_database", "target_table", "topic",
            "row_filter", "sharding_columns", "columns", "exclude");

    private static final CsvSchema SCHEMA = CsvSchema.builder().addColumns(COLUMNS, CsvSchema.ColumnType.STRING).build().withHeader();

    private ObjectsCsv() {
    }

    /** The result of reading a CSV: the selection it describes, or every problem found. */
    public record Import(SyncObjects.File selection, List<String> problems) {
    }

    /** The selection of an objects file as CSV text. */
    public static String export(SyncObjects.File selection) throws IOException {
        StringWriter out = new StringWriter();
        List<Map<String, String>> rows = new ArrayList<>();
        if (selection.include() != null) {
            for (SyncObjects.Entry entry : selection.include()) {
                String[] name = entry.table().split("\\.", 2);
                String[] target = entry.target() == null ? new String[] {"", ""} : entry.target().split("\\.", 2);
                rows.add(row(name[0], name.length > 1 ? name[1] : "", target[0], target.length > 1 ? target[1] : "", entry.topic(),
                        entry.filter(), join(entry.sharding()), join(entry.columns()), "false"));
            }
        }
        if (selection.exclude() != null) {
            for (String excluded : selection.exclude()) {
                String[] name = excluded.split("\\.", 2);
                rows.add(row(name[0], name.length > 1 ? name[1] : "", "", "", "", "", "", "", "true"));
            }
        }
        new CsvMapper().writer(SCHEMA).writeValue(out, rows);
        return out.toString();
    }

    private static Map<String, String> row(String... values) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            row.put(COLUMNS.get(i), values[i] == null ? "" : values[i]);
        }
        return row;
    }

    private static String join(List<String> names) {
        return names == null ? "" : String.join(";", names);
    }

    private static List<String> split(String cell) {
        if (cell == null || cell.isBlank()) {
            return null;
        }
        return Arrays.stream(cell.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Reads and checks a CSV file; nothing is applied when a problem is found. */
    public static Import read(Path csv) throws IOException {
        List<String> problems = new ArrayList<>();
        List<SyncObjects.Entry> include = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        List<String> header;
        try (var lines = Files.lines(csv, StandardCharsets.UTF_8)) {
            header = lines.findFirst().map(h -> Arrays.stream(h.split(",")).map(c -> c.trim().replace("\"", "")).toList()).orElse(List.of());
        }
        List<String> missing = COLUMNS.stream().filter(c -> !header.contains(c)).toList();
        if (!missing.isEmpty()) {
            return new Import(null, List.of("line 1: the header lacks " + missing + ": the first line names the columns " + COLUMNS + "."));
        }
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            MappingIterator<Map<String, String>> rows = new CsvMapper().readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader()).readValues(reader);
            int line = 1;
            while (true) {
                Map<String, String> row;
                try {
                    if (!rows.hasNextValue()) {
                        break;
                    }
                    row = rows.nextValue();
                    line++;
                } catch (IOException | RuntimeException e) {
                    problems.add("line " + (line + 1) + ": not CSV (" + e.getMessage().split("\n")[0] + ").");
                    break;
                }
                int number = line;
                String database = blankToNull(row.get("database"));
                String table = blankToNull(row.get("table"));
                String name = (database == null ? "" : database) + "." + (table == null ? "" : table);
                boolean excluded = "true".equalsIgnoreCase(blankToNull(row.get("exclude")));
                String where = "line " + number + " (" + name + "): ";
                try {
                    if (database == null || table == null) {
                        throw new IllegalArgumentException("database and table are required.");
                    }
                    String excludeCell = blankToNull(row.get("exclude"));
                    if (excludeCell != null && !excludeCell.equalsIgnoreCase("true") && !excludeCell.equalsIgnoreCase("false")) {
                        throw new IllegalArgumentException("exclude is '" + excludeCell + "': write true, false or leave it empty.");
                    }
                    if (excluded) {
                        SyncObjects.checkRule(new SyncObjects.Entry(name, null, null, null, null, null));
                        exclude.add(name);
                    } else {
                        String targetDatabase = blankToNull(row.get("target_database"));
                        String targetTable = blankToNull(row.get("target_table"));
                        if ((targetDatabase == null) != (targetTable == null)) {
                            throw new IllegalArgumentException("give both target_database and target_table, or neither.");
                        }
                        SyncObjects.Entry entry = new SyncObjects.Entry(name, targetDatabase == null ? null : targetDatabase + "." + targetTable,
                                blankToNull(row.get("topic")), blankToNull(row.get("row_filter")), split(row.get("sharding_columns")),
                                split(row.get("columns")));
                        SyncObjects.checkRule(entry);
                        include.add(entry);
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(where + e.getMessage());
                }
            }
        }
        if (problems.isEmpty() && include.isEmpty()) {
            problems.add("the file has no include line: add at least one table that is not excluded.");
        }
        return new Import(new SyncObjects.File(include, exclude.isEmpty() ? null : exclude), problems);
    }

    /** Writes a selection as the objects YAML file. */
    public static void writeYaml(SyncObjects.File selection, Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
                .setSerializationInclusion(JsonInclude.Include.NON_EMPTY);
        Path parent = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        yaml.writeValue(temporary.toFile(), selection);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
