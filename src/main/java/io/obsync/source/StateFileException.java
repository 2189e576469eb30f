package io.obsync.source;

import java.nio.file.Path;

/** A task's state file exists but cannot be read: the task stops instead of starting without its position. */
public class StateFileException extends IllegalStateException {

    /** How a user chooses where reading starts when the saved position is lost. */
    public static final String CHOICES = "obsync run --from earliest|latest|<binlog file>:<position>|<time>";

    StateFileException(Path file, String problem) {
        super("The task's " + describe(file) + " " + file + " " + problem + ": obsync does not guess where to read on; choose where "
                + "reading starts with `" + CHOICES + "` (the damaged files are kept, moved to a folder beside them), or restore the file from a backup.");
    }

    private static String describe(Path file) {
        return file.getFileName().toString().startsWith("schema-history") ? "schema history" : "saved position";
    }
}
