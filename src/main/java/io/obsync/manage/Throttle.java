package io.obsync.manage;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.google.common.util.concurrent.RateLimiter;
import io.obsync.event.Headers;
import io.obsync.event.MessageParts;
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
    // a running mean of the messages' sizes (bytes), which sizes the batches under a bytes limit
    private volatile long meanMessageBytes = 1024;

    public Throttle(TaskStatus status) {
        this.status = status;
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

    /**
     * How many changes one exchange may carry now: a tenth of a second's allowance (records, or bytes
     * at the mean message size seen), so that a batch leaving whole is no burst above the limit;
     * {@link Integer#MAX_VALUE} without a limit.
     */
    public int changesPerExchange() {
        Limits limits = limits(status.getPhase());
        long most = Integer.MAX_VALUE;
        if (limits.recordsPerSecond > 0) {
            most = Math.min(most, Math.max(1, limits.recordsPerSecond / 10));
        }
        if (limits.bytesPerSecond > 0) {
            most = Math.min(most, Math.max(1, limits.bytesPerSecond / 10 / Math.max(1, meanMessageBytes)));
        }
        return (int) most;
    }

    @Override
    public void process(Exchange exchange) {
        Limits limits = limits(status.getPhase());
        RateLimiter records = limits.records;
        RateLimiter bytes = limits.bytes;
        if (records == null && bytes == null) {
            return;
        }
        // message by message: a batch leaves when its last message's turn has come, so a batch is never a burst above the limit
        for (Message part : MessageParts.of(exchange)) {
            if (records != null) {
                acquire(records, 1, exchange);
            }
            if (bytes != null && part.getBody() instanceof byte[] body && body.length > 0) {
                meanMessageBytes = (meanMessageBytes * 15 + body.length) / 16;
                // a message larger than a second's allowance still goes, and the next ones wait for it
                acquire(bytes, body.length, exchange);
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
