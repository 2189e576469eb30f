package io.obsync.sink.rocketmq;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.obsync.event.Headers;
import io.obsync.event.MessageParts;
import io.obsync.sink.Placement;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.RPCHook;

/**
 * Sends to RocketMQ with per-queue order, each message to the queue {@link Placement} gives it
 * (RocketMQ's hash of the sharding value; DDL and heartbeats to every queue of the topic).
 *
 * <p>Each queue has one sender with at most one send in flight; messages waiting for it leave
 * together as one RocketMQ batch, which keeps their order. When a send fails, the sender fails every
 * message of the same source attempt that is still waiting, so nothing behind the failure reaches
 * the broker before the source resends from the failed event on.
 */
public class RocketMqProducer extends DefaultAsyncProducer {

    private static final long QUEUE_LIST_TTL_MS = 30_000;

    private static final String[] PROPERTIES = {
        Headers.EVENT_ID, Headers.OPERATION, Headers.DATABASE, Headers.TABLE};

    private final RocketMqEndpoint endpoint;
    private final Map<MessageQueue, QueueSender> senders = new ConcurrentHashMap<>();
    private final Map<String, Queues> queuesByTopic = new ConcurrentHashMap<>();
    private volatile DefaultMQProducer producer;

    RocketMqProducer(RocketMqEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        List<Outgoing> outgoing;
        try {
            outgoing = outgoing(exchange);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        long attempt = exchange.getProperty(Headers.ATTEMPT, 0L, Long.class);
        Completion completion = new Completion(exchange, callback, outgoing.size());
        for (Outgoing out : outgoing) {
            senders.computeIfAbsent(out.queue, QueueSender::new).offer(new Item(out.message, attempt, completion));
        }
        return false;
    }

    private record Outgoing(MessageQueue queue, Message message) {
    }

    /** The RocketMQ messages of one exchange (one, or several for a list body) and their queues. */
    private List<Outgoing> outgoing(Exchange exchange) throws MQClientException, InvalidPayloadException {
        List<org.apache.camel.Message> parts = MessageParts.of(exchange);
        List<Outgoing> result = new ArrayList<>(parts.size());
        for (org.apache.camel.Message part : parts) {
            String topic = part.getHeader(Headers.TOPIC, String.class);
            List<MessageQueue> queues = queues(topic);
            String key = part.getHeader(Headers.KEY, String.class);
            String operation = part.getHeader(Headers.OPERATION, String.class);
            byte[] payload = part.getMandatoryBody(byte[].class);
            if (Placement.toEvery(operation)) {
                for (MessageQueue queue : queues) {
                    result.add(new Outgoing(queue, message(topic, key, payload, part)));
                }
                continue;
            }
            Message message = message(topic, key, payload, part);
            String placement = Placement.key(Placement.Rule.HASH, key, part.getHeader(Headers.DATABASE, String.class),
                    part.getHeader(Headers.TABLE, String.class));
            MessageQueue queue = queues.get(Placement.rocketMqQueue(placement, queues.size()));
            result.add(new Outgoing(queue, message));
        }
        return result;
    }

    private Message message(String topic, String key, byte[] payload, org.apache.camel.Message part) {
        Message message = new Message(topic, endpoint.getTag(), payload);
        if (key != null) {
            message.setKeys(key);
        }
        for (String name : PROPERTIES) {
            String value = part.getHeader(name, String.class);
            if (value != null) {
                message.putUserProperty(name, value);
            }
        }
        return message;
    }

    /** A topic's queue list as the name server gave it, and until when to use it. */
    private record Queues(List<MessageQueue> list, long expiresAt) {
    }

    // fetchPublishMessageQueues asks the name server each time: once per topic and 30 s is enough
    private List<MessageQueue> queues(String topic) throws MQClientException {
        Queues cached = queuesByTopic.get(topic);
        if (cached != null && cached.expiresAt > System.currentTimeMillis()) {
            return cached.list;
        }
        try {
            List<MessageQueue> queues = List.copyOf(producer().fetchPublishMessageQueues(topic));
            if (queues.isEmpty()) {
                throw new MQClientException("no writable queue", null);
            }
            queuesByTopic.put(topic, new Queues(queues, System.currentTimeMillis() + QUEUE_LIST_TTL_MS));
            return queues;
        } catch (MQClientException e) {
            // no route for the topic: it is missing, or no broker is registered to serve it (the broker is down)
            String brokers = registeredBrokers();
            if (brokers != null) {
                throw new IllegalStateException(brokers, e);
            }
            throw new IllegalStateException("RocketMQ topic '" + topic + "' does not exist at " + endpoint.getNamesrvAddr()
                    + " (" + e.getErrorMessage().replaceAll("\\s*\\R\\s*", " ").replaceAll("\\s*See \\S+.*$", "")
                    + "): create it as a partition-ordered topic, e.g. mqadmin updateTopic -n "
                    + endpoint.getNamesrvAddr() + " -c <cluster> -t " + topic + " -o true; the task sends it again until it exists", e);
        }
    }

    /** Why no topic route could be had when it is not the topic's fault (no broker registered, name server unreachable), else null. */
    private String registeredBrokers() {
        try {
            var cluster = producer().getDefaultMQProducerImpl().getMqClientFactory().getMQClientAPIImpl().getBrokerClusterInfo(3000);
            if (cluster.getBrokerAddrTable() == null || cluster.getBrokerAddrTable().isEmpty()) {
                return "RocketMQ name server " + endpoint.getNamesrvAddr() + " has no broker registered (the broker is down or cannot "
                        + "reach the name server): start the broker; the task sends again until it is back";
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while asking the RocketMQ name server " + endpoint.getNamesrvAddr() + " for its brokers";
        } catch (Exception e) {
            return "RocketMQ name server " + endpoint.getNamesrvAddr() + " is unreachable (" + e.getClass().getSimpleName()
                    + "): check obsync.rocketmq.namesrv and that the name server is up; the task sends again until it is back";
        }
    }

    /** A producer (not started) with the task's name servers, namespace and ACL credentials (empty access key: no ACL). */
    public static DefaultMQProducer newProducer(String group, String namesrv, String namespace, String accessKey, String secretKey,
                                                boolean messageTrace, String instanceName) {
        RPCHook acl = accessKey == null || accessKey.isEmpty() ? null : new AclClientRPCHook(new SessionCredentials(accessKey, secretKey));
        DefaultMQProducer producer = new DefaultMQProducer(group, acl, messageTrace, null);
        producer.setNamesrvAddr(namesrv);
        if (namespace != null && !namespace.isEmpty()) {
            producer.setNamespaceV2(namespace);
        }
        producer.setInstanceName(instanceName);
        return producer;
    }

    // Started on first use: a task whose tables all go to Kafka needs no name server.
    private DefaultMQProducer producer() throws MQClientException {
        DefaultMQProducer current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    DefaultMQProducer created = newProducer(endpoint.getProducerGroup(), endpoint.getNamesrvAddr(), endpoint.getNamespace(),
                            endpoint.getAccessKey(), endpoint.getSecretKey(), endpoint.isMessageTrace(),
                            "obsync-" + endpoint.getProducerGroup() + "-" + ProcessHandle.current().pid());
                    created.setSendMsgTimeout((int) endpoint.getSendTimeoutMs());
                    created.start();
                    producer = created;
                }
                current = producer;
            }
        }
        return current;
    }

    @Override
    protected void doStop() throws Exception {
        DefaultMQProducer current = producer;
        producer = null;
        if (current != null) {
            current.shutdown();
        }
        super.doStop();
    }

    /** One message waiting for its queue's sender, with the source attempt it belongs to. */
    private record Item(Message message, long attempt, Completion completion) {
    }

    /** Completes an exchange once all its messages are acknowledged or one failed. */
    private static final class Completion {
        private final Exchange exchange;
        private final AsyncCallback callback;
        private final AtomicInteger pending;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Completion(Exchange exchange, AsyncCallback callback, int count) {
            this.exchange = exchange;
            this.callback = callback;
            this.pending = new AtomicInteger(count);
        }

        void done(Throwable error) {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            if (pending.decrementAndGet() == 0) {
                Throwable first = failure.get();
                if (first != null) {
                    exchange.setException(first);
                }
                callback.done(false);
            }
        }
    }

    /** One message queue: at most one send in flight, waiting messages leave as one batch. */
    private final class QueueSender {
        private final MessageQueue queue;
        private final ArrayDeque<Item> waiting = new ArrayDeque<>();
        private boolean inFlight;
        private long failedAttempt = -1;
        private Throwable failedWith;

        QueueSender(MessageQueue queue) {
            this.queue = queue;
        }

        void offer(Item item) {
            synchronized (this) {
                if (item.attempt <= failedAttempt) {
                    // behind a failed message of the same attempt: must not overtake it
                    item.completion.done(failedWith);
                    return;
                }
                waiting.add(item);
                if (inFlight) {
                    return;
                }
            }
            sendNext();
        }

        private void sendNext() {
            List<Item> batch = new ArrayList<>();
            synchronized (this) {
                if (inFlight || waiting.isEmpty()) {
                    return;
                }
                int bytes = 0;
                while (!waiting.isEmpty() && batch.size() < endpoint.getMaxBatchMessages()) {
                    int size = waiting.peek().message.getBody().length + 256;
                    if (!batch.isEmpty() && bytes + size > endpoint.getMaxBatchBytes()) {
                        break;
                    }
                    bytes += size;
                    batch.add(waiting.poll());
                }
                inFlight = true;
            }
            SendCallback callback = new SendCallback() {
                @Override
                public void onSuccess(SendResult result) {
                    if (result.getSendStatus() == SendStatus.SEND_OK) {
                        finished(batch, null);
                    } else {
                        finished(batch, new IllegalStateException("RocketMQ broker answered " + result.getSendStatus()
                                + " for queue " + queue.getQueueId() + " of " + queue.getTopic()));
                    }
                }

                @Override
                public void onException(Throwable error) {
                    finished(batch, error);
                }
            };
            try {
                if (batch.size() == 1) {
                    producer().send(batch.get(0).message, queue, callback, endpoint.getSendTimeoutMs());
                } else {
                    List<Message> messages = new ArrayList<>(batch.size());
                    batch.forEach(i -> messages.add(i.message));
                    producer().send(messages, queue, callback, endpoint.getSendTimeoutMs());
                }
            } catch (Exception e) {
                finished(batch, e);
            }
        }

        private void finished(List<Item> batch, Throwable error) {
            List<Item> failedBehind = new ArrayList<>();
            if (error != null) {
                // the route may have changed (broker restarted or moved): ask the name server again
                queuesByTopic.remove(queue.getTopic());
            }
            synchronized (this) {
                inFlight = false;
                if (error != null) {
                    long attempt = batch.stream().mapToLong(Item::attempt).max().orElse(-1);
                    failedAttempt = Math.max(failedAttempt, attempt);
                    failedWith = error;
                    waiting.removeIf(i -> {
                        if (i.attempt <= failedAttempt) {
                            failedBehind.add(i);
                            return true;
                        }
                        return false;
                    });
                }
            }
            for (Item item : batch) {
                item.completion.done(error);
            }
            for (Item item : failedBehind) {
                item.completion.done(error);
            }
            sendNext();
        }
    }
}
