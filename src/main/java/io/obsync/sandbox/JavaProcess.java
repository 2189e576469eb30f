package io.obsync.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Stops a server the way an operator would (SIGTERM), waits for it, and kills it if it hangs. */
    static void stop(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
    }

    /** Writes a server's configuration file. */
    static Path write(Path file, java.util.Properties properties) throws IOException {
        try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(file)) {
            properties.store(out, "written by obsync's sandbox");
        }
        return file;
    }

    /** This JVM's class path in tests; the jar's lib/ folder when running from target/obsync.jar. */
    static String classpath() {
        String own = System.getProperty("java.class.path");
        if (own.contains(File.pathSeparator)) {
            return own;
        }
        try {
            Path kafkaJar = Path.of(kafka.Kafka.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return kafkaJar.getParent().resolve("*") + File.pathSeparator + own;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot locate the bundled servers' jars", e);
        }
    }
}
