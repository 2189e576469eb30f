package io.obsync.sandbox;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.obsync.config.Options;

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
        p.put(Options.TASK_NAME.key(), name);
        p.put(Options.DATA_DIR.key(), dataDir.toString());
        p.put(Options.SOURCE_HOSTNAME.key(), db.host());
        p.put(Options.SOURCE_PORT.key(), Integer.toString(db.port()));
        p.put(Options.SOURCE_USER.key(), db.user());
        p.put(Options.SOURCE_PASSWORD.key(), db.password());
        p.put(Options.SOURCE_SNAPSHOT_MODE.key(), "never");
        // tasks of the sandbox may run beside another one: Camel's management server on any free port
        p.put("camel.management.port", "0");
        return p;
    }
}
