package io.obsync.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import io.obsync.TaskLauncher;
import io.obsync.config.Options;
import io.obsync.manage.TaskStatus;
import io.obsync.precheck.Precheck;
import io.obsync.source.StartTime;
import io.obsync.state.StateStore;
import io.obsync.state.StateStores;
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

    @Option(names = "--skip-precheck", paramLabel = "ITEM",
            description = "Skip a precheck item knowingly (repeatable; 'all' skips the precheck); also obsync.precheck.skip.")
    List<String> skip = new ArrayList<>();

    @Option(names = "--from", paramLabel = "WHERE",
            description = "Start reading at earliest, latest, <binlog file>:<position> or a time (epoch seconds or ISO-8601): the task's "
                    + "saved position and schema history are moved aside first (for a damaged state folder, or to read again).")
    String from;

    @Override
    public Integer call() throws Exception {
        ConfigOption options = new ConfigOption();
        options.config = config;
        Map<String, String> overrides = new HashMap<>();
        StateStore store = StateStores.of(options.config());
        if (from != null) {
            if (!StartTime.isPosition(from) && !from.isBlank()) {
                try {
                    StartTime.parse(from);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--from is '" + from + "': give earliest, latest, <binlog file>:<position> "
                            + "(mariadb-bin.000003:1234) or a time (1763700000, 2026-11-21T08:00:00+08:00).");
                }
            }
            String aside = store.setAside();
            if (aside != null) {
                System.err.println("obsync: the task's saved position and schema history were moved to " + aside + "; reading starts at " + from);
            }
            overrides.put(Options.SOURCE_START_TIME.key(), from);
            overrides.put(Options.FULL_SYNC_ENABLED.key(), "false");
            store.prepare();
        } else {
            store.prepare();
            // a damaged saved position stops the task here, in one line, before anything starts
            store.check();
        }
        Set<String> skipped = new LinkedHashSet<>(skip);
        for (String item : options.config().text(Options.PRECHECK_SKIP).split(",")) {
            if (!item.isBlank()) {
                skipped.add(item.trim());
            }
        }
        if (!skipped.contains("all")) {
            List<Precheck.Item> items = Precheck.run(options::property, skipped);
            // a wrong option is the user's input: one line, as every configuration error
            items.stream().filter(i -> i.name().equals("options") && i.status() == Precheck.Status.FAIL).findFirst().ifPresent(i -> {
                throw new IllegalArgumentException(i.detail());
            });
            if (!Precheck.mayStart(items)) {
                items.forEach(System.err::println);
                System.err.println("obsync: the precheck failed, the task does not start: fix the FAIL items, or skip them knowingly with "
                        + "--skip-precheck ITEM (obsync.precheck.skip).");
                return 1;
            }
        }
        TaskStatus status = new TaskStatus();
        Main main = TaskLauncher.create(config, routes, overrides, status);
        main.run();
        if (status.isFailed()) {
            System.err.println("obsync: the task stopped: " + status.getLastError());
            return 1;
        }
        return main.getExitCode();
    }
}
