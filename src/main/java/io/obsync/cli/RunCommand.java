package io.obsync.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import io.obsync.manage.TaskStatus;
import org.apache.camel.main.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code obsync run}: the task described by application.properties and routes/, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the sync task from application.properties and routes/*.camel.yaml until stopped (Ctrl-C or SIGTERM).")
public class RunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (default: ./application.properties, else the one in the jar).")
    Path config;

    @Option(names = "--routes", paramLabel = "DIR", description = "Folder of *.camel.yaml routes (default: ./routes, else the ones in the jar).")
    Path routes;

    @Override
    public Integer call() throws Exception {
        TaskStatus status = new TaskStatus();
        Main main = TaskLauncher.create(config, routes, Map.of(), status);
        main.run();
        if (status.isFailed()) {
            System.err.println("obsync: the task stopped: " + status.getLastError());
            return 1;
        }
        return main.getExitCode();
    }
}
