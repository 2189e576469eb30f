package io.obsync.manage;

import java.util.List;

import io.obsync.config.Options;

/** Reads chosen tables of a running task again (the source's chunked reads); found in the registry by the task's MBean. */
@FunctionalInterface
public interface Resync {

    /** Why a resync is refused when the task reads no tables in chunks. */
    String NO_SIGNAL_TABLE = "Resync reads tables in chunks through a signal table: set " + Options.SOURCE_SIGNAL_TABLE.key()
            + " (e.g. obsync.signals) and restart the task first.";
    /** Most tables one request may name. */
    int MAX_TABLES = 1000;

    /**
     * @param tables {@code database.table} names, each a table the task syncs
     * @return the request's id
     * @throws IllegalArgumentException one line naming a table the task does not sync
     */
    String resync(List<String> tables) throws Exception;
}
