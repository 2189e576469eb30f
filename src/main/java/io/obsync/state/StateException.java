package io.obsync.state;

/**
 * A task's saved state cannot be used: it exists but cannot be read, or its store cannot be reached.
 * The task stops with this one line instead of starting without its position.
 */
public class StateException extends IllegalStateException {

    /** How a user chooses where reading starts when the saved position is lost. */
    public static final String CHOICES = "obsync run --from earliest|latest|<binlog file>:<position>|<time>";

    StateException(String message) {
        super(message);
    }

    /**
     * State that exists but cannot be read.
     *
     * @param what    "saved position" or "schema history"
     * @param where   the file or topic
     * @param problem what is wrong, completing "The task's saved position X ..."
     */
    static StateException damaged(String what, String where, String problem) {
        return new StateException("The task's " + what + " " + where + " " + problem + ": obsync does not guess where to read on; choose "
                + "where reading starts with `" + CHOICES + "` (the damaged state is kept aside), import an export with `obsync state "
                + "import`, or restore it from a backup.");
    }
}
