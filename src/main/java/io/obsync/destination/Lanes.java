package io.obsync.destination;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLongArray;

import io.obsync.event.ChangeEvent;
import io.obsync.event.Headers;
import io.obsync.sink.Placement;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * The pipeline's lanes: the rest of the route (marshalling, throttle, the producer's send) runs on
 * one of N threads chosen by the message's destination, so that several messages are marshalled and
 * sent at once while the source thread reads on. What decides the partition or queue decides the lane:
 * the record key (RocketMQ, and Kafka's hash rule), the table (keyless rows, Kafka's table rule) or the
 * topic (Kafka's one rule), each within its topic. Each lane works in arrival order, so the messages
 * of one key (of one partition under the table and one rules) reach the producer in commit order.
 *
 * <p>A batch of one table's changes (see {@link io.obsync.event.MessageParts}) takes its table's lane.
 * DDL, heartbeats and a single change's UPDATE that moved its row to another key go to every partition
 * or to two keys: they are barriers. The source thread waits until every lane has handed what it holds to the
 * producer, then passes the barrier itself, and only then hands out what follows. The source still
 * commits a batch only when every exchange of it was acknowledged, so the delivery guarantees do not
 * depend on the number of lanes. One lane means no lanes: the source thread does everything.
 */
public final class Lanes extends AsyncProcessorSupport {

    /** At most this many lanes when the count follows the cores. */
    static final int MAX_AUTO = 8;

    private final int count;
    private final Placement.Rule kafkaRule;
    private final CamelContext camelContext;
    private volatile ExecutorService[] lanes;
    // exchanges each lane has taken, for the lanes' figures (and the test that shows they share the work)
    private final AtomicLongArray taken;

    /**
     * @param count        lanes; 0 = one per core beside the source's, at most {@value #MAX_AUTO}
     * @param partitioning the Kafka partitioning rule, which decides what must stay in order
     */
    public Lanes(CamelContext camelContext, int count, Placement.Rule partitioning) {
        this.camelContext = camelContext;
        this.count = count(count);
        this.kafkaRule = partitioning;
        this.taken = new AtomicLongArray(this.count);
    }

    /** The exchanges each lane has taken since the task started (all zero without lanes). */
    public long[] taken() {
        long[] counts = new long[taken.length()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = taken.get(i);
        }
        return counts;
    }

    /** How many lanes marshal and send (1: the source thread). */
    public int count() {
        return count;
    }

    /**
     * The lanes a setting of obsync.pipeline.lanes gives: itself, or for 0 one per core beside the
     * source's (at most {@value #MAX_AUTO}). On two cores that is one lane: there `bench` measured two
     * lanes at 0.90 to 1.14 of one (within the noise), the cores being taken by the source, the database and the broker already.
     */
    public static int count(int configured) {
        return configured > 0 ? configured : Math.min(MAX_AUTO, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        ExecutorService[] current = lanes();
        String laneKey = current == null ? null : laneKey(exchange);
        if (laneKey == null) {
            if (current != null) {
                try {
                    drain(current);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.setException(e);
                }
            }
            callback.done(true);
            return true;
        }
        int lane = Math.floorMod(laneKey.hashCode(), current.length);
        taken.incrementAndGet(lane);
        try {
            // the route goes on in the lane's thread from here (as Camel's threads EIP does it)
            current[lane].execute(() -> callback.done(false));
            return false;
        } catch (RejectedExecutionException e) {
            exchange.setException(new IllegalStateException("the pipeline's lanes are stopping; the source sends the change again", e));
            callback.done(true);
            return true;
        }
    }

    /**
     * What must stay in order, or null for a barrier. A batch of one table's changes goes to its table's
     * lane (which keeps every key's order, its key moves included); a single change to the lane of its
     * destination's partition or queue, as the partitioner will choose it. DDL, heartbeats and a single
     * change's key move are barriers.
     */
    String laneKey(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        String topic = message.getHeader(Headers.TOPIC, "", String.class);
        Placement.Rule rule = "rocketmq".equals(message.getHeader(Headers.TARGET, String.class)) ? Placement.Rule.HASH : kafkaRule;
        if (body instanceof ChangeEvent event) {
            if (!event.operation().isRowChange()) {
                return null;
            }
            String placement = Placement.key(rule, message.getHeader(Headers.KEY, String.class), event.database(), event.table());
            return placement == null ? topic : topic + '\u0001' + placement;
        }
        if (!(body instanceof List<?> parts) || parts.isEmpty() || message.getHeader(Headers.KEY_MOVED, false, Boolean.class)) {
            return null;
        }
        for (Object part : parts) {
            if (!(part instanceof Message m) || !(m.getBody() instanceof ChangeEvent event) || !event.operation().isRowChange()) {
                return null;
            }
        }
        // a batch holds one table's changes: the table's lane keeps every key's order (the topic's under ONE)
        String table = Placement.key(rule == Placement.Rule.ONE ? rule : Placement.Rule.TABLE, null,
                message.getHeader(Headers.DATABASE, String.class), message.getHeader(Headers.TABLE, String.class));
        return table == null ? topic : topic + '\u0001' + table;
    }

    // every lane has run what it was given before (its sends are with the producer) when its marker runs
    private static void drain(ExecutorService[] current) throws InterruptedException {
        CountDownLatch markers = new CountDownLatch(current.length);
        for (ExecutorService lane : current) {
            try {
                lane.execute(markers::countDown);
            } catch (RejectedExecutionException stopping) {
                markers.countDown();
            }
        }
        markers.await();
    }

    private ExecutorService[] lanes() {
        if (count == 1) {
            return null;
        }
        ExecutorService[] current = lanes;
        if (current == null) {
            synchronized (this) {
                if (lanes == null && isRunAllowed()) {
                    ExecutorService[] created = new ExecutorService[count];
                    for (int i = 0; i < count; i++) {
                        created[i] = camelContext.getExecutorServiceManager().newSingleThreadExecutor(this, "obsync-lane-" + i);
                    }
                    lanes = created;
                }
                current = lanes;
            }
        }
        return current;
    }

    @Override
    protected void doStop() throws Exception {
        ExecutorService[] current;
        synchronized (this) {
            current = lanes;
            lanes = null;
        }
        if (current != null) {
            for (ExecutorService lane : List.of(current)) {
                camelContext.getExecutorServiceManager().shutdownGraceful(lane);
            }
        }
    }
}
