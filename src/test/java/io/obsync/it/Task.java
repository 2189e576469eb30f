package io.obsync.it;

import java.nio.file.Path;
import java.util.Map;

import io.obsync.TaskLauncher;
import io.obsync.manage.TaskStatus;
import io.obsync.sandbox.SandboxTask;
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
        Map<String, String> p = SandboxTask.properties(name, servers.db, servers.work.resolve("data"));
        p.put("obsync.kafka.brokers", servers.kafka.bootstrapServers());
        p.put("obsync.source.tenant", "t1");
        p.put("obsync.source.cluster", "c1");
        // the tests look at DDL messages too; DDL sync is off by default
        p.put("obsync.ddl.enabled", "true");
        return p;
    }

    static Task start(Map<String, String> properties) throws Exception {
        return start(properties, Path.of("routes"));
    }

    /** A task running the routes of another folder (a user's edited copy of the shipped ones). */
    static Task start(Map<String, String> properties, Path routes) throws Exception {
        TaskStatus status = new TaskStatus();
        Main main = TaskLauncher.create(Path.of("application.properties"), routes, properties, status);
        Task task = new Task(main, status);
        main.start();
        return task;
    }

    /** A bean of the running task's Camel context, by name. */
    <T> T bean(String name, Class<T> type) {
        return main.getCamelContext().getRegistry().lookupByNameAndType(name, type);
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
