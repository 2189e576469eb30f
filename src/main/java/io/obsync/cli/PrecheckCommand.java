package io.obsync.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

import io.obsync.precheck.Precheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Checks that a task may start, item by item. */
@Command(name = "precheck", mixinStandardHelpOptions = true,
        description = "Check the options, the source (binary log, ROW format, FULL row image, privileges, server id) and the targets; "
                + "exit 0 when the task may start.")
public class PrecheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOption options = new ConfigOption();

    @Option(names = "--skip", paramLabel = "ITEM", description = "Skip an item knowingly (repeatable): ${COMPLETION-CANDIDATES}.",
            completionCandidates = Items.class)
    List<String> skip = List.of();

    static class Items extends ArrayList<String> {
        Items() {
            super(Precheck.ITEMS);
        }
    }

    @Override
    public Integer call() {
        List<Precheck.Item> items = Precheck.run(options::property, new LinkedHashSet<>(skip));
        items.forEach(System.out::println);
        if (Precheck.mayStart(items)) {
            System.out.println("The task may start.");
            return 0;
        }
        System.out.println("The task may not start: fix the FAIL items, or skip them knowingly with --skip ITEM.");
        return 1;
    }
}
