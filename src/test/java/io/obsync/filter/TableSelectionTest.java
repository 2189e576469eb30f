package io.obsync.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableSelectionTest {

    @Test
    void aTableIsSyncedWhenItsDatabaseIsReadAndTheObjectsFileSelectsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("objects.yaml");
        Files.writeString(file, "include:\n  - table: shop.*\n  - table: crm.customers\nexclude:\n  - shop.tmp\n");
        SyncObjects objects = SyncObjects.load(file.toString(), "INSERT,UPDATE,DELETE");

        TableSelection shopOnly = new TableSelection("SHOP, other_.*", objects);
        assertThat(shopOnly.ruleFor("shop", "orders")).isNotNull();
        assertThat(shopOnly.ruleFor("shop", "tmp")).as("excluded").isNull();
        assertThat(shopOnly.ruleFor("crm", "customers")).as("crm is not read").isNull();
        assertThat(shopOnly.databaseIncluded("other_1")).isTrue();
        assertThat(shopOnly.databaseIncluded("shop2")).as("a whole-name match").isFalse();

        TableSelection everyDatabase = new TableSelection("", objects);
        assertThat(everyDatabase.ruleFor("crm", "customers")).isNotNull();
        assertThat(everyDatabase.ruleFor("crm", "leads")).isNull();
        // without an objects file every table of the databases read is synced
        assertThat(new TableSelection("crm", SyncObjects.load("", "INSERT")).ruleFor("crm", "leads")).isNotNull();
    }
}
