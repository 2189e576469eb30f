package io.obsync.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import io.obsync.verify.Verify;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code obsync verify}: proves a pipeline by comparing what a consumer rebuilds from the topics with the source tables. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Read the task's topics from the beginning, rebuild the latest row per key of every synced table and compare it "
                + "with the source table; exit 0 only when every table is equal.")
public class VerifyCommand implements Callable<Integer> {

    @Mixin
    ConfigOption options = new ConfigOption();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to compare again while tables differ (a task catching up becomes equal by itself); default ${DEFAULT-VALUE}.")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (timeoutSeconds < 0 || timeoutSeconds > 86_400) {
            throw new IllegalArgumentException("--timeout is " + timeoutSeconds + ": give 0 to 86400 seconds.");
        }
        List<Verify.TableResult> results = Verify.run(options::property, Duration.ofSeconds(timeoutSeconds));
        results.forEach(System.out::println);
        long equal = results.stream().filter(Verify.TableResult::equal).count();
        if (!results.isEmpty() && equal == results.size()) {
            System.out.println("Every table is equal: " + equal + " of " + results.size() + ".");
            return 0;
        }
        System.out.println(results.isEmpty() ? "No table of the task was found in the source: check obsync.source.databases and the objects file."
                : (results.size() - equal) + " of " + results.size() + " tables are not equal or not verified.");
        return 1;
    }
}
