package io.obsync.source;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import io.obsync.event.TransactionBoundaries;
import io.obsync.format.JsonChangeEventFormat;
import io.obsync.sink.kafka.KafkaTransactions;
import io.obsync.state.StateStore;
import io.obsync.state.StateStores;
import org.apache.camel.Endpoint;
import org.apache.camel.component.debezium.mysql.DebeziumMySqlEndpoint;
import org.apache.camel.model.MarshalDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.dataformat.CustomDataFormat;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code obsync-binlog:} component: every option of Camel's {@code debezium-mysql} endpoint,
 * read by a consumer that commits a binlog position only after the route acknowledged it.
 *
 * <p>Options of its own: {@code tenant}, {@code sendRetries}, {@code retryBackoffMs},
 * {@code maxRetryBackoffMs}, {@code ackTimeoutMs}. All other options go to {@code debezium-mysql}
 * unchanged, with defaults that suit a lossless OceanBase source (see {@link #SAFE_DEFAULTS}).
 */
@Component("obsync-binlog")
public class BinlogComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(BinlogComponent.class);

    /** Debezium settings the product needs, applied unless the route sets them itself. */
    static final Map<String, Object> SAFE_DEFAULTS = Map.of(
            // declared column types travel with every record (formats need them)
            "columnPropagateSourceType", ".*",
            // unsigned BIGINT beyond Long.MAX_VALUE stays exact
            "bigintUnsignedHandlingMode", "precise",
            // OceanBase has no global read lock
            "snapshotLockingMode", "none",
            // every batch's position is written as soon as it is acknowledged: few duplicates after a crash
            "offsetFlushIntervalMs", "0",
            "maxBatchSize", "4096",
            // TRUNCATE TABLE arrives as Debezium's truncate event (skipped by Debezium's default)
            "skippedOperations", "none",
            "maxQueueSize", "16384");

    private static final String[] OWN_OPTIONS = {"tenant", "sendRetries", "retryBackoffMs", "maxRetryBackoffMs", "ackTimeoutMs", "transactionBufferChanges", "batchEvents",
            "fullSync", "startTime", "notNullEpochIsZeroDate", "signalTable", "chunkSize", "chunkParallelism"};

    /** Where a task keeps its state is the state store's to say (obsync.state.store), not a route's. */
    private static final List<String> STATE_OPTIONS = List.of("offsetStorage", "offsetStorageFileName", "offsetStorageTopic",
            "offsetStoragePartitions", "offsetStorageReplicationFactor", "schemaHistoryInternal", "schemaHistoryInternalFileFilename");

    /** Where the shipped routes take each required option from, so the message names what to set. */
    private static final Map<String, String> SHIPPED_PROPERTIES = Map.of(
            "databaseHostname", Options.SOURCE_HOSTNAME.key(),
            "databasePort", Options.SOURCE_PORT.key(),
            "databaseUser", Options.SOURCE_USER.key(),
            "databasePassword", Options.SOURCE_PASSWORD.key(),
            "databaseServerId", Options.SOURCE_SERVER_ID.key(),
            "topicPrefix", Options.TASK_NAME.key());

    private static String hint(String message) {
        for (Map.Entry<String, String> option : SHIPPED_PROPERTIES.entrySet()) {
            if (message != null && message.contains("'" + option.getKey() + "'")) {
                String env = option.getValue().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
                return " (set " + option.getValue() + " in application.properties or the environment variable " + env + ").";
            }
        }
        return "";
    }

    /**
     * Whether a message format the task writes numbers rows within their transaction (Maxwell,
     * SharePlex with sequence): the task's formats, and every format a route marshals with by name.
     */
    private boolean transactionBoundariesNeeded() {
        if (getCamelContext().getRegistry().findByType(TransactionBoundaries.class).stream().anyMatch(TransactionBoundaries::needsTransactionBoundaries)) {
            return true;
        }
        Model model = getCamelContext().getCamelContextExtension().getContextPlugin(Model.class);
        if (model == null) {
            return false;
        }
        for (RouteDefinition route : model.getRouteDefinitions()) {
            for (MarshalDefinition marshal : ProcessorDefinitionHelper.filterTypeInOutputs(
                    route.getOutputs(), MarshalDefinition.class)) {
                if (marshal.getDataFormatType() instanceof CustomDataFormat custom && custom.getRef() != null
                        && getCamelContext().getRegistry().lookupByName(custom.getRef()) instanceof JsonChangeEventFormat format
                        && format.needsTransactionBoundaries()) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Map<String, Object> own = new LinkedHashMap<>();
        for (String option : OWN_OPTIONS) {
            if (parameters.containsKey(option)) {
                own.put(option, parameters.remove(option));
            }
        }
        for (String option : STATE_OPTIONS) {
            if (parameters.containsKey(option)) {
                throw new IllegalArgumentException("Source endpoint obsync-binlog:" + remaining + " sets " + option + ": where a task keeps its "
                        + "position and schema history is " + Options.STATE_STORE.key() + " (with " + Options.DATA_DIR.key() + "); remove "
                        + option + " from the route.");
            }
        }
        StateStore store = StateStores.of(TaskConfig.of(getCamelContext()), remaining, null);
        Map<String, Object> debezium = new LinkedHashMap<>(SAFE_DEFAULTS);
        // the engine's offset store and schema history classes, as the state store sets them (the consumer sets the rest)
        Properties storage = new Properties();
        store.configure(storage);
        debezium.put("offsetStorage", storage.getProperty("offset.storage"));
        debezium.put("schemaHistoryInternal", storage.getProperty("schema.history.internal"));
        KafkaTransactions transactions = getCamelContext().getRegistry().findSingleByType(KafkaTransactions.class);
        // exactly-once holds each source transaction until its end, so that one Kafka transaction carries it whole
        boolean boundaries = transactionBoundariesNeeded() || transactions != null;
        if (boundaries) {
            // transaction BEGIN/END records and each change's order in its transaction
            debezium.put("provideTransactionMetadata", "true");
            LOG.info("Source {} holds each transaction until its end: the message format numbers rows within their transaction", remaining);
        }
        // Debezium emits a heartbeat when the binlog stream delivers something; on an idle source that is
        // the server's binlog heartbeat (0.8 x keep-alive). Heartbeats move the saved position and keep the
        // latency measured; without GTIDs they also close the last transaction for formats that number rows.
        long heartbeat = Long.parseLong(String.valueOf(parameters.getOrDefault("heartbeatIntervalMs", "10000")).trim());
        if (heartbeat > 0) {
            debezium.put("connectKeepAliveIntervalMs", Long.toString(Math.max(1000, heartbeat * 5 / 4)));
        }
        String signalTable = String.valueOf(own.getOrDefault("signalTable", "")).trim();
        if (!signalTable.isEmpty()) {
            // Debezium's incremental snapshot (the watermark method of DBLog): tables in key chunks between
            // two watermarks written to the signal table, each chunk reconciled with the changes streamed
            // meanwhile; its progress is part of the saved position. Notifications tell obsync where it is.
            SignalTable.parse(signalTable);
            debezium.put("signalDataCollection", signalTable);
            debezium.put("signalEnabledChannels", "source");
            debezium.put("incrementalSnapshotChunkSize", String.valueOf(own.getOrDefault("chunkSize", "4096")).trim());
            debezium.put("incrementalSnapshotWatermarkingStrategy", "insert_delete");
            debezium.put("notificationEnabledChannels", "sink");
            debezium.put("notificationSinkTopicName", SignalTable.NOTIFICATION_TOPIC);
        }
        debezium.putAll(parameters);
        parameters.clear();
        // the password comes from the configuration, not from the route, so that no route dump shows it
        if (!debezium.containsKey("databasePassword")) {
            String password = TaskConfig.of(getCamelContext()).text(Options.SOURCE_PASSWORD);
            if (!password.isEmpty()) {
                debezium.put("databasePassword", password);
            }
        }
        String debeziumUri = "debezium-mysql:" + remaining + "?" + URISupport.createQueryString(debezium);
        DebeziumMySqlEndpoint delegate;
        try {
            delegate = (DebeziumMySqlEndpoint) getCamelContext().getComponent("debezium-mysql").createEndpoint(debeziumUri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Source endpoint obsync-binlog:" + remaining + " is not configured right: "
                    + e.getMessage() + hint(e.getMessage()), e);
        }
        BinlogEndpoint endpoint = new BinlogEndpoint(uri, this, delegate);
        endpoint.setName(remaining);
        setProperties(endpoint, own);
        endpoint.setTransactionBoundaries(boundaries);
        endpoint.setStateStore(store);
        endpoint.setTransactions(transactions);
        return endpoint;
    }
}
