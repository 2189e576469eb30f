package io.obsync.sink;

/**
 * Where a task's messages go (Kafka's bootstrap servers, RocketMQ's name servers), handed to the source by the task's
 * configuration so that what a failed send says names the broker it could not reach.
 */
public record DeliveryTargets(String kafkaBrokers, String rocketmqNamesrv) {

    /** Addresses not known (a route run without obsync's configuration): failures say which system, not where. */
    public static final DeliveryTargets UNKNOWN = new DeliveryTargets("", "");

    public DeliveryTargets {
        kafkaBrokers = kafkaBrokers == null ? "" : kafkaBrokers;
        rocketmqNamesrv = rocketmqNamesrv == null ? "" : rocketmqNamesrv;
    }

    /** What a failed send means, for the broker it went to. */
    public DeliveryFailure classify(Throwable error, boolean rocketmq, String topic) {
        return DeliveryFailure.classify(error, rocketmq ? "rocketmq" : "kafka", topic, rocketmq ? rocketmqNamesrv : kafkaBrokers);
    }
}
