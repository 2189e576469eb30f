package io.obsync.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An export carries a task's position and schema history between stores unchanged; a file that is not one is refused in one line. */
class StateExportTest {

    private static final String CREATE = "{\"source\":{\"server\":\"t1\"},\"position\":{\"file\":\"mariadb-bin.000001\",\"pos\":4},"
            + "\"databaseName\":\"shop\",\"ddl\":\"CREATE TABLE orders (id INT PRIMARY KEY)\",\"tableChanges\":[]}";
    private static final String ALTER = "{\"source\":{\"server\":\"t1\"},\"position\":{\"file\":\"mariadb-bin.000001\",\"pos\":900},"
            + "\"databaseName\":\"shop\",\"ddl\":\"ALTER TABLE orders ADD COLUMN note VARCHAR(20)\",\"tableChanges\":[]}";

    @TempDir
    Path dir;

    @Test
    void aFileStoresStateSurvivesAnExportAndAnImportIntoAnotherFolder() {
        FileStateStore first = new FileStateStore("t1", dir.resolve("one/t1"));
        first.appendHistory(List.of(CREATE, ALTER));
        first.savePosition(Map.of("file", "mariadb-bin.000001", "pos", 1234L, "obsync_transaction", "mariadb-bin.000001:1000",
                "snapshot", false));
        String export = StateExport.write(first);

        StateExport.Content content = StateExport.read("export.json", export);
        assertThat(content.task()).isEqualTo("t1");
        FileStateStore second = new FileStateStore("t1", dir.resolve("two/t1"));
        second.appendHistory(content.history());
        second.savePosition(content.position());

        assertThat(second.check()).isEqualTo(first.check()).containsEntry("pos", 1234L).containsEntry("snapshot", false);
        assertThat(second.history()).hasSize(2).last().asString().contains("ADD COLUMN note");
        assertThat(StateExport.write(second)).isEqualTo(export);
        assertThat(StateExport.summary(second.history().get(1))).isEqualTo("mariadb-bin.000001:900 ALTER TABLE orders ADD COLUMN note VARCHAR(20)");
    }

    @Test
    void aTaskWithoutStateExportsNoPositionAndNoHistory() {
        FileStateStore empty = new FileStateStore("t1", dir.resolve("t1"));
        StateExport.Content content = StateExport.read("e.json", StateExport.write(empty));
        assertThat(content.position()).isNull();
        assertThat(content.history()).isEmpty();
        assertThat(empty.setAside()).isNull();
    }

    @Test
    void whatIsNotAnExportIsRefusedInOneLine() {
        assertThatThrownBy(() -> StateExport.read("x.json", "{\"task\": "))
                .hasMessageStartingWith("The state export x.json is not JSON (").hasMessageEndingWith("give a file written by `obsync state export`.");
        assertThatThrownBy(() -> StateExport.read("x.json", "[1, 2]"))
                .hasMessage("The state export x.json lacks task, position or history: give a file written by `obsync state export`.");
        assertThatThrownBy(() -> StateExport.read("x.json", "{\"task\":\"t1\",\"position\":7,\"history\":[]}"))
                .hasMessageContaining("has a position that is not an object");
        assertThatThrownBy(() -> StateExport.read("x.json", "{\"task\":\"t1\",\"position\":{\"pos\":{\"a\":1}},\"history\":[]}"))
                .hasMessageContaining("has a position whose pos is not a plain value");
        assertThatThrownBy(() -> StateExport.read("x.json", "{\"task\":\"t1\",\"position\":null,\"history\":[" + CREATE + ", \"DROP TABLE x\"]}"))
                .hasMessageContaining("has a history record (number 2) that is not a history document");
    }
}
