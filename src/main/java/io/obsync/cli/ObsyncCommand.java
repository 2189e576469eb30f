package io.obsync.cli;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.obsync.ObsyncConfiguration;
import io.obsync.event.Causes;
import io.obsync.format.MessageFormats;
import org.apache.camel.BindToRegistry;
import org.apache.camel.NoSuchBeanException;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code obsync} command line: run a task, check it, manage its objects and state (and, in a development build,
 * the demo and the benchmarks: {@link ToolCommand}).
 */
@Command(name = "obsync", mixinStandardHelpOptions = true, version = "obsync 0.1.0",
        description = "Streams OceanBase row changes into Kafka as declarative Camel routes.",
        subcommands = {RunCommand.class, PrecheckCommand.class, VerifyCommand.class, ObjectsCommand.class, StateCommand.class, ResyncCommand.class, CommandLine.HelpCommand.class})
public class ObsyncCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "With an error, print its stack trace after the one-line message.")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** The message meant for the user: our own validation message where there is one, under Camel's wrapping. */
    static String rootMessage(Throwable error) {
        MarkedYamlEngineException yaml = Causes.find(error,
                MarkedYamlEngineException.class);
        if (yaml != null) {
            // the route file, its line and column, and what the parser expected, on one line
            var mark = yaml.getContextMark().or(yaml::getProblemMark);
            return "Route file " + mark.map(m -> m.getName().replaceFirst("^file:", "") + " line " + (m.getLine() + 1) + " column "
                    + (m.getColumn() + 1)).orElse("(unknown)") + " is not valid YAML (" + (yaml.getContext() == null ? "" : yaml.getContext() + ": ")
                    + yaml.getProblem() + "): fix the YAML there.";
        }
        NoSuchBeanException bean = Causes.find(error, NoSuchBeanException.class);
        if (bean != null) {
            return oneLine(bean.getMessage()) + ": a route may name obsync's beans " + String.join(", ", beanNames())
                    + ", or a bean of its own.";
        }
        Throwable ours = Causes.find(error, e -> e instanceof IllegalArgumentException || e instanceof IllegalStateException);
        if (ours != null) {
            return ours.getMessage();
        }
        Throwable deepest = Causes.root(error);
        return deepest.getMessage() == null ? deepest.toString() : deepest.getMessage();
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** The names obsync binds for the routes: its configuration's beans and the message formats. */
    static List<String> beanNames() {
        List<String> names = new ArrayList<>();
        for (Method method : ObsyncConfiguration.class.getMethods()) {
            BindToRegistry bind = method.getAnnotation(BindToRegistry.class);
            if (bind != null) {
                names.add(bind.value().isEmpty() ? method.getName() : bind.value());
            }
        }
        Collections.sort(names);
        MessageFormats.writers().forEach(format -> names.add(format.displayName()));
        return names;
    }

    public static void main(String[] args) {
        // java.util.logging (used by the binlog client) goes to log4j2 like everything else
        System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        int code = execute(System.err, args);
        // client libraries leave non-daemon threads behind; the exit code is what counts
        System.exit(code);
    }

    /**
     * Runs a command line and returns its exit code: 0 done, 1 the task or its precheck failed, 2 the
     * user's input is wrong (one line on err, the stack trace too only with --verbose).
     */
    public static int execute(PrintStream err, String... args) {
        return ToolCommand.addTo(new CommandLine(new ObsyncCommand()))
                .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
                    // a user's mistake gets its one-sentence message, not a stack trace
                    err.println("obsync: " + rootMessage(error));
                    if (verbose(parseResult)) {
                        error.printStackTrace(err);
                    }
                    return 2;
                })
                .execute(args);
    }

    private static boolean verbose(CommandLine.ParseResult result) {
        for (CommandLine.ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
