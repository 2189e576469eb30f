package io.obsync.state;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where a task keeps what lets it resume: its saved position (Debezium's offset, with obsync's keys
 * inside) and the schema history (every DDL statement read, so that rows are read with the structure
 * they were written with). The source reads and writes its state only through this interface;
 * {@link StateStores} chooses the store from {@code obsync.state.store}.
 *
 * <p>Every store keeps the same promises: a position is written only when Debezium commits it (behind
 * acknowledged sends), state that cannot be read stops the task with one line and is never read as
 * "no state", and a history record is durable before the change it describes is sent.
 */
public interface StateStore {

    /** The task (Debezium engine) whose state this is. */
    String task();

    /** Where the state is, for messages: a folder, or topics and brokers. */
    String describe();

    /**
     * Makes the store ready for a task to start: a folder that can be written, topics that exist with
     * the settings the state needs (created at the first start).
     *
     * @throws IllegalArgumentException one line naming what to change when the store cannot be used
     */
    void prepare();

    /**
     * Reads the state strictly before the source starts, repairing what a crash can leave (and saying
     * so in one line).
     *
     * @return the saved position, or null on a first start
     * @throws StateException when the state cannot be read or is incomplete
     */
    Map<String, Object> check();

    /** The saved position, read strictly; null when none was saved. */
    Map<String, Object> position();

    /** Saves a position as if the task had read up to there (the first start's position, an import). */
    void savePosition(Map<String, ?> offset);

    /** The schema history's records (one JSON document each), oldest first, read strictly. */
    List<String> history();

    /** Appends records to the schema history, in order, each durable before the next (an import). */
    void appendHistory(List<String> records);

    /**
     * Moves the state out of the way so that the next start is a first start; nothing is lost: the files
     * (or an export of the topics) are kept beside the task's data.
     *
     * @return where the state was moved, or null when there was none
     */
    String setAside();

    /** Points Debezium's offset store and schema history at this store (engine properties). */
    void configure(Properties debezium);

    /**
     * Checks that the store can be used, changing nothing a first start would not (the precheck).
     *
     * @return what was found, in one line
     * @throws IllegalArgumentException one line naming what to change
     */
    String inspect();

    /** Whether instances on other machines see this state (a standby group needs that). */
    boolean shared();

    /** Whether a position was saved (the task's first start is over). */
    default boolean hasPosition() {
        return position() != null;
    }
}
