package io.obsync.manage;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The task's figures as Micrometer meters in Camel's registry (camel.metrics.enabled), next to
 * Camel's own route metrics; Prometheus reads them from Camel's management HTTP server
 * ({@code /observe/metrics}, camel.management.*). Every meter carries the tag {@code task}.
 */
public final class TaskMetrics implements TaskStatus.Listener {

    /** The first meter bound; its presence tells that a task's meters are registered already. */
    public static final String EVENTS_READ = "obsync.events.read";

    private final MeterRegistry registry;
    private final TaskStatus status;
    private final Tags task;

    private TaskMetrics(MeterRegistry registry, TaskStatus status, String taskName) {
        this.registry = registry;
        this.status = status;
        this.task = Tags.of("task", taskName);
    }

    /** Registers the task's meters; tables and topics are added as the task first sees them. */
    public static void bind(MeterRegistry registry, TaskStatus status, String taskName, Throttle throttle) {
        TaskMetrics metrics = new TaskMetrics(registry, status, taskName);
        metrics.counter(EVENTS_READ, "Binlog events read", TaskStatus::getEventsRead);
        metrics.counter("obsync.events.acknowledged", "Events acknowledged by the targets", TaskStatus::getEventsAcknowledged);
        metrics.counter("obsync.row.changes.acknowledged", "Row changes (and full-sync rows) acknowledged", TaskStatus::getRowChangesAcknowledged);
        metrics.counter("obsync.sends.failed", "Sends the target did not acknowledge (each was resent)", TaskStatus::getFailedSends);
        metrics.counter("obsync.batches.resent", "Batches sent again from their first failed event", TaskStatus::getResends);
        Gauge.builder("obsync.latency", status, TaskStatus::getLatencyMillis).tags(metrics.task).baseUnit("milliseconds")
                .description("Between the last acknowledged change's commit at the source and now, as measured (clocks may differ)")
                .register(registry);
        for (TaskStatus.Phase phase : TaskStatus.Phase.values()) {
            Gauge.builder("obsync.phase", status, s -> s.getPhase() == phase ? 1 : 0).tags(metrics.task.and("phase", phase.name()))
                    .description("1 for the phase the task is in").register(registry);
        }
        for (TaskStatus.Role role : TaskStatus.Role.values()) {
            Gauge.builder("obsync.role", status, s -> s.getRole() == role ? 1 : 0).tags(metrics.task.and("role", role.name()))
                    .description("1 for this instance's role: SINGLE (no standby group), ACTIVE (reads the binlog) or STANDBY (waits)")
                    .register(registry);
        }
        Gauge.builder("obsync.failed", status, s -> s.isFailed() ? 1 : 0).tags(metrics.task)
                .description("1 when the task stopped on an error").register(registry);
        if (throttle != null) {
            for (boolean full : new boolean[] {true, false}) {
                Tags phase = metrics.task.and("phase", full ? "full" : "incremental");
                Gauge.builder("obsync.throttle.records.per.second", throttle, t -> t.recordsPerSecond(full)).tags(phase)
                        .description("Message limit per second (0: none)").register(registry);
                Gauge.builder("obsync.throttle.bytes.per.second", throttle, t -> t.bytesPerSecond(full)).tags(phase)
                        .description("Message byte limit per second (0: none)").register(registry);
            }
        }
        status.addListener(metrics);
    }

    private void counter(String name, String description, ToDoubleFunction<TaskStatus> value) {
        FunctionCounter.builder(name, status, value).tags(task).description(description).register(registry);
    }

    @Override
    public void fullSyncTable(String table) {
        Tags tags = task.and("table", table);
        Gauge.builder("obsync.full.sync.rows", status, s -> s.fullSyncRows().getOrDefault(table, 0L)).tags(tags)
                .description("Rows full synchronization read").register(registry);
        Gauge.builder("obsync.full.sync.rows.estimated", status, s -> s.fullSyncEstimates().getOrDefault(table, 0L)).tags(tags)
                .description("Rows the source estimates the table holds").register(registry);
    }

    @Override
    public void newTable(String table, TaskStatus.Counts counts) {
        events("obsync.table.events", "table", table, counts);
    }

    @Override
    public void newTopic(String topic, TaskStatus.Counts counts) {
        events("obsync.topic.events", "topic", topic, counts);
    }

    private void events(String name, String tag, String value, TaskStatus.Counts counts) {
        Tags tags = task.and(tag, value);
        FunctionCounter.builder(name, counts, TaskStatus.Counts::in).tags(tags.and("kind", "in"))
                .description("Events per " + tag + ": in, filtered, out").register(registry);
        FunctionCounter.builder(name, counts, TaskStatus.Counts::filtered).tags(tags.and("kind", "filtered"))
                .description("Events per " + tag + ": in, filtered, out").register(registry);
        FunctionCounter.builder(name, counts, TaskStatus.Counts::out).tags(tags.and("kind", "out"))
                .description("Events per " + tag + ": in, filtered, out").register(registry);
    }
}
