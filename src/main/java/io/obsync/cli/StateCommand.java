package io.obsync.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import io.obsync.state.StateExport;
import io.obsync.state.StateStore;
import io.obsync.state.StateStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A task's saved state: show it, export it, import it into a store (to move it between stores and machines). */
@Command(name = "state", mixinStandardHelpOptions = true,
        description = "Show, export or import the task's saved position and schema history (obsync.state.store).",
        subcommands = {StateCommand.Show.class, StateCommand.Export.class, StateCommand.Import.class})
public class StateCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Options every state command takes: the configuration and the store to use instead of the configured one. */
    static class StoreOptions {
        @picocli.CommandLine.Mixin
        ConfigOption options = new ConfigOption();

        @Option(names = "--store", paramLabel = "file|kafka", description = "The store to use instead of obsync.state.store.")
        String store;

        StateStore open() {
            return StateStores.of(options.config(), options.config().text(Options.TASK_NAME), store == null ? null
                    : StateStores.Kind.valueOf(TaskConfig.constantName(Options.STATE_STORE.check(store))));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print where the state is, the saved position and the schema history's size.")
    static class Show implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Override
        public Integer call() {
            StateStore state = store.open();
            Map<String, Object> position = state.position();
            List<String> history = state.history();
            System.out.println("task " + state.task() + ": state in " + state.describe());
            System.out.println("position: " + (position == null ? "none saved (the next start is a first start)" : StateExport.positionJson(position)));
            System.out.println("schema history: " + history.size() + " record(s)" + (history.isEmpty() ? "" : "; the last: "
                    + StateExport.summary(history.get(history.size() - 1))));
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the state as JSON (to standard output, or --output FILE).")
    static class Export implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Option(names = "--output", paramLabel = "FILE", description = "Where to write the export (default: standard output).")
        Path output;

        @Override
        public Integer call() throws IOException {
            String export = StateExport.write(store.open());
            if (output == null) {
                System.out.print(export);
            } else {
                Files.writeString(output, export, StandardCharsets.UTF_8);
                System.err.println("obsync: wrote the state of task " + store.options.config().text(Options.TASK_NAME) + " to " + output);
            }
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Read an export into the task's store, which must hold no state yet; the next start resumes from it.")
    static class Import implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        StoreOptions store = new StoreOptions();

        @Option(names = "--file", paramLabel = "FILE", required = true, description = "An export written by `obsync state export`.")
        Path file;

        @Override
        public Integer call() {
            StateExport.Content content = StateExport.read(file.toString(), read(file));
            StateStore state = store.open();
            if (!content.task().equals(state.task())) {
                throw new IllegalArgumentException("The state export " + file + " is of task " + content.task() + ", not " + state.task()
                        + ": a position and schema history belong to the task that read them; set " + Options.TASK_NAME.key() + "="
                        + content.task() + ".");
            }
            if (state.position() != null || !state.history().isEmpty()) {
                throw new IllegalArgumentException("Task " + state.task() + " already has state in " + state.describe() + ": importing "
                        + "would mix two states; move it aside first (`obsync run --from ...` moves it aside, or delete it) and import again.");
            }
            state.prepare();
            // the history first: a position without the structure it needs is never saved
            state.appendHistory(content.history());
            if (content.position() != null) {
                state.savePosition(content.position());
            }
            System.err.println("obsync: imported the state of task " + state.task() + " (" + content.history().size() + " history record(s), "
                    + (content.position() == null ? "no position" : "position " + StateExport.positionJson(content.position())) + ") into "
                    + state.describe());
            return 0;
        }

        private static String read(Path file) {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, StateExport.LIMIT_BYTES + 1));
                if (bytes.length > StateExport.LIMIT_BYTES) {
                    throw new IllegalArgumentException("The state export " + file + " is larger than " + StateExport.LIMIT_BYTES / (1024 * 1024)
                            + " MiB: give a file written by `obsync state export`.");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("The state export " + file + " cannot be read (" + e.getClass().getSimpleName()
                        + "): give a file written by `obsync state export`.");
            }
        }
    }
}
