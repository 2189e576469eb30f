package io.obsync.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.debezium.document.DocumentReader;
import io.obsync.config.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's state folder ({@code <obsync.data-dir>/<task>/}), the one place its layout is spelled: the
 * saved position ({@value #OFFSETS}), the schema history ({@value #HISTORY}), their previous generations
 * and damaged copies beside them ({@link StateFile}), and {@code set-aside-<time>/} folders.
 *
 * <p>It checks the folder before a source starts: the saved position and the schema
 * history must both be readable, or both absent (a first start). What a crash can leave is repaired
 * and said in one line (a half-written last history line, an offsets file replaced by its previous
 * generation); anything else stops the task with a {@link StateException} naming the file and the
 * ways on. Never is damaged state read as "no state".
 */
public final class StateFolder {

    private static final Logger LOG = LoggerFactory.getLogger(StateFolder.class);

    /** The saved position's file. */
    public static final String OFFSETS = "offsets.dat";
    /** The schema history's file. */
    public static final String HISTORY = "schema-history.dat";
    private static final String SET_ASIDE = "set-aside-";

    private StateFolder() {
    }

    /** The state folder of a task. */
    public static Path of(String dataDir, String task) {
        return Path.of(dataDir, task);
    }

    /**
     * @param saved   the task's saved position (read strictly: a damaged file throws)
     * @param history the schema history file ({@code schema.history.internal.file.filename}), or null when not file-based
     * @return the saved offset, or null on a first start
     */
    public static Map<String, Object> check(SavedPosition saved, Path history) {
        Map<String, Object> offset = saved.read();
        if (history == null) {
            return offset;
        }
        int records = checkHistory(history);
        // a first read that stopped before the structure was recorded reads it again: no history is needed yet
        if (offset != null && records == 0 && !SavedPosition.snapshotInProgress(offset)) {
            throw StateFile.unreadable(history, Files.exists(history) ? "is empty while a saved position exists"
                    : "is missing while a saved position exists");
        }
        return offset;
    }

    /**
     * Moves a task's saved position and schema history (with their previous generations and damaged
     * copies) into a new folder beside them, so that the next start is a first start; nothing is deleted.
     *
     * @return the folder they were moved to, or null when there was nothing to move
     */
    public static Path setAside(Path taskFolder) throws IOException {
        if (!Files.isDirectory(taskFolder)) {
            return null;
        }
        List<Path> state;
        try (var files = Files.list(taskFolder)) {
            state = files.filter(f -> Files.isRegularFile(f) && (f.getFileName().toString().startsWith(OFFSETS)
                    || f.getFileName().toString().startsWith(HISTORY))).toList();
        }
        if (state.isEmpty()) {
            return null;
        }
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path aside = taskFolder.resolve(SET_ASIDE + stamp);
        Files.createDirectories(aside);
        for (Path file : state) {
            Files.move(file, aside.resolve(file.getFileName()));
        }
        StateFile.syncDirectory(aside);
        StateFile.syncDirectory(taskFolder);
        return aside;
    }

    /** Validates the history line by line, cuts a half-written last line off, and returns the number of records. */
    static int checkHistory(Path history) {
        if (!Files.exists(history)) {
            return 0;
        }
        byte[] content;
        try {
            content = Files.readAllBytes(history);
        } catch (IOException e) {
            throw StateFile.unreadable(history, "cannot be read (" + e.getMessage() + ")");
        }
        String text = new String(content, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        // the text after the last newline is a record being appended when the task died, or nothing
        int complete = lines.length - 1;
        DocumentReader reader = DocumentReader.defaultReader();
        int records = 0;
        for (int i = 0; i < complete; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                reader.read(lines[i]);
                records++;
            } catch (IOException | RuntimeException e) {
                throw StateFile.unreadable(history, "cannot be read: line " + (i + 1) + " is not a history record");
            }
        }
        String tail = lines[complete];
        if (!tail.isEmpty()) {
            // appended records are synced one by one and the position is saved after them, so a record
            // cut short was never covered by a saved position: Debezium records it again when it reads on
            LOG.warn("The schema history {} ends with a record cut short by a crash ({} bytes); it is removed and recorded again "
                    + "when the source reads on", history, tail.getBytes(StandardCharsets.UTF_8).length);
            try {
                int keep = content.length - tail.getBytes(StandardCharsets.UTF_8).length;
                StateFile.write(history, Arrays.copyOf(content, keep));
            } catch (IOException e) {
                throw StateFile.unreadable(history, "could not be repaired (" + e.getMessage() + ")");
            }
        }
        return records;
    }

    /**
     * Creates the task's state folder when missing and proves it can be written, before anything starts.
     *
     * @throws IllegalArgumentException one line naming the folder, the reason and the option to change
     */
    public static void requireWritableFolder(Path folder) {
        try {
            Files.createDirectories(folder);
            Path probe = Files.createTempFile(folder, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                    : e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof AccessDeniedException ? "permission denied" : e.getClass().getSimpleName();
            throw new IllegalArgumentException("The task's data folder " + folder + " cannot be written (" + reason + "): set "
                    + Options.DATA_DIR.key() + " to a folder the task's user may write.", e);
        }
    }
}
