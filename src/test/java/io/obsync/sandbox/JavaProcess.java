package io.obsync.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Starts a main class of one of the bundled servers in a JVM of its own, logging to a file. */
final class JavaProcess {

    private JavaProcess() {
    }

    static Process start(Path log, List<String> jvmOptions, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass);
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        // a JVM ended by a signal (Ctrl-C on demo or bench) takes its servers with it
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "obsync-sandbox-stop-" + process.pid()));
        return process;
    }

    /** Stops a server the way an operator would (SIGTERM), waits for it, and kills it if it hangs. */
    /** CPU time a running process used so far (every thread), in nanoseconds; 0 when it is not running or the system does not say. */
    static long cpuNanos(Process process) {
        return process == null || !process.isAlive() ? 0 : process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    static void stop(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Writes a server's configuration file. */
    static Path write(Path file, Properties properties) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "written by obsync's sandbox");
        }
        return file;
    }

    /**
     * This JVM's class path: in tests the build's, under target/obsync the jar alone, whose manifest names exactly the
     * libraries it was built with (lib/ may hold other versions left by earlier builds).
     */
    static String classpath() {
        return System.getProperty("java.class.path");
    }
}
