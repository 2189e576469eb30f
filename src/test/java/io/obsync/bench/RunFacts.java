package io.obsync.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Properties;

import com.sun.management.OperatingSystemMXBean;

/** What a benchmark figure ran on, printed with every RESULT line: the build's commit, cores, heap limit and JVM. */
public final class RunFacts {

    private RunFacts() {
    }

    /** {@code commit=… cores=… heap_max_mb=… jvm=…}; a commit with uncommitted changes ends in "-dirty". */
    public static String line() {
        return "commit=" + commit() + " cores=" + Runtime.getRuntime().availableProcessors() + " heap_max_mb="
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " jvm=" + System.getProperty("java.vm.vendor", "").split(" ")[0]
                + "-" + Runtime.version();
    }

    /** The commit this build came from (io/obsync/git.properties, written by the build), or "unknown". */
    static String commit() {
        Properties git = new Properties();
        try (InputStream in = RunFacts.class.getResourceAsStream("/io/obsync/git.properties")) {
            if (in == null) {
                return "unknown";
            }
            git.load(in);
        } catch (IOException e) {
            return "unknown";
        }
        String id = git.getProperty("git.commit.id.abbrev", "unknown");
        return Boolean.parseBoolean(git.getProperty("git.dirty")) ? id + "-dirty" : id;
    }

    /** CPU time of this whole process so far, in nanoseconds (every thread, the collector's included). */
    static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
