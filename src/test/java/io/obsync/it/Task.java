package io.obsync.it;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.obsync.cli.TaskLauncher;
import io.obsync.manage.TaskStatus;
import org.apache.camel.main.Main;

/** The real application (application.properties and routes/ of this repository) running in the test JVM. */
final class Task implements AutoCloseable {

    final TaskStatus status;
    private final Main main;

    private Task(Main main, TaskStatus status) {
        this.main = main;
        this.status = status;
    }

    /** Properties that point the shipped configuration at the test servers; callers add their own. */
    static Map<String, String> properties(Servers servers, String name) {
        Map<String, String> p = new HashMap<>();
        p.put("obsync.task.name", name);
        p.put("obsync.data-dir", servers.work.resolve("data").toString());
        p.put("obsync.source.hostname", servers.db.host());
        p.put("obsync.source.port", Integer.toString(servers.db.port()));
        p.put("obsync.source.user", servers.db.user());
        p.put("obsync.source.password", servers.db.password());
        p.put("obsync.source.tenant", "t1");
        p.put("obsync.source.cluster", "c1");
        // a fresh server: read its binlog from the start so no change can slip by before streaming begins
        p.put("obsync.source.snapshot-mode", "never");
        p.put("obsync.kafka.brokers", servers.kafka.bootstrapServers());
        return p;
    }

    static Task start(Map<String, String> properties) throws Exception {
        TaskStatus status = new TaskStatus();
        Main main = TaskLauncher.create(Path.of("application.properties"), Path.of("routes"), properties, status);
        Task task = new Task(main, status);
        main.start();
        return task;
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
