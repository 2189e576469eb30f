package io.obsync.manage;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.google.common.util.concurrent.RateLimiter;
import io.obsync.event.Headers;
import io.obsync.event.MessageParts;
import io.obsync.manage.TaskStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The {@code throttle} route step: at most so many messages and bytes per second, with separate
 * limits for full and incremental synchronization ({@code obsync.throttle.*}); 0 is unlimited.
 *
 * <p>A message waits here, in the source's thread, until the limits allow it, so the task reads no
 * faster than it may send; nothing is dropped. The limits can change while the task runs (over JMX).
 */
public class Throttle implements Processor {

    /** One phase's limits. */
    private static final class Limits {
        private volatile RateLimiter records;
        private volatile RateLimiter bytes;
        private volatile long recordsPerSecond;
        private volatile long bytesPerSecond;
    }

    private final TaskStatus status;
    private final Limits full = new Limits();
    private final Limits incremental = new Limits();

    public Throttle(TaskStatus status) {
        this.status = status;
    }

    /** Reads a limit property: empty or 0 is unlimited. */
    public static long parseLimit(String property, String value) {
        String text = value == null ? "" : value.trim().replace("_", "");
        if (text.isEmpty()) {
            return 0;
        }
        try {
            long limit = Long.parseLong(text);
            if (limit >= 0) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // the message below says what fits
        }
        throw new IllegalArgumentException(property + " is '" + value + "': give a whole number per second, or leave it empty (0) for no limit.");
    }

    private Limits limits(TaskStatus.Phase phase) {
        return phase == TaskStatus.Phase.FULL ? full : incremental;
    }

    /** Sets the limits of full ({@code full} true) or incremental synchronization; 0 is unlimited. */
    public void setLimits(boolean fullPhase, long recordsPerSecond, long bytesPerSecond) {
        if (recordsPerSecond < 0 || bytesPerSecond < 0) {
            throw new IllegalArgumentException("a throttle limit is negative (" + recordsPerSecond + " records/s, " + bytesPerSecond
                    + " bytes/s): give 0 for no limit or a positive number.");
        }
        Limits limits = fullPhase ? full : incremental;
        limits.records = rate(limits.records, recordsPerSecond);
        limits.recordsPerSecond = recordsPerSecond;
        limits.bytes = rate(limits.bytes, bytesPerSecond);
        limits.bytesPerSecond = bytesPerSecond;
    }

    private static RateLimiter rate(RateLimiter current, long perSecond) {
        if (perSecond == 0) {
            return null;
        }
        if (current == null) {
            return RateLimiter.create(perSecond);
        }
        current.setRate(perSecond);
        return current;
    }

    public long recordsPerSecond(boolean fullPhase) {
        return (fullPhase ? full : incremental).recordsPerSecond;
    }

    public long bytesPerSecond(boolean fullPhase) {
        return (fullPhase ? full : incremental).bytesPerSecond;
    }

    @Override
    public void process(Exchange exchange) {
        Limits limits = limits(status.getPhase());
        RateLimiter records = limits.records;
        RateLimiter bytes = limits.bytes;
        if (records == null && bytes == null) {
            return;
        }
        List<Message> parts = MessageParts.of(exchange);
        int messages = Math.max(1, parts.size());
        if (records != null) {
            acquire(records, messages, exchange);
        }
        if (bytes != null) {
            long size = parts.stream().mapToLong(part -> part.getBody() instanceof byte[] b ? b.length : 0).sum();
            if (size > 0) {
                // a message larger than a second's allowance still goes, and the next ones wait for it
                acquire(bytes, (int) Math.min(Integer.MAX_VALUE, size), exchange);
            }
        }
    }

    /** Waits for the permits; gives up (the exchange fails, its position is not saved) when the source stops meanwhile. */
    private static void acquire(RateLimiter limiter, int permits, Exchange exchange) {
        BooleanSupplier running = exchange.getProperty(Headers.SOURCE_RUNNING, BooleanSupplier.class);
        while (!limiter.tryAcquire(permits, 100, TimeUnit.MILLISECONDS)) {
            if (running != null && !running.getAsBoolean()) {
                throw new IllegalStateException("the source stopped while a message waited for the throttle; it is sent again when the task resumes");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while a message waited for the throttle", e);
            }
        }
    }
}
