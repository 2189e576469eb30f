package io.obsync.manage;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Camel's health check of the task: DOWN once the task has FAILED (management server /observe/health, JMX). */
public final class TaskHealthCheck extends AbstractHealthCheck {

    private final String task;
    private final TaskStatus status;

    public TaskHealthCheck(String task, TaskStatus status) {
        super("obsync", "task");
        this.task = task;
        this.status = status;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("task", task);
        builder.detail("state", status.getState().name());
        // a standby is healthy while it waits: it is ready to take over
        builder.detail("role", status.getRole().name());
        if (status.isFailed()) {
            builder.message("obsync task " + task + " failed: " + status.getLastError());
            builder.down();
        } else {
            builder.up();
        }
    }
}
