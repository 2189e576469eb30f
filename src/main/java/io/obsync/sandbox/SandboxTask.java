package io.obsync.sandbox;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The obsync.* properties that point a task at the sandbox's MariaDB; targets add their own. */
public final class SandboxTask {

    private SandboxTask() {
    }

    /**
     * Properties for a task named {@code name} reading {@code db} from the start of its binlog (the
     * sandbox's servers are new, so nothing can slip by before streaming begins). The map is
     * mutable: callers add the target and their own options.
     */
    public static Map<String, String> properties(String name, EmbeddedMariaDb db, Path dataDir) {
        Map<String, String> p = new HashMap<>();
        p.put("obsync.task.name", name);
        p.put("obsync.data-dir", dataDir.toString());
        p.put("obsync.source.hostname", db.host());
        p.put("obsync.source.port", Integer.toString(db.port()));
        p.put("obsync.source.user", db.user());
        p.put("obsync.source.password", db.password());
        p.put("obsync.source.snapshot-mode", "never");
        // tasks of the sandbox may run beside another one: Camel's management server on any free port
        p.put("camel.management.port", "0");
        return p;
    }
}
