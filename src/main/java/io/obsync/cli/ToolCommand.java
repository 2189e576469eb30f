package io.obsync.cli;

import java.util.ServiceLoader;
import java.util.concurrent.Callable;

import picocli.CommandLine;

/**
 * A command that is not part of the product but joins {@code obsync}'s command line when its classes are on the class
 * path: {@code demo} and {@code bench} come with a development build (the test classes and the embedded servers they
 * start), never with the product jar or the image. Implementations are picocli commands listed in
 * {@code META-INF/services/io.obsync.cli.ToolCommand}.
 */
public interface ToolCommand extends Callable<Integer> {

    /** Adds every tool command on the class path to the command line. */
    static CommandLine addTo(CommandLine commandLine) {
        for (ToolCommand tool : ServiceLoader.load(ToolCommand.class)) {
            commandLine.addSubcommand(tool);
        }
        return commandLine;
    }
}
