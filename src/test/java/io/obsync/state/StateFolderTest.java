package io.obsync.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged state files: never read as "no state"; what a crash leaves is repaired, the rest stops the task in one line. */
class StateFolderTest {

    @TempDir
    Path dir;

    private SavedPosition saved() {
        return new SavedPosition("task", "task", dir.resolve("offsets.dat").toString());
    }

    private Path history() {
        return dir.resolve("schema-history.dat");
    }

    private void saveTwoGenerations() throws Exception {
        saved().write(Map.of("file", "mariadb-bin.000001", "pos", 100L));
        saved().write(Map.of("file", "mariadb-bin.000001", "pos", 200L));
        Files.writeString(history(), "{\"source\":{\"server\":\"task\"},\"position\":{\"pos\":1},\"ddl\":\"CREATE TABLE t (id INT)\"}\n");
    }

    @Test
    void aFirstStartHasNoState() {
        assertThat(StateFolder.check(saved(), history())).isNull();
    }

    @Test
    void savingKeepsThePreviousGenerationBesideTheCurrentOne() throws Exception {
        saveTwoGenerations();
        assertThat(StateFolder.check(saved(), history())).containsEntry("pos", 200L);
        assertThat(AtomicFileOffsetBackingStore.read(dir.resolve("offsets.dat.prev"))).hasSize(1);
        assertThat(dir.resolve("offsets.dat.tmp")).doesNotExist();
    }

    @Test
    void anEmptyTruncatedOrRandomOffsetsFileResumesFromThePreviousGeneration() throws Exception {
        byte[] good = null;
        for (String damage : new String[] {"empty", "truncated", "random", "half-written"}) {
            saveTwoGenerations();
            Path file = dir.resolve("offsets.dat");
            good = good == null ? Files.readAllBytes(file) : good;
            switch (damage) {
                case "empty" -> Files.write(file, new byte[0]);
                case "truncated" -> Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));
                case "random" -> {
                    byte[] noise = new byte[good.length];
                    new Random(7).nextBytes(noise);
                    Files.write(file, noise);
                }
                default -> {
                    // a valid container whose value was cut: the bytes are there, the JSON is not
                    String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    int end = text.lastIndexOf('}');
                    assertThat(end).as("the saved offset's JSON").isPositive();
                    Files.write(file, (text.substring(0, end) + " " + text.substring(end + 1)).getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            assertThat(StateFolder.check(saved(), history())).as(damage).containsEntry("pos", 100L);
            assertThat(dir.resolve("offsets.dat.damaged")).as(damage).exists();
        }
    }

    @Test
    void aCrashBetweenTheTwoRenamesOfASaveLeavesThePreviousGeneration() throws Exception {
        saveTwoGenerations();
        Files.delete(dir.resolve("offsets.dat"));
        assertThat(StateFolder.check(saved(), history())).containsEntry("pos", 100L);
        assertThat(dir.resolve("offsets.dat")).exists();
    }

    @Test
    void aDamagedOffsetsFileWithoutAReadablePreviousGenerationStopsTheTask() throws Exception {
        saveTwoGenerations();
        Files.write(dir.resolve("offsets.dat"), new byte[0]);
        Files.write(dir.resolve("offsets.dat.prev"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> StateFolder.check(saved(), history()))
                .isInstanceOf(StateException.class)
                .hasMessageContaining("saved position " + dir.resolve("offsets.dat"))
                .hasMessageContaining("empty or cut short")
                .hasMessageContaining("obsync run --from earliest|latest|<binlog file>:<position>|<time>")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        // still damaged on the next start: never read as "no position"
        assertThatThrownBy(() -> StateFolder.check(saved(), history())).isInstanceOf(StateException.class);
    }

    @Test
    void aHistoryRecordCutShortByACrashIsRemoved() throws Exception {
        saveTwoGenerations();
        String complete = Files.readString(history());
        Files.writeString(history(), complete + "{\"source\":{\"server\":\"ta");
        assertThat(StateFolder.check(saved(), history())).containsEntry("pos", 200L);
        assertThat(Files.readString(history())).isEqualTo(complete);
    }

    @Test
    void aDamagedOrMissingHistoryStopsTheTask() throws Exception {
        saveTwoGenerations();
        Files.writeString(history(), "garbage that is no record\n" + Files.readString(history()));
        assertThatThrownBy(() -> StateFolder.check(saved(), history()))
                .isInstanceOf(StateException.class).hasMessageContaining("schema history").hasMessageContaining("line 1");
        Files.delete(history());
        assertThatThrownBy(() -> StateFolder.check(saved(), history()))
                .isInstanceOf(StateException.class).hasMessageContaining("is missing while a saved position exists");
    }

    @Test
    void aFirstReadThatStoppedBeforeRecordingTheStructureNeedsNoHistory() throws Exception {
        saved().write(Map.of("file", "mariadb-bin.000001", "pos", 100L, "snapshot", true));
        assertThat(StateFolder.check(saved(), history())).containsEntry("snapshot", true);
    }

    @Test
    void settingTheStateAsideMakesTheNextStartAFirstStart() throws Exception {
        saveTwoGenerations();
        Path aside = StateFolder.setAside(dir);
        assertThat(aside.resolve("offsets.dat")).exists();
        assertThat(aside.resolve("offsets.dat.prev")).exists();
        assertThat(aside.resolve("schema-history.dat")).exists();
        assertThat(StateFolder.check(saved(), history())).isNull();
        assertThat(StateFolder.setAside(dir)).isNull();
    }

    @Test
    void aDataFolderThatCannotBeWrittenIsRefusedInOneLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StateFolder.requireWritableFolder(file.resolve("task")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The task's data folder " + file.resolve("task") + " cannot be written (")
                .hasMessageEndingWith("): set obsync.data-dir to a folder the task's user may write.")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("\n"));
        StateFolder.requireWritableFolder(dir.resolve("new/task"));
        org.assertj.core.api.Assertions.assertThat(dir.resolve("new/task")).isDirectory().isEmptyDirectory();
    }
}
