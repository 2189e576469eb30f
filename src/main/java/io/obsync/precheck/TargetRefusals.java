package io.obsync.precheck;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import io.obsync.config.Options;
import io.obsync.event.Causes;
import io.obsync.sink.kafka.KafkaSecurity;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.MessageQueue;

/** What the precheck says when a target refuses obsync: which options to check, in one line. */
final class TargetRefusals {

    private TargetRefusals() {
    }

    // a refused login or certificate says which options to check; anything else is an unreachable broker
    static String kafka(Exception e, String brokers, KafkaSecurity security) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SslAuthenticationException) {
                return "Kafka at " + brokers + " failed the TLS handshake (" + rootMessage(e) + "): " + security.tlsHint();
            }
            if (cause instanceof AuthenticationException) {
                return "Kafka at " + brokers + " refused the login (" + rootMessage(e) + "): " + security.credentialsHint();
            }
        }
        return "Kafka at " + brokers + " does not answer (" + rootMessage(e) + "): check " + Options.KAFKA_BROKERS.key() + ", "
                + Options.KAFKA_SECURITY_PROTOCOL.key() + " (" + security + ") and that the broker is up";
    }

    // the name server answers anyone; one signed request to the broker shows whether ACL accepts the keys
    // (only a failed login counts: whether the user may read the queue does not matter for sending)
    @SuppressWarnings("deprecation")
    static String rocketmqKeys(DefaultMQProducer producer,
            MessageQueue queue) {
        try {
            producer.maxOffset(queue);
            return null;
        } catch (Exception e) {
            String message = String.valueOf(Causes.root(e).getMessage());
            boolean login = message.contains("check signature failed") || message.contains("is not found") || message.contains("No accessKey");
            return login ? message.split("\\R")[0].replaceAll("\\s*For more information.*", "") : null;
        }
    }

    /** The deepest cause's class and first line, for a precheck item. */
    static String rootMessage(Throwable e) {
        Throwable root = Causes.root(e);
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage().split("\\R")[0]);
    }

    /** The RocketMQ name servers ({@code host:port;host:port}) that do not accept a connection within 5 s. */
    static List<String> unreachable(String namesrv) {
        List<String> down = new ArrayList<>();
        for (String address : namesrv.split(";")) {
            String[] hostPort = address.trim().split(":");
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 5000);
            } catch (Exception e) {
                down.add(address.trim());
            }
        }
        return down;
    }
}
