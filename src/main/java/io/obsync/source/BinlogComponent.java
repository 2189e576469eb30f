package io.obsync.source;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.component.debezium.mysql.DebeziumMySqlEndpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.URISupport;

/**
 * The {@code obsync-binlog:} component: every option of Camel's {@code debezium-mysql} endpoint,
 * read by a consumer that commits a binlog position only after the route acknowledged it.
 *
 * <p>Options of its own: {@code tenant}, {@code sendRetries}, {@code retryBackoffMs},
 * {@code maxRetryBackoffMs}, {@code ackTimeoutMs}. All other options go to {@code debezium-mysql}
 * unchanged, with defaults that suit a lossless OceanBase source (see {@link #SAFE_DEFAULTS}).
 */
public class BinlogComponent extends DefaultComponent {

    /** Debezium settings the product needs, applied unless the route sets them itself. */
    static final Map<String, Object> SAFE_DEFAULTS = Map.of(
            // declared column types travel with every record (formats need them)
            "columnPropagateSourceType", ".*",
            // unsigned BIGINT beyond Long.MAX_VALUE stays exact
            "bigintUnsignedHandlingMode", "precise",
            // OceanBase has no global read lock
            "snapshotLockingMode", "none",
            // Kafka-based history is Camel's default and fails without a history topic
            "schemaHistoryInternal", "io.debezium.storage.file.history.FileSchemaHistory",
            // every batch's position is written as soon as it is acknowledged: few duplicates after a crash
            "offsetFlushIntervalMs", "0",
            "maxBatchSize", "4096",
            "maxQueueSize", "16384");

    private static final String[] OWN_OPTIONS = {"tenant", "sendRetries", "retryBackoffMs", "maxRetryBackoffMs", "ackTimeoutMs"};

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Map<String, Object> own = new LinkedHashMap<>();
        for (String option : OWN_OPTIONS) {
            if (parameters.containsKey(option)) {
                own.put(option, parameters.remove(option));
            }
        }
        Map<String, Object> debezium = new LinkedHashMap<>(SAFE_DEFAULTS);
        debezium.putAll(parameters);
        parameters.clear();
        String debeziumUri = "debezium-mysql:" + remaining + "?" + URISupport.createQueryString(debezium);
        DebeziumMySqlEndpoint delegate = (DebeziumMySqlEndpoint) getCamelContext()
                .getComponent("debezium-mysql").createEndpoint(debeziumUri);
        BinlogEndpoint endpoint = new BinlogEndpoint(uri, this, delegate);
        setProperties(endpoint, own);
        return endpoint;
    }
}
