package io.obsync.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import io.obsync.event.Causes;

/** The {@code obsync} command line: run a task, or try it on the embedded demo. */
@Command(name = "obsync", mixinStandardHelpOptions = true, version = "obsync 0.1.0",
        description = "Streams OceanBase row changes into Kafka as declarative Camel routes.",
        subcommands = {RunCommand.class, PrecheckCommand.class, VerifyCommand.class, ObjectsCommand.class, DemoCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public class ObsyncCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** The message meant for the user: our own validation message where there is one, under Camel's wrapping. */
    static String rootMessage(Throwable error) {
        Throwable ours = Causes.find(error, e -> e instanceof IllegalArgumentException || e instanceof IllegalStateException);
        if (ours != null) {
            return ours.getMessage();
        }
        Throwable deepest = Causes.root(error);
        return deepest.getMessage() == null ? deepest.toString() : deepest.getMessage();
    }

    public static void main(String[] args) {
        // java.util.logging (used by the binlog client) goes to log4j2 like everything else
        System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        int code = new CommandLine(new ObsyncCommand())
                .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
                    // a user's mistake gets its one-sentence message, not a stack trace
                    System.err.println("obsync: " + rootMessage(error));
                    return 2;
                })
                .execute(args);
        // client libraries leave non-daemon threads behind; the exit code is what counts
        System.exit(code);
    }
}
