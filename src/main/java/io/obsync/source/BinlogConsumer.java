package io.obsync.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.debezium.config.Configuration;
import io.debezium.connector.mysql.MySqlConnectorConfig;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.relational.RelationalTableFilters;
import io.debezium.relational.TableId;
import io.debezium.text.ParsingException;
import io.obsync.config.Options;
import io.obsync.event.Causes;
import io.obsync.event.ChangeEvent;
import io.obsync.event.DebeziumRecordConverter;
import io.obsync.event.Headers;
import io.obsync.event.MessageParts;
import io.obsync.event.Operation;
import io.obsync.event.SourcePosition;
import io.obsync.filter.ObjectSelection;
import io.obsync.filter.TaskConfigurationException;
import io.obsync.manage.TaskStatus;
import io.obsync.manage.Throttle;
import io.obsync.sink.DeliveryFailure;
import io.obsync.sink.DeliveryTargets;
import io.obsync.state.KafkaStateStore;
import io.obsync.state.StateStore;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the binlog with Debezium's batch API and keeps a whole batch in flight through the route.
 *
 * <p>A batch's position is committed only when every exchange of the batch completed without an
 * exception, which for an asynchronous Kafka or RocketMQ send means the broker acknowledged it. When
 * an exchange fails, the batch is sent again from the first failed event on, in order, with backoff;
 * nothing is ever skipped. When retries run out the task stops with its position before the failure.
 */
public class BinlogConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(BinlogConsumer.class);
    private static final String SKIP_UNPARSEABLE_DDL = "schema.history.internal.skip.unparseable.ddl";
    // how often in a row the source may drop the connection before the task stops
    private static final int SOURCE_RECONNECTS = 100;
    private static final long MAX_RECONNECT_PAUSE_MS = 30_000;

    /** Message headers every change event carries; they also travel to the broker. */

    private final BinlogEndpoint endpoint;
    private ExecutorService executor;
    private DebeziumEngine<io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord>> engine;
    private DebeziumRecordConverter converter;
    private RelationalTableFilters filters;
    private TaskStatus status;
    // numbers and holds each transaction when a format needs transaction sizes; null otherwise
    private TransactionAssembler<Read> transactions;
    // after a restart inside a transaction: the changes of it that were delivered before; null once past it
    private TransactionResume resume;
    // Debezium's table filters, saved beside a coordinate inside a transaction (see TransactionResume)
    private String readFilter = "";
    // the latest streamed change read, which ties the records after it to their transaction's start
    private SourcePosition lastChange;
    // numbers each pass of a batch through the route, so sinks can tell a resend from what it replaces
    private final AtomicLong attempts = new AtomicLong();

    private final BooleanSupplier running = this::isRunAllowed;
    // the brokers a failed send names (the task's configuration binds them)
    private DeliveryTargets targets;
    // the latest failed send's meaning, read by the resend loop
    private volatile DeliveryFailure lastFailure;
    // logs full synchronization's progress while it runs; null otherwise
    private FullSyncProgress progress;
    // tables read in key chunks, read-only (GTIDs) or through the signal table (see ChunkedReads); null otherwise
    private SnapshotRequests chunks;
    // the chunked reads' notifications
    private ChunkNotifications notifications;
    // read-only chunked reads: the full synchronization requested in memory, saved with each position until Debezium's offset has it
    private String fullSyncSeed;
    // sends batches and saves their positions, as the task's delivery guarantee says
    private BatchDelivery delivery;
    // the throttle step's limits, which size the batches; null without one
    private Throttle throttle;
    // DDL statements Debezium's parser cannot read: skipped or the task stops (obsync.source.skip-unparseable-ddl)
    private UnreadableDdl unreadableDdl;
    // tables read in chunks through the signal table, by obsync itself; null otherwise
    private ChunkReader reader;

    BinlogConsumer(BinlogEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        status = getEndpoint().getCamelContext().getRegistry().findSingleByType(TaskStatus.class);
        if (status == null) {
            status = new TaskStatus();
        }
        throttle = getEndpoint().getCamelContext().getRegistry().findSingleByType(Throttle.class);
        converter = new DebeziumRecordConverter(endpoint.getTenant(), endpoint.isNotNullEpochIsZeroDate());
        targets = getEndpoint().getCamelContext().getRegistry().findSingleByType(DeliveryTargets.class);
        if (targets == null) {
            targets = DeliveryTargets.UNKNOWN;
        }
        BatchDelivery.Transactions kafkaTransactions = endpoint.getTransactions() == null ? null
                : BatchDelivery.Transactions.of(endpoint.getTransactions(), (KafkaStateStore) endpoint.getStateStore());
        delivery = new BatchDelivery(BatchDelivery.Settings.of(endpoint), status, new BatchDelivery.Route() {
            @Override
            public int send(ChangeEvent[] events, int from, int to) throws InterruptedException {
                return sendInOrder(events, from, to);
            }

            @Override
            public DeliveryFailure lastFailure() {
                return lastFailure;
            }

            @Override
            public boolean running() {
                return isRunAllowed();
            }
        }, kafkaTransactions, targets);
        if (endpoint.isTransactionBoundaries()) {
            transactions = new TransactionAssembler<>(endpoint.getTransactionBufferChanges(), r -> converter.transactionEnd(r.record().value()));
        }
        Configuration configuration = endpoint.getDebezium().getConfiguration().createDebeziumConfiguration();
        filters = new MySqlConnectorConfig(configuration).getTableFilters();
        Properties properties = configuration.asProperties();
        // Debezium hands every statement it cannot parse over unread; obsync decides per statement (UnreadableDdl)
        unreadableDdl = new UnreadableDdl(Boolean.parseBoolean(properties.getProperty(SKIP_UNPARSEABLE_DDL, "false")));
        properties.setProperty(SKIP_UNPARSEABLE_DDL, "true");
        // Kafka Connect ignores these since 3.0 and warns about them; Camel still sets them
        properties.remove("internal.key.converter");
        properties.remove("internal.value.converter");
        StateStore store = endpoint.getStateStore();
        store.configure(properties);
        Map<String, Object> saved;
        try {
            store.prepare();
            if (endpoint.getTransactions() != null) {
                // exactly-once: fences every older instance of the task before its position is read, so none commits after this read
                delivery.openTransactions();
            }
            readFilter = TransactionResume.filter(properties);
            saved = store.check();
            resume = TransactionResume.of(saved, readFilter);
            if (resume == null && TransactionResume.of(saved, Objects.toString(saved == null ? null : saved.get(TransactionResume.FILTER_KEY), "")) != null) {
                LOG.warn("The task stopped inside a transaction while other tables were read ({}); that transaction is sent again whole",
                        saved.get(TransactionResume.FILTER_KEY));
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            // a state that cannot be read or a store that cannot be used: one line, and the task does not start
            LOG.error("Task stopped: {}", e.getMessage());
            status.failed(e.getMessage());
            throw e;
        }
        lastChange = null;
        if (resume != null) {
            LOG.info("Resuming at the start of transaction {}; its changes up to event {} row {} were delivered and are not sent again",
                    resume.transaction(), resume.event(), resume.row());
        }
        ObjectSelection selection = getEndpoint().getCamelContext().getRegistry().findSingleByType(ObjectSelection.class);
        chunks = ChunkedReads.open(endpoint, properties, filters, selection, () -> engine);
        if (chunks != null && !chunks.readOnly()) {
            reader = new ChunkReader((Properties) properties.clone(), endpoint.getTenant(), endpoint.isNotNullEpochIsZeroDate(), chunks.signals(),
                    endpoint.getChunkSize(), endpoint.chunkReaders(), new EngineSignals(() -> engine));
            reader.resume(saved == null ? null : saved.get(ChunkReader.PROGRESS_KEY));
        }
        if (chunks != null) {
            endpoint.backfillThrough(selection, chunks);
            getEndpoint().getCamelContext().getRegistry().bind("obsyncSnapshotRequests", chunks);
        }
        FirstRead firstRead = new FirstRead(endpoint, filters, selection, chunks);
        status.phase(firstRead.prepare(properties));
        fullSyncSeed = firstRead.fullSyncSeed();
        notifications = new ChunkNotifications(status, endpoint.isFullSync() && chunks != null);
        if (reader != null) {
            notifications.onOnePassCompleted(reader::onePassCompleted);
        }
        progress = status.getPhase() == TaskStatus.Phase.FULL ? new FullSyncProgress(status, firstRead.estimateRows()) : null;
        engine = DebeziumEngine.create(Connect.class)
                .using(properties)
                .using(this::engineStopped)

                .notifying(this::handleBatch)
                .build();
        executor = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this, "obsync-binlog");
        executor.execute(engine);
        if (reader != null) {
            reader.start();
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (reader != null) {
            reader.close();
            reader = null;
        }
        if (engine != null) {
            engine.close();
            engine = null;
        }
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
        if (status != null) {
            status.stopped();
        }
        super.doStop();
    }

    private void engineStopped(boolean success, String message, Throwable error) {
        if (!isRunAllowed()) {
            return;
        }
        SourceStop stop = SourceStop.classify(error, message, sourceAddress());
        int reconnects = endpoint.reconnects().incrementAndGet();
        if (stop.kind() == SourceStop.Kind.CONNECTION_LOST && reconnects <= SOURCE_RECONNECTS) {
            // the route starts again: a new engine reads from the saved position, with what was delivered of its transaction
            // held back as at any start (Debezium's own retries would restart its task without telling obsync)
            long pause = Math.min(MAX_RECONNECT_PAUSE_MS, 1000L << Math.min(reconnects - 1, 5));
            LOG.warn("{}, in {} ms (reconnect {} of {} in a row)", stop.message(), pause, reconnects, SOURCE_RECONNECTS);
            String route = getRouteId();
            Thread restarter = new Thread(() -> {
                try {
                    Thread.sleep(pause);
                    if (!getEndpoint().getCamelContext().getStatus().isStarted()) {
                        // the task is stopping meanwhile
                        return;
                    }
                    var routes = getEndpoint().getCamelContext().getRouteController();
                    routes.stopRoute(route);
                    routes.startRoute(route);
                } catch (Exception e) {
                    LOG.error("Task stopped: the source could not start again after a dropped connection ({})", e.getMessage());
                    stopTask(stop.message() + "; starting again failed: " + e.getMessage());
                }
            }, "obsync-source-reconnect");
            restarter.setDaemon(true);
            restarter.start();
            return;
        }
        // The engine ended while the route should be running: the task is dead, say so and stop.
        if (stop.kind() == SourceStop.Kind.SOURCE || stop.kind() == SourceStop.Kind.CONNECTION_LOST) {
            LOG.error("Task stopped: {}", stop.message(), error);
        } else {
            LOG.error("Task stopped: {}", stop.message());
        }
        stopTask(stop.message());
    }

    /** The task is dead: its status says why, and Camel stops (the process exits with the failure). */
    private void stopTask(String reason) {
        status.failed(reason);
        Thread stopper = new Thread(() -> {
            try {
                getEndpoint().getCamelContext().stop();
            } catch (Exception e) {
                LOG.warn("Stopping Camel after the source failed did not complete", e);
            }
        }, "obsync-stop-after-failure");
        stopper.setDaemon(false);
        stopper.start();
    }

    private String sourceAddress() {
        var configuration = endpoint.getDebezium().getConfiguration();
        return configuration.getDatabaseHostname() + ":" + configuration.getDatabasePort();
    }

    /** A record read from the binlog and the latest streamed change read up to it (which ties it to its transaction). */
    record Read(io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord> record, SourcePosition lastChange, String chunks) {
    }

    void handleBatch(List<io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord>> records,
                     DebeziumEngine.RecordCommitter<io.debezium.engine.ChangeEvent<SourceRecord, SourceRecord>> committer)
            throws InterruptedException {
        status.running();
        status.read(records.size());
        if (chunks != null) {
            // requests made before the engine ran (read-only chunked reads)
            chunks.flush();
        }
        if (reader != null) {
            reader.flush();
            if (reader.failure() != null) {
                throw new IllegalStateException("Task stopped: " + reader.failure());
            }
        }
        List<TransactionAssembler.Entry<Read>> entries = new ArrayList<>(records.size());
        boolean snapshotEnded = false;
        // a DDL statement the task stops at: the records before it are sent and committed first
        ParsingException stopAt = null;
        for (var record : records) {
            if (SignalTable.NOTIFICATION_TOPIC.equals(record.value().topic())) {
                notifications.accept(record.value());
                continue;
            }
            if (fullSyncSeed != null && SignalTable.requestId(SignalTable.FULL_SYNC_PREFIX, fullSyncSeed)
                    .equals(record.value().sourceOffset().get(FirstRead.CHUNKS_REQUEST_KEY))) {
                fullSyncSeed = null;
            }
            ChangeEvent event = converter.convert(record.value());
            UnreadableDdl.Decision ddl = unreadableDdl.decide(event);
            if (ddl == UnreadableDdl.Decision.STOP) {
                stopAt = UnreadableDdl.parseError(event.ddl());
                break;
            }
            if (ddl != UnreadableDdl.Decision.READ) {
                LOG.warn("Skipped a DDL statement the parser cannot read ({}): {}", ddl == UnreadableDdl.Decision.SKIP_HARMLESS
                        ? "it changes no column" : Options.SOURCE_SKIP_UNPARSEABLE_DDL.key() + "=true; the table's structure the task knows may "
                        + "be wrong", event.ddl());
            }
            ChunkReader.Emission emission = null;
            if (event != null && chunks != null && chunks.signals() != null && chunks.signals().holds(event.database(), event.table())) {
                // the requests and watermarks of chunked reads are obsync's own rows; a chunk's rows sent at its
                // watermark are saved at the watermark's coordinate
                if (reader != null && isStreamedChange(event)) {
                    lastChange = event.position();
                }
                emission = reader == null || event.operation() != Operation.INSERT ? null : reader.signal(event);
                event = null;
            }
            if (reader != null && event != null && event.operation().isRowChange() && event.operation() != Operation.ROW) {
                reader.streamed(event);
            }
            if (event != null && isStreamedChange(event)) {
                lastChange = event.position();
                if (resume != null && resume.delivered(event.position())) {
                    // read again from its transaction's start after a restart; the broker has it already
                    event = null;
                } else if (resume != null && resume.passedBy(event.position())) {
                    resume = null;
                }
            }
            boolean selected = event != null && selected(event);
            if (selected && event.table() != null) {
                status.eventIn(event.database(), event.table(), event.operation() == Operation.ROW);
            }
            if (status.getPhase() == TaskStatus.Phase.SCHEMA || status.getPhase() == TaskStatus.Phase.FULL && !notifications.fullSyncInChunks()) {
                snapshotEnded |= DebeziumRecordConverter.snapshotEnd(record.value()) || !snapshotRecord(record.value());
            }
            String progress = reader == null ? null : reader.progress();
            entries.add(new TransactionAssembler.Entry<>(new Read(record, lastChange, progress), selected ? event : null));
            if (emission != null) {
                // the chunk's rows at its watermark; the last of them carries the progress past the chunk
                List<ChangeEvent> rows = emission.rows();
                for (int i = 0; i < rows.size(); i++) {
                    ChangeEvent row = rows.get(i);
                    status.eventIn(row.database(), row.table(), true);
                    entries.add(new TransactionAssembler.Entry<>(new Read(record, lastChange, i == rows.size() - 1 ? emission.progressAfter() : progress), row));
                }
            }
        }
        // positions up to here may be committed once acknowledged (a transaction sent early is committed when complete)
        int committable = entries.size();
        if (transactions != null) {
            var release = transactions.offer(entries);
            entries = release.ready();
            committable = release.committable();
            if (endpoint.getTransactions() != null && committable < entries.size()) {
                delivery.warnSplit(entries.get(committable).record().lastChange());
            }
        }
        int size = entries.size();
        ChangeEvent[] events = new ChangeEvent[size];
        for (int i = 0; i < size; i++) {
            events[i] = entries.get(i).event();
        }
        Commits commits = new Commits(entries, committer, readFilter, fullSyncSeed);
        delivery.deliver(events, size, committable, commits);
        commits.finish();
        if (stopAt != null) {
            throw stopAt;
        }
        ChangeEvent last = null;
        int rowChanges = 0;
        for (ChangeEvent event : events) {
            if (event != null) {
                last = event;
                rowChanges += event.operation().isRowChange() ? 1 : 0;
            }
        }
        endpoint.reconnects().set(0);
        status.acknowledged(size, rowChanges, last == null ? null : last.position(), last == null ? 0 : last.commitTimeMillis());
        snapshotEnded |= notifications.fullSyncCompleted() || reader != null && reader.fullSyncCompleted();
        if (progress != null && status.getPhase() == TaskStatus.Phase.FULL) {
            progress.log(snapshotEnded);
        }
        if (snapshotEnded) {
            status.phase(TaskStatus.Phase.INCREMENTAL);
        }
    }

    /** A change the binlog stream carries (row change, TRUNCATE, DDL), as opposed to a snapshot row or a heartbeat. */
    private static boolean isStreamedChange(ChangeEvent event) {
        return event.operation() != Operation.ROW && event.operation() != Operation.HEARTBEAT && event.position() != null;
    }

    /** Whether the snapshot (full synchronization or the structure read at the start position) sent a record. */
    private static boolean snapshotRecord(SourceRecord record) {
        return FirstRead.snapshotInProgress(record.sourceOffset());
    }

    /**
     * Debezium filters row events by the include and exclude lists, but hands over the DDL of every
     * database it sees; the DDL of a table outside the selection must not be sent either.
     */
    private boolean selected(ChangeEvent event) {
        if (event.operation() != Operation.DDL || event.database() == null) {
            return true;
        }
        if (!filters.databaseFilter().test(event.database())) {
            return false;
        }
        return event.table() == null || filters.dataCollectionFilter().isIncluded(new TableId(event.database(), null, event.table()));
    }

    /** What a failed send means: for the broker the exchange went to, with its topic. */
    private DeliveryFailure classify(Throwable error, Exchange exchange) {
        Message message = exchange == null ? null : exchange.getMessage();
        boolean rocketmq = message != null && "rocketmq".equals(message.getHeader(Headers.TARGET, String.class));
        String topic = message == null ? null : message.getHeader(Headers.TOPIC, String.class);
        return targets.classify(error, rocketmq, topic);
    }

    /**
     * Sends events[from..to) through the route, all in flight at once; returns the first failed index, or -1.
     * Consecutive row changes of one table and operation go as one exchange, a list of messages (at most
     * batchEvents of them); a failed exchange fails from its first event on.
     */
    private int sendInOrder(ChangeEvent[] events, int from, int to) throws InterruptedException {
        lastFailure = null;
        // under a throttle a batch is at most a tenth of a second's allowance: it leaves whole
        int batch = throttle == null ? endpoint.getBatchEvents() : Math.min(endpoint.getBatchEvents(), throttle.changesPerExchange());
        // each exchange's first index and its length; a null event stands alone
        int[] starts = new int[to - from];
        int[] lengths = new int[to - from];
        int exchanges = 0;
        for (int i = from; i < to; ) {
            int length = 1;
            ChangeEvent first = events[i];
            if (batch > 1 && first != null && first.operation().isRowChange()) {
                while (length < batch && i + length < to && sameRun(first, events[i + length])) {
                    length++;
                }
            }
            starts[exchanges] = i;
            lengths[exchanges++] = length;
            i += length;
        }
        Acknowledgements acks = new Acknowledgements(exchanges);
        long attempt = attempts.incrementAndGet();
        for (int x = 0; x < exchanges; x++) {
            int index = starts[x];
            int length = lengths[x];
            ChangeEvent event = events[index];
            if (event == null) {
                acks.done(index, null, null);
                continue;
            }
            Exchange exchange = createExchange(false);
            exchange.setProperty(Headers.ATTEMPT, attempt);
            exchange.setProperty(Headers.SOURCE_RUNNING, running);
            List<Message> parts;
            if (endpoint.getBatchEvents() == 1) {
                exchange.getIn().setBody(event);
                MessageParts.describe(exchange.getIn(), event);
                parts = null;
            } else {
                parts = MessageParts.batch(exchange, Arrays.asList(events).subList(index, index + length));
            }
            try {
                getAsyncProcessor().process(exchange, doneSync -> {
                    count(exchange, parts, event);
                    acks.done(index, exchange.getException(), exchange);
                });
            } catch (Throwable e) {
                acks.done(index, e, exchange);
            }
        }
        return acks.await(endpoint.getAckTimeoutMs());
    }

    /** Whether the next event joins the exchange of the run that starts with first: a row change of its table and operation. */
    private static boolean sameRun(ChangeEvent first, ChangeEvent next) {
        return next != null && next.operation() == first.operation() && Objects.equals(next.table(), first.table())
                && Objects.equals(next.database(), first.database());
    }

    /** Per table and topic: a message that ended without a topic, dropped by a step or stopped on the way was filtered, else it went out. */
    private void count(Exchange exchange, List<Message> parts, ChangeEvent event) {
        if (event.table() == null || exchange.getException() != null) {
            return;
        }
        if (parts == null) {
            String topic = exchange.getMessage().getHeader(Headers.TOPIC, String.class);
            count(event, topic, exchange.isRouteStop() || topic == null);
            return;
        }
        for (Message part : parts) {
            String topic = part.getHeader(Headers.TOPIC, String.class);
            count(event, topic, exchange.isRouteStop() || topic == null || part.getHeader(Headers.FILTERED) != null);
        }
    }

    private void count(ChangeEvent event, String topic, boolean filtered) {
        if (filtered) {
            status.eventFiltered(event.database(), event.table(), topic);
        } else {
            status.eventOut(event.database(), event.table(), topic);
        }
    }

    /** Completion of one batch's exchanges, and the earliest one that failed. */
    private final class Acknowledgements {
        private final CountDownLatch pending;
        private final AtomicInteger firstFailed = new AtomicInteger(Integer.MAX_VALUE);
        private final AtomicReference<Throwable> firstError = new AtomicReference<>();

        Acknowledgements(int count) {
            this.pending = new CountDownLatch(count);
        }

        void done(int index, Throwable error, Exchange exchange) {
            if (error != null) {
                firstFailed.accumulateAndGet(index, Math::min);
                DeliveryFailure failure = classify(error, exchange);
                if (firstError.compareAndSet(null, error)) {
                    LOG.warn("Delivery failed: {}", failure.message());
                }
                lastFailure = failure;
                status.sendFailed(failure.message());
            }
            pending.countDown();
        }

        int await(long timeoutMs) throws InterruptedException {
            if (!pending.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("a batch was not acknowledged within " + timeoutMs
                        + " ms (ackTimeoutMs); the task stops at the position before it");
            }
            int failed = firstFailed.get();
            // a configuration fault that shows only now (a row filter naming a column the table lacks) is not
            // cured by resending: stop the task with its message, the position before the event
            TaskConfigurationException configuration = Causes.find(firstError.get(), TaskConfigurationException.class);
            if (configuration != null) {
                throw new IllegalStateException(configuration.getMessage(), configuration);
            }
            return failed == Integer.MAX_VALUE ? -1 : failed;
        }
    }
}
