package io.obsync.source;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.component.debezium.mysql.DebeziumMySqlEndpoint;
import org.apache.camel.support.DefaultEndpoint;
import io.obsync.config.Options;

/** An {@code obsync-binlog:} endpoint: the debezium-mysql configuration plus the delivery options. */
public class BinlogEndpoint extends DefaultEndpoint {

    private final DebeziumMySqlEndpoint debezium;
    private String tenant = "";
    private int sendRetries = -1;
    private long retryBackoffMs = 500;
    private long maxRetryBackoffMs = 30_000;
    private long ackTimeoutMs = 300_000;
    private boolean transactionBoundaries;
    private int transactionBufferChanges = 10_000;
    private boolean fullSync;
    private String startTime = "";
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

    /** The debezium-mysql endpoint that holds the connector configuration. */
    public DebeziumMySqlEndpoint getDebezium() {
        return debezium;
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
