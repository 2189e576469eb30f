package io.obsync.filter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up edits of the objects file while the task runs: checks the file's modification time, and
 * when it changed, loads it and hands the new selection to the pipeline. A file that does not load
 * is reported and the running selection stays.
 */
public class ObjectsFileWatcher extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectsFileWatcher.class);

    private final CamelContext camel;
    private final Path file;
    private final String dml;
    private final long intervalMs;
    private final ObjectSelection selection;
    private ScheduledExecutorService timer;
    private FileTime seen;

    public ObjectsFileWatcher(CamelContext camel, Path file, String dml, long intervalMs, ObjectSelection selection) {
        this.camel = camel;
        this.file = file;
        this.dml = dml;
        this.intervalMs = intervalMs;
        this.selection = selection;
    }

    @Override
    protected void doStart() throws Exception {
        seen = Files.getLastModifiedTime(file);
        timer = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "obsync-objects-watch");
        timer.scheduleWithFixedDelay(this::check, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            camel.getExecutorServiceManager().shutdownNow(timer);
            timer = null;
        }
    }

    void check() {
        try {
            FileTime now = Files.getLastModifiedTime(file);
            if (now.equals(seen)) {
                return;
            }
            seen = now;
            SyncObjects loaded = SyncObjects.load(file.toString(), dml);
            selection.replace(loaded);
            LOG.info("Objects file {} changed: the task now syncs its {} rule(s) and {} exclusion(s)", file, loaded.includes().size(),
                    loaded.exclusions().size());
        } catch (IllegalArgumentException e) {
            LOG.error("Objects file {} changed but is not used: {} The task keeps its current selection.", file, e.getMessage());
        } catch (Exception e) {
            LOG.warn("Could not check objects file {}: {}", file, e.toString());
        }
    }
}
