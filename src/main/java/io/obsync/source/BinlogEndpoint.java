package io.obsync.source;

import java.util.concurrent.atomic.AtomicInteger;

import io.obsync.config.Options;
import io.obsync.filter.ObjectSelection;
import io.obsync.sink.kafka.KafkaTransactions;
import io.obsync.state.StateStore;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.debezium.mysql.DebeziumMySqlEndpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * An {@code obsync-binlog:} endpoint: the debezium-mysql configuration plus the delivery options.
 * Every option not listed here is one of Camel's debezium-mysql endpoint and goes to it unchanged.
 */
@UriEndpoint(firstVersion = "1.0.0", scheme = "obsync-binlog", title = "obsync binlog source", syntax = "obsync-binlog:name",
        consumerOnly = true, lenientProperties = true, category = {Category.DATABASE})
public class BinlogEndpoint extends DefaultEndpoint {

    private final DebeziumMySqlEndpoint debezium;
    @UriPath(description = "The task's name (Debezium's topic.prefix)")
    @Metadata(required = true)
    private String name;
    @UriParam(description = "OceanBase tenant the binlog belongs to (the binlog does not name it)")
    private String tenant = "";
    @UriParam(label = "delivery", defaultValue = "-1", description = "How often a failed batch is sent again before the task stops; -1 for ever")
    private int sendRetries = -1;
    @UriParam(label = "delivery", defaultValue = "500", description = "First wait before a batch is sent again; doubles up to maxRetryBackoffMs")
    private long retryBackoffMs = 500;
    @UriParam(label = "delivery", defaultValue = "30000", description = "Longest wait between two sends of a failed batch")
    private long maxRetryBackoffMs = 30_000;
    @UriParam(label = "delivery", defaultValue = "300000", description = "How long a batch may wait for its acknowledgements before the task stops")
    private long ackTimeoutMs = 300_000;
    private boolean transactionBoundaries;
    @UriParam(label = "advanced", defaultValue = "10000",
            description = "Row changes of one transaction held at most while a format that numbers rows in their transaction waits for its end")
    private int transactionBufferChanges = 10_000;
    @UriParam(label = "advanced", defaultValue = "1024",
            description = "Consecutive row changes of one table and operation handed to the route as one exchange, a list of messages (1: each change alone)")
    private int batchEvents = 1024;
    @UriParam(defaultValue = "false", description = "On the first start, every row of the selected tables before the changes (full synchronization)")
    private boolean fullSync;
    @UriParam(description = "Table (database.table) for snapshot requests and chunk watermarks; set, tables are read in key chunks "
            + "while the changes stream on (full synchronization, added tables, resync)")
    private String signalTable = "";
    @UriParam(label = "advanced", defaultValue = "4096", description = "Rows per chunk when tables are read in chunks")
    private int chunkSize = 4096;
    @UriParam(label = "advanced", defaultValue = "0", description = "Chunks read at once through the signal table; 0 from the machine's cores")
    private int chunkParallelism;
    @UriParam(description = "Where the first start reads from: a past time, earliest, latest or binlog file:position")
    private String startTime = "";
    @UriParam(label = "advanced", defaultValue = "false",
            description = "Whether 1970-01-01 in a NOT NULL DATE or DATETIME column is the zero date Debezium's reader turned into it")
    private boolean notNullEpochIsZeroDate;

    BinlogEndpoint(String uri, BinlogComponent component, DebeziumMySqlEndpoint debezium) {
        super(uri, component);
        this.debezium = debezium;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("obsync-binlog is a source: use it in from:, not in to:");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        BinlogConsumer consumer = new BinlogConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** The task's name, the endpoint's path. */
    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** The debezium-mysql endpoint that holds the connector configuration. */
    public DebeziumMySqlEndpoint getDebezium() {
        return debezium;
    }

    // where the task's position and schema history are kept
    private StateStore stateStore;

    /** Where the task's position and schema history are kept (obsync.state.store). */
    public StateStore getStateStore() {
        return stateStore;
    }

    void setStateStore(StateStore stateStore) {
        this.stateStore = stateStore;
    }

    // exactly-once delivery: the Kafka transactions each batch is sent in; null for at-least-once
    private KafkaTransactions transactions;

    /** The Kafka transactions each batch is sent in (exactly-once delivery), or null. */
    public KafkaTransactions getTransactions() {
        return transactions;
    }

    void setTransactions(KafkaTransactions transactions) {
        this.transactions = transactions;
    }

    // the chunked reads' requests of the consumer started last; the backfill listener asks them
    private volatile SnapshotRequests chunkRequests;
    // dropped source connections in a row, across restarts of the route (reset by an acknowledged batch)
    private final AtomicInteger reconnects = new AtomicInteger();
    private boolean backfillRegistered;

    /**
     * Requests the rows of tables an edit of the objects file adds, through the requests of the consumer
     * started last. Registered once per endpoint: a paused task (its consumer stopped, a new one started
     * on resume) writes the request all the same, and reads it from the binlog when it resumes.
     */
    synchronized void backfillThrough(ObjectSelection selection, SnapshotRequests requests) {
        chunkRequests = requests;
        if (selection != null && !backfillRegistered) {
            backfillRegistered = true;
            selection.onReplace((before, after) -> {
                SnapshotRequests current = chunkRequests;
                if (current != null) {
                    current.backfill(before, after);
                }
            });
        }
    }

    /** Dropped source connections in a row (the route that reads the binlog starts again after each, up to a limit). */
    AtomicInteger reconnects() {
        return reconnects;
    }

    /** The signal table ({@code database.table}) when tables are read in chunks; empty otherwise. */
    public String getSignalTable() {
        return signalTable;
    }

    public void setSignalTable(String signalTable) {
        this.signalTable = signalTable == null ? "" : signalTable.trim();
    }

    /** Rows per chunk when tables are read in chunks. */
    public int getChunkSize() {
        return chunkSize;
    }

    public void setChunkSize(int chunkSize) {
        this.chunkSize = chunkSize;
    }

    /** Chunks read at once through the signal table, each over a connection of its own; 0 from the machine's cores. */
    public int getChunkParallelism() {
        return chunkParallelism;
    }

    public void setChunkParallelism(int chunkParallelism) {
        this.chunkParallelism = chunkParallelism;
    }

    /** The chunks read at once: as set, or the machine's cores, at least 2 and at most 4 (the rows of one more chunk wait in memory). */
    int chunkReaders() {
        return chunkParallelism > 0 ? chunkParallelism : Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** OceanBase tenant the binlog belongs to; the binlog itself does not name it. */
    public String getTenant() {
        return tenant;
    }

    public void setTenant(String tenant) {
        this.tenant = tenant == null ? "" : tenant;
    }

    /**
     * Whether 1970-01-01 (00:00:00) in a NOT NULL DATE or DATETIME column is read as the zero date that
     * Debezium's reader turned into it.
     */
    public boolean isNotNullEpochIsZeroDate() {
        return notNullEpochIsZeroDate;
    }

    public void setNotNullEpochIsZeroDate(boolean notNullEpochIsZeroDate) {
        this.notNullEpochIsZeroDate = notNullEpochIsZeroDate;
    }

    /** How often a failed batch is sent again before the task stops; -1 retries for ever. */
    public int getSendRetries() {
        return sendRetries;
    }

    public void setSendRetries(int sendRetries) {
        this.sendRetries = sendRetries;
    }

    public long getRetryBackoffMs() {
        return retryBackoffMs;
    }

    public void setRetryBackoffMs(long retryBackoffMs) {
        this.retryBackoffMs = retryBackoffMs;
    }

    public long getMaxRetryBackoffMs() {
        return maxRetryBackoffMs;
    }

    public void setMaxRetryBackoffMs(long maxRetryBackoffMs) {
        this.maxRetryBackoffMs = maxRetryBackoffMs;
    }

    /** How long a batch may wait for its acknowledgements before it counts as failed. */
    public long getAckTimeoutMs() {
        return ackTimeoutMs;
    }

    public void setAckTimeoutMs(long ackTimeoutMs) {
        this.ackTimeoutMs = ackTimeoutMs;
    }

    /** Whether each transaction is held until its end so its changes carry their transaction's size (set when a format needs it). */
    public boolean isTransactionBoundaries() {
        return transactionBoundaries;
    }

    public void setTransactionBoundaries(boolean transactionBoundaries) {
        this.transactionBoundaries = transactionBoundaries;
    }

    /** How many row changes of one transaction are held at most; larger transactions are released early, size unknown. */
    public int getBatchEvents() {
        return batchEvents;
    }

    public void setBatchEvents(int batchEvents) {
        if (batchEvents < 1 || batchEvents > 100_000) {
            throw new IllegalArgumentException(Options.PIPELINE_BATCH_EVENTS.key() + " is " + batchEvents
                    + ": give from 1 (each change alone) to 100000 changes per exchange.");
        }
        this.batchEvents = batchEvents;
    }

    public int getTransactionBufferChanges() {
        return transactionBufferChanges;
    }

    public void setTransactionBufferChanges(int transactionBufferChanges) {
        if (transactionBufferChanges < 1) {
            throw new IllegalArgumentException(Options.SOURCE_TRANSACTION_BUFFER_CHANGES.key() + " is " + transactionBufferChanges
                    + ": hold at least 1 change per transaction.");
        }
        this.transactionBufferChanges = transactionBufferChanges;
    }

    /** Full synchronization: on the first start, every row of the selected tables, then the changes from that moment on. */
    public boolean isFullSync() {
        return fullSync;
    }

    public void setFullSync(boolean fullSync) {
        this.fullSync = fullSync;
    }

    /** Where the first start reads from: empty for now, else epoch seconds or an ISO-8601 date-time in the past. */
    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        StartTime.parse(startTime);
        this.startTime = startTime == null ? "" : startTime.trim();
    }
}
