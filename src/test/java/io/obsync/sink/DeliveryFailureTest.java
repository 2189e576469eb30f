package io.obsync.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;

import io.obsync.sink.DeliveryFailure.Kind;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.remoting.exception.RemotingConnectException;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.junit.jupiter.api.Test;

/** The failures a user acts on differently are told apart, each in one line with the fix. */
class DeliveryFailureTest {

    private static DeliveryFailure kafka(Throwable error) {
        // camel-kafka hands over the producer's exception, sometimes wrapped
        return DeliveryFailure.classify(new ExecutionException(error), "kafka", "Topic_shop_orders", "10.0.0.1:9092");
    }

    private static DeliveryFailure rocketmq(Throwable error) {
        return DeliveryFailure.classify(error, "rocketmq", "orders", "10.0.0.2:9876");
    }

    @Test
    void kafkaFailuresAreToldApart() {
        DeliveryFailure tooLarge = kafka(new RecordTooLargeException("The message is 2097152 bytes when serialized which is larger than 1048576"));
        assertThat(tooLarge.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(tooLarge.recoverable()).isFalse();
        assertThat(tooLarge.message()).contains("Topic_shop_orders").contains("10.0.0.1:9092").contains("obsync.kafka.max-request-size");

        assertThat(kafka(new SaslAuthenticationException("Authentication failed: Invalid username or password")).kind()).isEqualTo(Kind.AUTHENTICATION);
        DeliveryFailure denied = kafka(new TopicAuthorizationException("Not authorized to access topics: [Topic_shop_orders]"));
        assertThat(denied.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(denied.recoverable()).isFalse();
        assertThat(denied.message()).contains("may write to the topic");

        DeliveryFailure missing = kafka(new UnknownTopicOrPartitionException("This server does not host this topic-partition."));
        assertThat(missing.kind()).isEqualTo(Kind.TOPIC_MISSING);
        assertThat(missing.recoverable()).isTrue();
        assertThat(missing.message()).startsWith("Kafka topic 'Topic_shop_orders' does not exist at 10.0.0.1:9092: create it");

        DeliveryFailure down = kafka(new TimeoutException("Expiring 12 record(s) for Topic_shop_orders-0:6001 ms has passed since batch creation"));
        assertThat(down.kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(down.recoverable()).isTrue();
        assertThat(down.message()).contains("the broker is down or unreachable").doesNotContain("create");
    }

    @Test
    void rocketmqFailuresAreToldApart() {
        DeliveryFailure tooLarge = rocketmq(new MQClientException(ResponseCode.MESSAGE_ILLEGAL, "the message body size over max value, MAX: 4194304"));
        assertThat(tooLarge.kind()).isEqualTo(Kind.TOO_LARGE);
        assertThat(tooLarge.message()).contains("maxMessageSize");

        DeliveryFailure refused = rocketmq(new MQBrokerException(ResponseCode.NO_PERMISSION, "No permission for topic orders", "10.0.0.3:10911"));
        assertThat(refused.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(refused.message()).contains("obsync.rocketmq.access-key");

        assertThat(rocketmq(new MQBrokerException(ResponseCode.TOPIC_NOT_EXIST, "topic[orders] not exist")).kind()).isEqualTo(Kind.TOPIC_MISSING);

        DeliveryFailure down = rocketmq(new MQClientException("Send [3] times, still failed", new RemotingConnectException("10.0.0.3:10911")));
        assertThat(down.kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(down.message()).contains("RocketMQ at 10.0.0.2:9876").contains("down or unreachable").doesNotContain("partition-ordered");
    }

    @Test
    void obsyncsOwnOneLineErrorsKeepTheirWords() {
        DeliveryFailure own = kafka(new IllegalStateException("Kafka topic 'off_t' does not exist on 10.0.0.1:9092: create it"));
        assertThat(own.message()).isEqualTo("Kafka topic 'off_t' does not exist on 10.0.0.1:9092: create it");
        assertThat(own.recoverable()).isTrue();
    }

    @Test
    void aRefusedLoginUnderObsyncsOwnErrorIsSaidAsSuchWithTheOptions() {
        DeliveryFailure login = kafka(new IllegalStateException("Kafka at 10.0.0.1:9093 could not describe topic 'orders': Authentication failed",
                new org.apache.kafka.common.errors.SaslAuthenticationException("Authentication failed during authentication due to invalid credentials")));
        assertThat(login.kind()).isEqualTo(Kind.AUTHENTICATION);
        assertThat(login.message()).contains("check obsync.kafka.sasl-username, obsync.kafka.sasl-password and obsync.kafka.sasl-mechanism");
        DeliveryFailure tls = kafka(new org.apache.kafka.common.errors.SslAuthenticationException("SSL handshake failed"));
        assertThat(tls.message()).contains("check obsync.kafka.ssl-truststore-location");
    }

    @Test
    void everyMessageIsOneLine() {
        DeliveryFailure failure = kafka(new RuntimeException("first line\n\tsecond line\nthird"));
        assertThat(failure.message()).doesNotContain("\n").contains("first line second line third");
    }
}
