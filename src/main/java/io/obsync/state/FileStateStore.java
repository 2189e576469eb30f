package io.obsync.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A task's state in its folder on this machine ({@code <obsync.data-dir>/<task>/}): the saved position
 * in {@code offsets.dat} (written aside, synced and renamed, the previous generation kept) and the
 * schema history in {@code schema-history.dat} (one record a line, each synced before its change is
 * sent). The default store; one machine's disk.
 */
public final class FileStateStore implements StateStore {


    private final String task;
    private final Path folder;

    /** @param folder the task's state folder ({@code <data-dir>/<task>}) */
    public FileStateStore(String task, Path folder) {
        this.task = task;
        this.folder = folder;
    }

    private SavedPosition saved() {
        return new SavedPosition(task, task, folder.resolve(StateFolder.OFFSETS).toString());
    }

    private Path historyFile() {
        return folder.resolve(StateFolder.HISTORY);
    }

    @Override
    public String task() {
        return task;
    }

    @Override
    public String describe() {
        return "the folder " + folder;
    }

    @Override
    public void prepare() {
        StateFolder.requireWritableFolder(folder);
    }

    @Override
    public String inspect() {
        prepare();
        return "the folder can be written";
    }

    @Override
    public boolean shared() {
        // only when the folder lies on storage the other instances mount; nothing here can tell
        return false;
    }

    @Override
    public Map<String, Object> check() {
        return StateFolder.check(saved(), historyFile());
    }

    @Override
    public Map<String, Object> position() {
        return Files.isRegularFile(folder.resolve(StateFolder.OFFSETS)) || Files.isRegularFile(StateFile.previous(folder.resolve(StateFolder.OFFSETS)))
                ? saved().read() : null;
    }

    @Override
    public void savePosition(Map<String, ?> offset) {
        prepare();
        try {
            saved().write(offset);
        } catch (Exception e) {
            throw new IllegalStateException("The task's saved position " + folder.resolve(StateFolder.OFFSETS) + " could not be written: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<String> history() {
        Path file = historyFile();
        StateFolder.checkHistory(file);
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<String> records = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    records.add(line);
                }
            }
            return records;
        } catch (IOException e) {
            throw StateFile.unreadable(file, "cannot be read (" + e.getMessage() + ")");
        }
    }

    @Override
    public void appendHistory(List<String> records) {
        prepare();
        for (String record : records) {
            DurableFileSchemaHistory.append(historyFile(), record);
        }
    }

    @Override
    public String setAside() {
        try {
            Path aside = StateFolder.setAside(folder);
            return aside == null ? null : aside.toString();
        } catch (IOException e) {
            throw new IllegalStateException("The task's state in " + folder + " could not be moved aside: " + e.getMessage(), e);
        }
    }

    @Override
    public void configure(Properties debezium) {
        debezium.setProperty("offset.storage", AtomicFileOffsetBackingStore.class.getName());
        debezium.setProperty("offset.storage.file.filename", folder.resolve(StateFolder.OFFSETS).toString());
        debezium.setProperty("schema.history.internal", DurableFileSchemaHistory.class.getName());
        debezium.setProperty("schema.history.internal.file.filename", historyFile().toString());
    }
}
