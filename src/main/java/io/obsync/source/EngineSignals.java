package io.obsync.source;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

import io.debezium.DebeziumException;
import io.debezium.engine.DebeziumEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests to read tables in chunks handed straight to the running Debezium engine (its in-process
 * signal channel) instead of being written to a signal table: with a source that has GTIDs, Debezium
 * takes the chunks' watermarks from the executed GTID set, so nothing is written to the source. A
 * request made before the engine runs waits until it does.
 */
final class EngineSignals implements SignalTable.Sender {

    private static final Logger LOG = LoggerFactory.getLogger(EngineSignals.class);

    private final Supplier<DebeziumEngine<?>> engine;
    private final Queue<DebeziumEngine.Signal> waiting = new ConcurrentLinkedQueue<>();

    EngineSignals(Supplier<DebeziumEngine<?>> engine) {
        this.engine = engine;
    }

    @Override
    public void send(String id, String type, String json) {
        waiting.add(new DebeziumEngine.Signal(id, "execute-snapshot", json, null));
        flush();
    }

    /** Hands the waiting requests to the engine once it runs; those it cannot take yet keep waiting. */
    void flush() {
        DebeziumEngine<?> running = engine.get();
        if (running == null || waiting.isEmpty()) {
            return;
        }
        DebeziumEngine.Signaler signaler;
        try {
            signaler = running.getSignaler();
        } catch (IllegalArgumentException | UnsupportedOperationException notStarted) {
            // the engine's task is not running yet
            return;
        }
        DebeziumEngine.Signal signal;
        while ((signal = waiting.peek()) != null) {
            try {
                signaler.signal(signal);
            } catch (DebeziumException closed) {
                LOG.debug("The engine's signal channel is closed; request {} waits", signal.id());
                return;
            }
            waiting.poll();
            LOG.info("Request {} handed to the engine", signal.id());
        }
    }
}
