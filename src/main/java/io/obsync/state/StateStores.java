package io.obsync.state;

import java.nio.file.Path;
import java.util.Locale;

import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import io.obsync.sink.kafka.KafkaSecurity;

/** Chooses a task's state store from {@code obsync.state.store}; the one place that knows the stores. */
public final class StateStores {

    /** The stores a task can keep its state in. */
    public enum Kind {
        FILE, KAFKA;

        /** @throws IllegalArgumentException one line naming the option, the value and the choices */
        public static Kind parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(Options.STATE_STORE.key() + " is '" + text + "': use file (this machine's "
                        + Options.DATA_DIR.key() + ") or kafka (topics named after the task).");
            }
        }
    }

    private StateStores() {
    }

    /** The store of the task the configuration names, as configured. */
    public static StateStore of(TaskConfig config) {
        return of(config, config.text(Options.TASK_NAME), null);
    }

    /**
     * The store of a task.
     *
     * @param task the task's name (the source endpoint's name)
     * @param kind the store to use, or null for {@code obsync.state.store}
     * @throws IllegalArgumentException one line when the configuration cannot name a store
     */
    public static StateStore of(TaskConfig config, String task, Kind kind) {
        Kind chosen = kind != null ? kind : Kind.parse(config.text(Options.STATE_STORE));
        Path folder = Path.of(config.text(Options.DATA_DIR), task);
        if (chosen == Kind.FILE) {
            return new FileStateStore(task, folder);
        }
        if (!task.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new IllegalArgumentException(Options.TASK_NAME.key() + " is '" + task + "', which cannot name Kafka topics: with "
                    + Options.STATE_STORE.key() + "=kafka use only letters, digits, '.', '_' and '-'.");
        }
        String brokers = config.text(Options.STATE_KAFKA_BROKERS);
        String brokersOption = Options.STATE_KAFKA_BROKERS.key();
        if (brokers.isEmpty()) {
            brokers = config.text(Options.KAFKA_BROKERS);
            brokersOption = Options.STATE_KAFKA_BROKERS.key() + " (empty: " + Options.KAFKA_BROKERS.key() + ")";
        }
        int replicas = config.integer(Options.STATE_KAFKA_REPLICATION_FACTOR);
        if (replicas == 0) {
            throw new IllegalArgumentException(Options.STATE_KAFKA_REPLICATION_FACTOR.key() + " is 0: use 1 or more replicas, or -1 for "
                    + "the brokers' default.replication.factor.");
        }
        return new KafkaStateStore(task, brokers, (short) replicas, KafkaSecurity.of(config).clientProperties(), folder, brokersOption,
                Options.STATE_KAFKA_REPLICATION_FACTOR.key());
    }
}
