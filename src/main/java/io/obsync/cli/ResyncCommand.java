package io.obsync.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.obsync.source.SnapshotRequests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Asks a task to read tables again: the request goes into the source's signal table, where the task
 * reads it from the binlog (at once when running, else when it starts), and reads the tables in
 * chunks while the changes stream on.
 */
@Command(name = "resync", mixinStandardHelpOptions = true,
        description = "Read tables of a task again, in chunks of their primary key, while the changes stream on "
                + "(needs obsync.source.signal-table); the task picks the request up from the binlog.")
public class ResyncCommand implements Callable<Integer> {

    @Mixin
    ConfigOption options = new ConfigOption();

    @Parameters(paramLabel = "TABLE", arity = "1..*", description = "database.table, a table the task syncs (repeatable).")
    List<String> tables;

    @Override
    public Integer call() throws Exception {
        String id = SnapshotRequests.of(options.config()).resync(tables);
        System.out.println("Resync of " + String.join(", ", tables) + " requested (" + id + "); the task reads the tables in chunks.");
        return 0;
    }
}
