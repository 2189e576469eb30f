package io.obsync.sink;

import java.net.ConnectException;

import io.obsync.config.Options;
import io.obsync.event.Causes;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.remoting.exception.RemotingConnectException;
import org.apache.rocketmq.remoting.exception.RemotingSendRequestException;
import org.apache.rocketmq.remoting.exception.RemotingTimeoutException;
import org.apache.rocketmq.remoting.exception.RemotingTooMuchRequestException;
import org.apache.rocketmq.remoting.protocol.ResponseCode;

/**
 * What a failed send means, said in one line with the fix, and whether resending can cure it: the
 * one place that reads the Kafka and RocketMQ clients' exceptions. An unreachable broker and a
 * missing topic are resent until they recover; refused credentials and a message larger than the
 * broker accepts stop the task before the change (it is never skipped).
 *
 * @param kind    the kind of failure
 * @param message one line: what happened, to which topic at which broker, and what to do
 */
public record DeliveryFailure(Kind kind, String message) {

    /** The kinds a user acts on differently. */
    public enum Kind {
        UNREACHABLE(true), TOPIC_MISSING(true), AUTHENTICATION(false), TOO_LARGE(false), FENCED(false), OTHER(true);

        private final boolean recoverable;

        Kind(boolean recoverable) {
            this.recoverable = recoverable;
        }
    }

    /** Whether sending the change again can succeed without the user changing anything but the target. */
    public boolean recoverable() {
        return kind.recoverable;
    }

    /**
     * @param error   the exception the send ended with
     * @param target  "kafka" or "rocketmq"
     * @param topic   the message's topic, or null when it was not decided yet
     * @param brokers Kafka's bootstrap servers or RocketMQ's name servers, for the message
     */
    public static DeliveryFailure classify(Throwable error, String target, String topic, String brokers) {
        boolean rocketmq = "rocketmq".equals(target);
        String system = rocketmq ? "RocketMQ" : "Kafka";
        String where = system + (brokers == null || brokers.isBlank() ? "" : " at " + brokers);
        String what = topic == null ? "a message" : "a message for " + system + " topic '" + topic + "'";
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof ProducerFencedException) {
                return new DeliveryFailure(Kind.FENCED, where + " fenced this instance's transactions (" + oneLine(e) + "): another instance "
                        + "of the task started and took over; this one stops without sending or saving anything more");
            }
            if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException || responseCode(e) == ResponseCode.MESSAGE_ILLEGAL) {
                return new DeliveryFailure(Kind.TOO_LARGE, capitalized(what) + " is larger than " + where + " accepts (" + oneLine(e)
                        + "): " + (rocketmq ? "raise the broker's maxMessageSize" : "raise obsync.kafka.max-request-size and the topic's max.message.bytes")
                        + ", or leave the large column out (columns in the objects file), then start the task again; it stopped before this change");
            }
            if (e instanceof AuthenticationException || e instanceof AuthorizationException || responseCode(e) == ResponseCode.NO_PERMISSION
                    || e.getClass().getSimpleName().equals("AclException")) {
                return new DeliveryFailure(Kind.AUTHENTICATION, where + " refused " + what + " (" + oneLine(e) + "): "
                        + (rocketmq ? "check " + Options.ROCKETMQ_ACCESS_KEY.key() + " and " + Options.ROCKETMQ_SECRET_KEY.key()
                                + " and the ACL's permission to publish to the topic"
                                : e instanceof SslAuthenticationException ? "check " + Options.KAFKA_SSL_TRUSTSTORE_LOCATION.key()
                                + " (a trust store holding the CA of the broker's certificate) and " + Options.KAFKA_SSL_VERIFY_HOSTNAME.key()
                                : e instanceof AuthenticationException ? "check " + Options.KAFKA_SASL_USERNAME.key() + ", "
                                + Options.KAFKA_SASL_PASSWORD.key() + " and " + Options.KAFKA_SASL_MECHANISM.key()
                                : "check that the principal may write to the topic (and IDEMPOTENT_WRITE on the cluster)")
                        + ", then start the task again; it stopped before this change");
            }
            if (e instanceof UnknownTopicOrPartitionException || responseCode(e) == ResponseCode.TOPIC_NOT_EXIST) {
                return new DeliveryFailure(Kind.TOPIC_MISSING, (topic == null ? "The topic" : system + " topic '" + topic + "'")
                        + " does not exist" + (brokers == null || brokers.isBlank() ? "" : " at " + brokers) + ": create it"
                        + (rocketmq ? " as a partition-ordered topic (mqadmin updateTopic -o true)" : " (or turn schema sync on)")
                        + "; the task sends it again until it exists");
            }
            if (e instanceof RemotingConnectException || e instanceof RemotingTimeoutException || e instanceof RemotingSendRequestException
                    || e instanceof RemotingTooMuchRequestException || e instanceof TimeoutException
                    || e instanceof ConnectException) {
                return new DeliveryFailure(Kind.UNREACHABLE, where + " did not take " + what + " (" + oneLine(e) + "): the broker is down "
                        + "or unreachable from here; the task sends it again until the broker is back");
            }
            if ((e instanceof IllegalStateException || e instanceof IllegalArgumentException)
                    && Causes.find(e, AuthenticationException.class) == null) {
                // obsync's own one-line errors (a missing topic found before the send) keep their words;
                // a refused login under them (a topic lookup that could not log in) is said as such
                return new DeliveryFailure(Kind.OTHER, oneLine(e));
            }
        }
        Throwable root = Causes.root(error);
        boolean transientFailure = root instanceof RetriableException;
        return new DeliveryFailure(transientFailure ? Kind.UNREACHABLE : Kind.OTHER, where + " did not take " + what + " (" + oneLine(error)
                + (root != error ? "; " + oneLine(root) : "") + "); the task sends it again");
    }

    private static int responseCode(Throwable e) {
        if (e instanceof MQClientException client) {
            return client.getResponseCode();
        }
        if (e instanceof MQBrokerException broker) {
            return broker.getResponseCode();
        }
        return -1;
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    // client messages run over several lines and may carry a documentation link: the status line is one line
    private static String oneLine(Throwable e) {
        String text = e instanceof MQClientException client && client.getErrorMessage() != null ? client.getErrorMessage()
                : e instanceof MQBrokerException broker && broker.getErrorMessage() != null ? broker.getErrorMessage()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        text = text.replaceAll("\\s*\\R\\s*", " ").replaceAll("\\s*For more information, please visit the url, \\S+", "").trim();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
