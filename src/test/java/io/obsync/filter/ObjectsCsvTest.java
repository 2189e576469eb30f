package io.obsync.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectsCsvTest {

    @TempDir
    Path dir;

    @Test
    void exportThenImportGivesTheSameSelection() throws Exception {
        SyncObjects.File selection = new SyncObjects.File(List.of(
                new SyncObjects.Entry("shop.orders", "shop_copy.orders_v2", "big_orders", "amount > 100 AND note <> 'a,b'",
                        List.of("customer_id"), List.of("id", "amount", "customer_id")),
                new SyncObjects.Entry("kd_test*.person*", null, null, null, null, null)), List.of("shop.tmp_*"));
        Path csv = dir.resolve("objects.csv");
        Files.writeString(csv, ObjectsCsv.export(selection));
        assertThat(Files.readAllLines(csv).get(0))
                .isEqualTo("database,table,target_database,target_table,topic,row_filter,sharding_columns,columns,exclude");
        ObjectsCsv.Import imported = ObjectsCsv.read(csv);
        assertThat(imported.problems()).isEmpty();
        assertThat(imported.selection()).isEqualTo(selection);

        // and the YAML written from it loads as the task would load it
        Path yaml = dir.resolve("objects.yaml");
        ObjectsCsv.writeYaml(imported.selection(), yaml);
        assertThat(SyncObjects.read(yaml)).isEqualTo(selection);
        SyncObjects loaded = SyncObjects.load(yaml.toString(), "INSERT,UPDATE,DELETE");
        assertThat(loaded.ruleFor("shop", "orders").targetTable()).isEqualTo("orders_v2");
        assertThat(loaded.ruleFor("shop", "tmp_1")).isNull();
    }

    @Test
    void everyBadLineIsReportedAndNothingIsApplied() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, """
                database,table,target_database,target_table,topic,row_filter,sharding_columns,columns,exclude
                shop,orders,,,,amount > 100,,,
                shop,,,,,,,,
                shop,items,,,bad topic!,,,,
                shop,lines,,,,qty >,,,
                shop,notes,copy,,,,,,
                sh op,x,,,,,,,
                shop,parts,,,,,,,maybe
                shop,ok2,,,,,,"id;a=b",
                """);
        ObjectsCsv.Import result = ObjectsCsv.read(csv);
        assertThat(result.problems()).hasSize(7);
        assertThat(result.problems().get(0)).startsWith("line 3 (shop.): database and table are required.");
        assertThat(result.problems().get(1)).startsWith("line 4 (shop.items): ").contains("bad topic!");
        assertThat(result.problems().get(2)).startsWith("line 5 (shop.lines): The row filter of shop.lines 'qty >' is not a SQL WHERE condition");
        assertThat(result.problems().get(3)).isEqualTo("line 6 (shop.notes): give both target_database and target_table, or neither.");
        assertThat(result.problems().get(4)).startsWith("line 7 (sh op.x): Object 'sh op.x' is not database.table");
        assertThat(result.problems().get(5)).startsWith("line 8 (shop.parts): exclude is 'maybe'");
        assertThat(result.problems().get(6)).startsWith("line 9 (shop.ok2): Object shop.ok2 selects column 'a=b'");
    }

    @Test
    void aHeaderWithoutTheColumnsIsRefused() throws Exception {
        Path csv = dir.resolve("header.csv");
        Files.writeString(csv, "db,tbl\nshop,orders\n");
        assertThat(ObjectsCsv.read(csv).problems()).singleElement().asString().startsWith("line 1: the header lacks [database, table");
    }
}
