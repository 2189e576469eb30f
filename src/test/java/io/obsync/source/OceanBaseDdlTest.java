package io.obsync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.debezium.connector.mysql.antlr.MySqlAntlrDdlParser;
import io.debezium.relational.Column;
import io.debezium.relational.Table;
import io.debezium.relational.TableId;
import io.debezium.relational.Tables;
import org.junit.jupiter.api.Test;

/**
 * DDL written the OceanBase way (its table options, partition forms, tablegroups, LOCAL and GLOBAL
 * indexes, as the Binlog Service writes them when it does not convert them) against the MySQL parser
 * obsync runs (Debezium's): each statement is either read, with the table's structure right after it,
 * or not read and then skipped when it changes no column, or a stop (see {@link UnreadableDdl}).
 */
class OceanBaseDdlTest {

    /** A statement, whether Debezium's parser reads it, and whether it can change columns. */
    private record Case(String ddl, boolean read, boolean changesNoColumn) {
    }

    // statements on db.t1 (id BIGINT PK, c1 VARCHAR(64)), db.t2 (id INT PK) and db.t3 (id INT, d DATE, PK (id, d))
    private static final List<Case> CORPUS = List.of(
            // table options: only MySQL's are read
            new Case("CREATE TABLE t4 (id BIGINT NOT NULL AUTO_INCREMENT, c1 VARCHAR(64), PRIMARY KEY (id)) DEFAULT CHARSET = utf8mb4 "
                    + "ROW_FORMAT = DYNAMIC COMPRESSION = 'zstd_1.3.8' REPLICA_NUM = 1 BLOCK_SIZE = 16384 USE_BLOOM_FILTER = FALSE "
                    + "TABLET_SIZE = 134217728 PCTFREE = 0", false, false),
            new Case("CREATE TABLE t4 (id BIGINT NOT NULL, PRIMARY KEY (id)) COMPRESSION = 'zstd_1.3.8'", true, false),
            new Case("CREATE TABLE t4 (id BIGINT NOT NULL, PRIMARY KEY (id)) TABLEGROUP = 'tg1'", false, false),
            new Case("CREATE TABLE t4 (id INT PRIMARY KEY) PRIMARY_ZONE = 'z1' LOCALITY = 'F@z1' DUPLICATE_SCOPE = 'NONE'", false, false),
            new Case("CREATE TABLE t4 (id INT PRIMARY KEY) AUTO_INCREMENT_MODE = 'ORDER' PROGRESSIVE_MERGE_NUM = 0", false, false),
            // partition forms: read
            new Case("CREATE TABLE t4 (id INT PRIMARY KEY, c1 INT) PARTITION BY HASH(id) PARTITIONS 8", true, false),
            new Case("CREATE TABLE t4 (id INT, d DATE, PRIMARY KEY (id, d)) PARTITION BY RANGE COLUMNS(d) "
                    + "(PARTITION p0 VALUES LESS THAN ('2024-01-01'), PARTITION p1 VALUES LESS THAN (MAXVALUE))", true, false),
            new Case("CREATE TABLE t4 (id INT, r INT, PRIMARY KEY (id, r)) PARTITION BY RANGE(r) SUBPARTITION BY HASH(id) SUBPARTITIONS 2 "
                    + "(PARTITION p0 VALUES LESS THAN (100), PARTITION p1 VALUES LESS THAN MAXVALUE)", true, false),
            new Case("CREATE TABLE t4 (id INT, r INT, PRIMARY KEY (id, r)) PARTITION BY LIST(r) "
                    + "(PARTITION p0 VALUES IN (1, 2), PARTITION p1 VALUES IN (DEFAULT))", true, false),
            new Case("ALTER TABLE t3 ADD PARTITION (PARTITION p2 VALUES LESS THAN ('2025-01-01'))", true, true),
            new Case("ALTER TABLE t3 DROP PARTITION p0", true, true),
            new Case("ALTER TABLE t3 TRUNCATE PARTITION p1", true, true),
            // LOCAL and GLOBAL indexes, index options: not read, change no column
            new Case("CREATE TABLE t4 (id INT PRIMARY KEY, c1 INT, c2 INT, KEY idx (c1) LOCAL, UNIQUE KEY uk (c2) GLOBAL)", false, false),
            new Case("CREATE INDEX idx_c1 ON t1 (c1) LOCAL", false, true),
            new Case("CREATE UNIQUE INDEX idx_c2 ON t1 (c1) GLOBAL PARTITION BY HASH(c1) PARTITIONS 4", false, true),
            new Case("ALTER TABLE t1 ADD INDEX idx4 (c1) BLOCK_SIZE 16384 LOCAL", false, true),
            new Case("CREATE INDEX idx_c3 ON t1 (c1)", true, true),
            new Case("DROP INDEX idx_c3 ON t1", true, true),
            // tablegroups and table options of an existing table: not read, change no column
            new Case("CREATE TABLEGROUP tg1", false, true),
            new Case("DROP TABLEGROUP tg1", false, true),
            new Case("ALTER TABLE t1 TABLEGROUP = 'tg2'", false, true),
            new Case("ALTER TABLE t1 SET REPLICA_NUM = 2", true, true),
            new Case("ALTER TABLE t1 REPLICA_NUM = 2, BLOCK_SIZE = 32768", false, true),
            // column changes in MySQL syntax: read
            new Case("ALTER TABLE t1 ADD COLUMN c2 INT DEFAULT 0 COMMENT 'x'", true, false),
            new Case("ALTER TABLE t1 MODIFY COLUMN c1 VARCHAR(128)", true, false),
            new Case("ALTER TABLE t1 ADD COLUMN c2 INT, ADD INDEX idx5 (c2) LOCAL", false, false),
            new Case("ALTER TABLE t1 RENAME TO t1_new", true, false),
            new Case("CREATE TABLE t4 (id INT PRIMARY KEY, g INT GENERATED ALWAYS AS (id * 2) VIRTUAL)", true, false),
            new Case("CREATE TABLE t4 LIKE t1", true, false));

    @Test
    void eachStatementIsReadOrClassified() {
        for (Case c : CORPUS) {
            assertThat(UnreadableDdl.parseError(c.ddl()) == null).as("read: %s", c.ddl()).isEqualTo(c.read());
            assertThat(UnreadableDdl.changesNoColumn(c.ddl())).as("changes no column: %s", c.ddl()).isEqualTo(c.changesNoColumn());
        }
    }

    @Test
    void aStatementThatIsReadLeavesTheRightStructure() {
        Tables tables = tables();
        parse(tables, "CREATE TABLE t4 (id INT, d DATE, v VARCHAR(10), PRIMARY KEY (id, d)) PARTITION BY RANGE COLUMNS(d) "
                + "(PARTITION p0 VALUES LESS THAN ('2024-01-01'), PARTITION p1 VALUES LESS THAN (MAXVALUE))");
        Table t4 = tables.forTable(new TableId("db", null, "t4"));
        assertThat(t4.columns()).extracting(Column::name).containsExactly("id", "d", "v");
        assertThat(t4.primaryKeyColumnNames()).containsExactly("id", "d");

        parse(tables, "ALTER TABLE t1 ADD COLUMN c2 INT DEFAULT 0 COMMENT 'x'");
        parse(tables, "ALTER TABLE t1 MODIFY COLUMN c1 VARCHAR(128)");
        parse(tables, "ALTER TABLE t1 SET REPLICA_NUM = 2");
        Table t1 = tables.forTable(new TableId("db", null, "t1"));
        assertThat(t1.columns()).extracting(Column::name).containsExactly("id", "c1", "c2");
        assertThat(t1.columnWithName("c1").length()).isEqualTo(128);
        assertThat(t1.primaryKeyColumnNames()).containsExactly("id");

        parse(tables, "ALTER TABLE t3 ADD PARTITION (PARTITION p2 VALUES LESS THAN ('2025-01-01'))");
        assertThat(tables.forTable(new TableId("db", null, "t3")).columns()).extracting(Column::name).containsExactly("id", "d");
    }

    private static Tables tables() {
        Tables tables = new Tables();
        parse(tables, "CREATE TABLE t1 (id BIGINT NOT NULL, c1 VARCHAR(64), PRIMARY KEY (id))");
        parse(tables, "CREATE TABLE t2 (id INT PRIMARY KEY)");
        parse(tables, "CREATE TABLE t3 (id INT, d DATE, PRIMARY KEY (id, d))");
        return tables;
    }

    private static void parse(Tables tables, String ddl) {
        MySqlAntlrDdlParser parser = new MySqlAntlrDdlParser();
        parser.setCurrentSchema("db");
        parser.parse(ddl, tables);
    }
}
