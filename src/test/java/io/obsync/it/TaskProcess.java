package io.obsync.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** The packaged application ({@code java -jar target/obsync.jar run}) as a separate process that a test can kill. */
final class TaskProcess implements AutoCloseable {

    private final Process process;
    final Path log;

    private TaskProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Writes the shipped application.properties with the overrides applied into dir and starts the task under the launcher's heap. */
    static TaskProcess start(Path dir, Map<String, String> overrides, String logName, String... extraArguments) throws IOException {
        return startWithHeap("512m", dir, overrides, logName, extraArguments);
    }

    /** The same with another maximum heap (-Xmx); the JVM ends at its first OutOfMemoryError, as the launcher's does. */
    static TaskProcess startWithHeap(String heap, Path dir, Map<String, String> overrides, String logName, String... extraArguments)
            throws IOException {
        Path config = writeConfig(dir, overrides);
        Path jar = Path.of("target", "obsync.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after `mvn package`");
        }
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString(),
                "run", "--config", config.toString(), "--routes", Path.of("routes").toAbsolutePath().toString()));
        command.addAll(List.of(extraArguments));
        Path log = dir.resolve(logName);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new TaskProcess(process, log);
    }

    /** What a command that ends by itself printed, and how it ended. */
    record Outcome(int exitCode, String output) {
    }

    /** Runs a command of the packaged application that ends by itself ({@code state export ...}) within two minutes. */
    static Outcome once(Path dir, String logName, String... arguments) throws IOException, InterruptedException {
        Path jar = Path.of("target", "obsync.jar").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-jar", jar.toString()));
        command.addAll(List.of(arguments));
        Path log = dir.resolve(logName);
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("obsync " + String.join(" ", arguments) + " did not end within 120 s: " + Files.readString(log));
        }
        return new Outcome(process.exitValue(), Files.readString(log));
    }

    /** The shipped application.properties with the overrides applied, as dir/task.properties. */
    static Path writeConfig(Path dir, Map<String, String> overrides) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("application.properties"))) {
            properties.load(in);
        }
        properties.putAll(overrides);
        Path config = dir.resolve("task.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            properties.store(out, "written by " + TaskProcess.class.getSimpleName());
        }
        return config;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** SIGKILL: no shutdown hook, no final offset flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the process stands still (a long GC pause, a machine that stopped answering) until thawed. */
    void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: a frozen process runs on. */
    void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Waits for the task to end by itself and returns its exit code. */
    int exitCode(java.time.Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the task did not stop by itself within " + timeout);
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            // a frozen process would not answer SIGTERM
            try {
                thaw();
            } catch (IOException | AssertionError e) {
                process.destroyForcibly();
            }
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
