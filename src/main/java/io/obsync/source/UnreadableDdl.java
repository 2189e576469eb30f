package io.obsync.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.debezium.connector.mysql.antlr.MySqlAntlrDdlParser;
import io.debezium.relational.Tables;
import io.debezium.text.MultipleParsingExceptions;
import io.debezium.text.ParsingException;
import io.obsync.event.ChangeEvent;
import io.obsync.event.Operation;

/**
 * DDL statements Debezium's MySQL parser cannot read, such as OceanBase's own clauses (LOCAL and
 * GLOBAL indexes, tablegroups, REPLICA_NUM, BLOCK_SIZE ...) when the Binlog Service writes them
 * unconverted, and what the task does with each.
 *
 * <p>obsync lets Debezium skip every such statement and decides here instead, per statement: one
 * that cannot change a table's columns (an index, a tablegroup, table options, partitions) is
 * skipped with a warning naming it, since the structure the task knows stays right; one that may
 * change columns (CREATE TABLE, ALTER TABLE with column clauses, RENAME) stops the task with the
 * statement, unless {@code obsync.source.skip-unparseable-ddl} says to skip it too.
 */
final class UnreadableDdl {

    private static final Pattern INDEX_STATEMENT = Pattern.compile("^(CREATE (UNIQUE |FULLTEXT |SPATIAL |OR REPLACE )*INDEX|DROP INDEX)\\b.*");
    private static final Pattern TABLEGROUP_STATEMENT = Pattern.compile("^(CREATE|DROP|ALTER) TABLEGROUP\\b.*");
    private static final Pattern ALTER_TABLE = Pattern.compile("^ALTER (ONLINE |IGNORE )*TABLE (`[^`]+`|[^\\s`]+)(\\.(`[^`]+`|[^\\s`]+))? ");
    // ALTER TABLE clauses that leave every column as it is
    private static final Pattern SAFE_CLAUSE = Pattern.compile("^("
            + "ADD (CONSTRAINT \\S+ )?(UNIQUE |FULLTEXT |SPATIAL )?(INDEX|KEY)\\b"
            + "|ADD (CONSTRAINT \\S+ )?UNIQUE\\b"
            + "|DROP (INDEX|KEY)\\b"
            + "|RENAME (INDEX|KEY)\\b"
            + "|ALTER INDEX\\b"
            + "|(ADD|DROP|TRUNCATE|REORGANIZE|COALESCE|EXCHANGE|ANALYZE|CHECK|OPTIMIZE|REBUILD|REPAIR|DISCARD|IMPORT) PARTITION\\b"
            + "|REMOVE PARTITIONING\\b|PARTITION BY\\b"
            + "|(SET )?(TABLEGROUP|REPLICA_NUM|BLOCK_SIZE|COMPRESSION|PCTFREE|USE_BLOOM_FILTER|TABLET_SIZE|PROGRESSIVE_MERGE_NUM"
            + "|STORAGE_FORMAT_VERSION|PRIMARY_ZONE|LOCALITY|DUPLICATE_SCOPE|AUTO_INCREMENT_MODE|ENABLE_MACRO_BLOCK_BLOOM_FILTER|ROW_FORMAT"
            + "|COMMENT|AUTO_INCREMENT|ENGINE|KEY_BLOCK_SIZE|STATS_PERSISTENT|STATS_AUTO_RECALC|STATS_SAMPLE_PAGES|MAX_USED_PART_ID"
            + "|DEFAULT CHARSET|DEFAULT CHARACTER SET|DEFAULT COLLATE|READ ONLY|READ WRITE)\\b)");

    /** What the task does with a statement. */
    enum Decision {
        /** Debezium read it: nothing to decide. */
        READ,
        /** Unreadable, but it changes no column: skipped with a warning. */
        SKIP_HARMLESS,
        /** Unreadable and it may change columns; skipping was asked for: skipped with a warning. */
        SKIP_ASKED,
        /** Unreadable and it may change columns: the task stops at it. */
        STOP
    }

    private final boolean skipAll;

    /** @param skipAll obsync.source.skip-unparseable-ddl: skip statements that may change columns too */
    UnreadableDdl(boolean skipAll) {
        this.skipAll = skipAll;
    }

    /** What to do with a change event; anything but an unreadable DDL statement is READ. */
    Decision decide(ChangeEvent event) {
        if (event == null || event.operation() != Operation.DDL || event.schema() != null || event.ddl() == null || readable(event.ddl())) {
            return Decision.READ;
        }
        if (changesNoColumn(event.ddl())) {
            return Decision.SKIP_HARMLESS;
        }
        return skipAll ? Decision.SKIP_ASKED : Decision.STOP;
    }

    /** The parser's own error for a statement (the task stops with it), or null when it reads the statement. */
    static ParsingException parseError(String ddl) {
        try {
            new MySqlAntlrDdlParser().parse(ddl, new Tables());
            return null;
        } catch (ParsingException e) {
            return e;
        } catch (MultipleParsingExceptions e) {
            return e.getErrors().isEmpty() ? new ParsingException(null, e.getMessage()) : e.getErrors().iterator().next();
        }
    }

    private static boolean readable(String ddl) {
        return parseError(ddl) == null;
    }

    /** Whether a statement leaves the columns of every table as they are (judged by its text; when unsure, it does not). */
    static boolean changesNoColumn(String ddl) {
        String sql = normalized(ddl);
        if (INDEX_STATEMENT.matcher(sql).matches() || TABLEGROUP_STATEMENT.matcher(sql).matches()) {
            return true;
        }
        var alter = ALTER_TABLE.matcher(sql);
        if (!alter.lookingAt()) {
            return false;
        }
        for (String clause : clauses(sql.substring(alter.end()))) {
            if (!SAFE_CLAUSE.matcher(clause).lookingAt()) {
                return false;
            }
        }
        return true;
    }

    // leading comments dropped, whitespace folded, upper case, no trailing semicolon
    private static String normalized(String ddl) {
        String sql = ddl.replaceAll("(?s)^(\\s*(/\\*.*?\\*/|--[^\\n]*\\n|#[^\\n]*\\n))*", "");
        sql = sql.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        return sql.endsWith(";") ? sql.substring(0, sql.length() - 1).trim() : sql;
    }

    /** The clauses of an ALTER TABLE, split at commas outside parentheses and quotes. */
    private static List<String> clauses(String text) {
        List<String> clauses = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                clauses.add(text.substring(start, i).trim());
                start = i + 1;
            }
        }
        clauses.add(text.substring(start).trim());
        return clauses;
    }
}
