package io.obsync.verify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.impl.MQClientManager;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/** Every queue of some RocketMQ topics, from the beginning, with a lite pull consumer. */
public final class RocketMqReader implements MessageReader {

    private final DefaultLitePullConsumer consumer;
    // each queue's end (max) offset when the reader was opened, and the offset after the last message delivered from it
    private final Map<MessageQueue, Long> ends = new HashMap<>();
    private final Map<MessageQueue, Long> next = new HashMap<>();

    public RocketMqReader(String namesrv, List<String> topics) throws Exception {
        this(namesrv, "", "", topics);
    }

    /** A reader that signs its requests with ACL keys (empty access key: none). */
    public RocketMqReader(String namesrv, String accessKey, String secretKey, List<String> topics) throws Exception {
        consumer = accessKey.isEmpty() ? new DefaultLitePullConsumer("obsync_reader_" + System.nanoTime())
                : new DefaultLitePullConsumer("obsync_reader_" + System.nanoTime(),
                        new AclClientRPCHook(new SessionCredentials(accessKey, secretKey)));
        consumer.setNamesrvAddr(namesrv);
        consumer.setInstanceName("obsync-reader-" + System.nanoTime());
        consumer.setAutoCommit(false);
        // a new group reads each queue from its first message. Not assign-then-seek: the pull started at assign (from the
        // last offset) can answer after the seek and move the queue's pull offset past what the seek's pull has not
        // read yet, so that those messages are never handed over (client 5.3.3, while messages are being written)
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.start();
        List<MessageQueue> queues = new ArrayList<>();
        for (String topic : topics) {
            Collection<MessageQueue> found = consumer.fetchMessageQueues(topic);
            queues.addAll(found);
        }
        consumer.assign(queues);
        // the client's own offset query (what seekToEnd uses): how far each queue holds messages now
        var admin = MQClientManager.getInstance().getOrCreateMQClientInstance(consumer).getMQAdminImpl();
        for (MessageQueue queue : queues) {
            ends.put(queue, admin.maxOffset(queue));
            next.put(queue, admin.minOffset(queue));
        }
    }

    @Override
    public List<Delivered> poll(Duration timeout) {
        List<Delivered> out = new ArrayList<>();
        for (MessageExt m : consumer.poll(timeout.toMillis())) {
            next.merge(new MessageQueue(m.getTopic(), m.getBrokerName(), m.getQueueId()), m.getQueueOffset() + 1, Math::max);
            Map<String, String> properties = new LinkedHashMap<>();
            m.getProperties().forEach((k, v) -> {
                if (!MessageConst.STRING_HASH_SET.contains(k)) {
                    properties.put(k, v);
                }
            });
            out.add(new Delivered(m.getTopic(), m.getQueueId(), m.getQueueOffset(), m.getKeys(), properties,
                    new String(m.getBody(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Override
    public boolean atEnd() {
        for (Map.Entry<MessageQueue, Long> end : ends.entrySet()) {
            if (next.getOrDefault(end.getKey(), 0L) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.shutdown();
    }
}
