package io.obsync.sandbox;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The obsync.* properties that point a task at the sandbox's MariaDB and Kafka broker. */
public final class SandboxTask {

    private SandboxTask() {
    }

    /**
     * Properties for a task named {@code name} reading {@code db} from the start of its binlog (the
     * sandbox's servers are new, so nothing can slip by before streaming begins) into {@code kafka}.
     * The map is mutable: callers add their own options.
     */
    public static Map<String, String> properties(String name, EmbeddedMariaDb db, KafkaBroker kafka, Path dataDir) {
        Map<String, String> p = new HashMap<>();
        p.put("obsync.task.name", name);
        p.put("obsync.data-dir", dataDir.toString());
        p.put("obsync.source.hostname", db.host());
        p.put("obsync.source.port", Integer.toString(db.port()));
        p.put("obsync.source.user", db.user());
        p.put("obsync.source.password", db.password());
        p.put("obsync.source.snapshot-mode", "never");
        p.put("obsync.kafka.brokers", kafka.bootstrapServers());
        return p;
    }
}
