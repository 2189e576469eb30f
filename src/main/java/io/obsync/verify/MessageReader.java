package io.obsync.verify;

import java.time.Duration;
import java.util.List;


/** Reads topics from their beginning, as an existing consumer of the target would. */
public interface MessageReader extends AutoCloseable {

    /** Messages that arrived since the last call, waiting up to the timeout for some. */
    List<Delivered> poll(Duration timeout) throws Exception;

    /**
     * Whether every partition (queue) of the topics has been read up to the end offset it had when the
     * reader was opened: everything stored before then has been delivered by {@link #poll}.
     */
    boolean atEnd() throws Exception;

    @Override
    void close();
}
