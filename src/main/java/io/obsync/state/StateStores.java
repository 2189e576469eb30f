package io.obsync.state;

import java.nio.file.Path;

import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import io.obsync.sink.kafka.KafkaSecurity;

/** Chooses a task's state store from {@code obsync.state.store}; the one place that knows the stores. */
public final class StateStores {

    /** The stores a task can keep its state in. */
    public enum Kind {
        FILE, KAFKA
    }

    private StateStores() {
    }

    /** The store of the task the configuration names, as configured. */
    public static StateStore of(TaskConfig config) {
        return of(config, config.text(Options.TASK_NAME), null);
    }

    /**
     * The rules a store puts on the options: a Kafka store names topics after the task and needs replicas.
     *
     * @throws IllegalArgumentException one line naming the option, its value and the fix
     */
    public static void check(TaskConfig config, String task, Kind kind) {
        if (kind != Kind.KAFKA) {
            return;
        }
        if (!task.matches("[A-Za-z0-9._-]{1,200}")) {
            throw new IllegalArgumentException(Options.TASK_NAME.key() + " is '" + task + "', which cannot name Kafka topics: with "
                    + Options.STATE_STORE.key() + "=kafka use only letters, digits, '.', '_' and '-'.");
        }
        if (config.integer(Options.STATE_KAFKA_REPLICATION_FACTOR) == 0) {
            throw new IllegalArgumentException(Options.STATE_KAFKA_REPLICATION_FACTOR.key() + " is 0: use 1 or more replicas, or -1 for "
                    + "the brokers' default.replication.factor.");
        }
    }

    /**
     * The store of a task.
     *
     * @param task the task's name (the source endpoint's name)
     * @param kind the store to use, or null for {@code obsync.state.store}
     * @throws IllegalArgumentException one line when the configuration cannot name a store
     */
    public static StateStore of(TaskConfig config, String task, Kind kind) {
        Kind chosen = kind != null ? kind : config.choice(Options.STATE_STORE, Kind.class);
        check(config, task, chosen);
        Path folder = StateFolder.of(config.text(Options.DATA_DIR), task);
        if (chosen == Kind.FILE) {
            return new FileStateStore(task, folder);
        }
        String brokers = config.text(Options.STATE_KAFKA_BROKERS);
        String brokersOption = Options.STATE_KAFKA_BROKERS.key();
        if (brokers.isEmpty()) {
            brokers = config.text(Options.KAFKA_BROKERS);
            brokersOption = Options.STATE_KAFKA_BROKERS.key() + " (empty: " + Options.KAFKA_BROKERS.key() + ")";
        }
        int replicas = config.integer(Options.STATE_KAFKA_REPLICATION_FACTOR);
        return new KafkaStateStore(task, brokers, (short) replicas, KafkaSecurity.of(config).clientProperties(), folder, brokersOption,
                Options.STATE_KAFKA_REPLICATION_FACTOR.key());
    }
}
