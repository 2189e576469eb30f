package io.obsync.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code obsync} command line: run a task, or try it on the embedded demo. */
@Command(name = "obsync", mixinStandardHelpOptions = true, version = "obsync 0.1.0",
        description = "Streams OceanBase row changes into Kafka as declarative Camel routes.",
        subcommands = {RunCommand.class, DemoCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public class ObsyncCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause.getMessage() == null || cause instanceof org.apache.camel.RuntimeCamelException
                    || cause instanceof java.lang.reflect.InvocationTargetException)) {
            cause = cause.getCause();
        }
        Throwable deepest = cause;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        // a validation message of ours sits at the bottom of Camel's wrapping
        if (deepest instanceof IllegalArgumentException || deepest instanceof IllegalStateException) {
            return deepest.getMessage();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    public static void main(String[] args) {
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
