package io.obsync.sink;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** An {@code obsync-rocketmq:} endpoint: the producer's settings. */
public class RocketMqEndpoint extends DefaultEndpoint {

    private String producerGroup = "OMS";
    private String namesrvAddr;
    private String tag = "default_tag";
    private boolean messageTrace;
    private long sendTimeoutMs = 3000;
    private String namespace = "";
    private String accessKey = "";
    private String secretKey = "";
    private int maxBatchMessages = 256;
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
