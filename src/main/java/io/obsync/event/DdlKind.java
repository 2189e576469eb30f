package io.obsync.event;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The kinds of DDL statement a task can synchronize, as OMS names them. */
public enum DdlKind {
    CREATE_TABLE,
    ALTER_TABLE,
    DROP_TABLE,
    TRUNCATE_TABLE,
    TRUNCATE_PARTITION,
    CREATE_INDEX,
    DROP_INDEX,
    COMMENT_ON_TABLE,
    RENAME_TABLE,
    /** A statement outside the supported list (CREATE DATABASE, views, ...). */
    OTHER;

    // Leading comments such as /* ApplicationName=... */ are skipped before the keywords are read.
    private static final Pattern LEADING_COMMENTS = Pattern.compile("^(\\s*(/\\*.*?\\*/|--[^\\n]*\\n|#[^\\n]*\\n))*\\s*", Pattern.DOTALL);
    private static final Pattern TRUNCATE_PARTITION_CLAUSE = Pattern.compile("\\bTRUNCATE\\s+PARTITION\\b");
    private static final Pattern RENAME_CLAUSE = Pattern.compile("^ALTER\\s+(ONLINE\\s+|IGNORE\\s+)*TABLE\\s+\\S+\\s+RENAME\\s+(TO\\s+|AS\\s+)?[^\\s,]+\\s*;?$");

    /** Classifies a DDL statement by its leading keywords. */
    public static DdlKind classify(String statement) {
        if (statement == null) {
            return OTHER;
        }
        Matcher comments = LEADING_COMMENTS.matcher(statement);
        String sql = (comments.lookingAt() ? statement.substring(comments.end()) : statement)
                .trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        if (sql.startsWith("CREATE TABLE") || sql.startsWith("CREATE TEMPORARY TABLE") || sql.startsWith("CREATE OR REPLACE TABLE")) {
            return CREATE_TABLE;
        }
        if (sql.startsWith("ALTER TABLE") || sql.startsWith("ALTER ONLINE TABLE") || sql.startsWith("ALTER IGNORE TABLE")) {
            if (TRUNCATE_PARTITION_CLAUSE.matcher(sql).find()) {
                return TRUNCATE_PARTITION;
            }
            return RENAME_CLAUSE.matcher(sql).matches() ? RENAME_TABLE : ALTER_TABLE;
        }
        if (sql.startsWith("DROP TABLE") || sql.startsWith("DROP TEMPORARY TABLE")) {
            return DROP_TABLE;
        }
        if (sql.startsWith("TRUNCATE")) {
            return TRUNCATE_TABLE;
        }
        if (sql.matches("^CREATE (UNIQUE |FULLTEXT |SPATIAL |OR REPLACE )*INDEX\\b.*")) {
            return CREATE_INDEX;
        }
        if (sql.startsWith("DROP INDEX")) {
            return DROP_INDEX;
        }
        if (sql.startsWith("COMMENT ON TABLE")) {
            return COMMENT_ON_TABLE;
        }
        if (sql.startsWith("RENAME TABLE")) {
            return RENAME_TABLE;
        }
        return OTHER;
    }
}
