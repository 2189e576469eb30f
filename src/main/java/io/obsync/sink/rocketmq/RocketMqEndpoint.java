package io.obsync.sink.rocketmq;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** An {@code obsync-rocketmq:} endpoint: the producer's settings. */
@UriEndpoint(firstVersion = "1.0.0", scheme = "obsync-rocketmq", title = "obsync RocketMQ", syntax = "obsync-rocketmq:producerGroup",
        producerOnly = true, category = {Category.MESSAGING})
public class RocketMqEndpoint extends DefaultEndpoint {

    @UriPath(description = "RocketMQ producer group", defaultValue = "OMS")
    private String producerGroup = "OMS";
    @UriParam(description = "Name server addresses, separated by ';'")
    @Metadata(required = true)
    private String namesrvAddr;
    @UriParam(description = "The tag every message carries", defaultValue = "default_tag")
    private String tag = "default_tag";
    @UriParam(description = "RocketMQ message tracing (trace records to the broker's trace topic)", defaultValue = "false")
    private boolean messageTrace;
    @UriParam(description = "How long one send may take before it counts as failed (the source then resends)", defaultValue = "3000")
    private long sendTimeoutMs = 3000;
    @UriParam(description = "Namespace of the topics and producer group (empty: none)")
    private String namespace = "";
    @UriParam(label = "security", secret = true, description = "ACL access key (empty: no ACL)")
    private String accessKey = "";
    @UriParam(label = "security", secret = true, description = "ACL secret key; never logged")
    private String secretKey = "";
    @UriParam(label = "advanced", description = "Most messages one send to a queue carries", defaultValue = "1024")
    private int maxBatchMessages = 1024;
    @UriParam(label = "advanced", description = "Most bytes one send to a queue carries", defaultValue = "1048576")
    private int maxBatchBytes = 1024 * 1024;

    RocketMqEndpoint(String uri, RocketMqComponent component) {
        super(uri, component);
    }

    @Override
    public Producer createProducer() {
        if (namesrvAddr == null || namesrvAddr.isBlank()) {
            throw new IllegalArgumentException("RocketMQ name server address is empty: set obsync.rocketmq.namesrv (host:port;host:port).");
        }
        return new RocketMqProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("obsync-rocketmq sends messages; it does not consume them");
    }

    public String getProducerGroup() {
        return producerGroup;
    }

    public void setProducerGroup(String producerGroup) {
        this.producerGroup = producerGroup;
    }

    /** Name server addresses, separated by ';'. */
    public String getNamesrvAddr() {
        return namesrvAddr;
    }

    public void setNamesrvAddr(String namesrvAddr) {
        this.namesrvAddr = namesrvAddr;
    }

    public String getTag() {
        return tag;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }

    public boolean isMessageTrace() {
        return messageTrace;
    }

    public void setMessageTrace(boolean messageTrace) {
        this.messageTrace = messageTrace;
    }

    public long getSendTimeoutMs() {
        return sendTimeoutMs;
    }

    public void setSendTimeoutMs(long sendTimeoutMs) {
        this.sendTimeoutMs = sendTimeoutMs;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace == null ? "" : namespace;
    }

    public String getAccessKey() {
        return accessKey;
    }

    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey == null ? "" : accessKey;
    }

    /** Never logged. */
    public String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey == null ? "" : secretKey;
    }

    /** Most messages one send to a queue carries (RocketMQ batch send keeps their order). */
    public int getMaxBatchMessages() {
        return maxBatchMessages;
    }

    public void setMaxBatchMessages(int maxBatchMessages) {
        this.maxBatchMessages = Math.max(1, maxBatchMessages);
    }

    public int getMaxBatchBytes() {
        return maxBatchBytes;
    }

    public void setMaxBatchBytes(int maxBatchBytes) {
        this.maxBatchBytes = maxBatchBytes;
    }
}
