package io.obsync.manage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.obsync.event.ChangeEvent;
import io.obsync.event.MessageParts;
import io.obsync.event.Operation;
import io.obsync.event.TestEvents;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Under a limit a batch carries at most a tenth of a second's allowance, and waits message by message. */
@Timeout(30)
class ThrottleTest {

    @Test
    void aBatchIsATenthOfASecondsAllowance() throws Exception {
        TaskStatus status = new TaskStatus();
        status.phase(TaskStatus.Phase.INCREMENTAL);
        Throttle throttle = new Throttle(status);
        assertThat(throttle.changesPerExchange()).as("no limit").isEqualTo(Integer.MAX_VALUE);
        throttle.setLimits(false, 400, 0);
        assertThat(throttle.changesPerExchange()).isEqualTo(40);
        throttle.setLimits(false, 5, 0);
        assertThat(throttle.changesPerExchange()).as("at least one").isEqualTo(1);
        // the full synchronization's limits apply in its phase only
        throttle.setLimits(true, 1000, 0);
        assertThat(throttle.changesPerExchange()).isEqualTo(1);
        status.phase(TaskStatus.Phase.FULL);
        assertThat(throttle.changesPerExchange()).isEqualTo(100);

        // bytes: at the mean size of the messages seen (2,000 bytes here), 300,000 bytes/s is 15 per tenth of a second
        status.phase(TaskStatus.Phase.INCREMENTAL);
        throttle.setLimits(false, 0, 300_000);
        for (int i = 0; i < 200; i++) {
            throttle.process(batchOf(1, 2_000));
        }
        assertThat(throttle.changesPerExchange()).isBetween(14, 16);
    }

    @Test
    void aBatchLeavesWhenItsLastMessagesTurnHasCome() throws Exception {
        TaskStatus status = new TaskStatus();
        status.phase(TaskStatus.Phase.INCREMENTAL);
        Throttle throttle = new Throttle(status);
        throttle.setLimits(false, 100, 0);
        // the rate limiter lets its first permit go at once; the 20 after it take 0.2 s at 100/s
        throttle.process(batchOf(1, 10));
        long start = System.nanoTime();
        throttle.process(batchOf(20, 10));
        assertThat((System.nanoTime() - start) / 1e6).as("ms for a batch of 20 at 100/s").isGreaterThan(150);
    }

    private static Exchange batchOf(int messages, int bytes) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        ChangeEvent event = TestEvents.event(Operation.INSERT, TestEvents.table(List.of("id"), "id:INT"), null, new Object[] {1}).build();
        MessageParts.batch(exchange, java.util.Collections.nCopies(messages, event));
        for (org.apache.camel.Message part : MessageParts.of(exchange)) {
            part.setBody(new byte[bytes]);
        }
        return exchange;
    }
}
