package io.obsync.verify;

import java.util.Map;

/**
 * A message as a consumer of Kafka or RocketMQ receives it.
 *
 * @param partition Kafka partition or RocketMQ queue id
 * @param offset    position in that partition or queue
 * @param headers   Kafka record headers or RocketMQ user properties
 */
public record Delivered(String topic, int partition, long offset, String key, Map<String, String> headers, String value) {

    public String header(String name) {
        return headers.get(name);
    }
}
