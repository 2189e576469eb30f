package io.obsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.obsync.destination.TopicMapping;
import org.junit.jupiter.api.Test;

class TopicMethodTest {

    @Test
    void namedTopicsTakeTheTaskMethodUnlessTheirRuleSaysOtherwise() {
        TopicMapping mapping = new TopicMapping("Topic_${Database Name}_${Table Name}", "shop.orders=orders,shop.users=rocketmq:users", "heartbeats", "kafka");
        assertThat(TopicMapping.kafkaTopicMethods(mapping, null, TopicMethod.CREATE))
                .isEqualTo(Map.of("orders", TopicMethod.CREATE, "heartbeats", TopicMethod.CREATE));
    }

    @Test
    void createNeedsSchemaSyncAndTheMethodsDoNotMix() {
        assertThatCode(() -> TopicMethod.check(true, Map.of("a", TopicMethod.CREATE, "b", TopicMethod.CREATE))).doesNotThrowAnyException();
        assertThatCode(() -> TopicMethod.check(false, Map.of("a", TopicMethod.EXISTING))).doesNotThrowAnyException();
        assertThatCode(() -> TopicMethod.check(false, Map.of())).doesNotThrowAnyException();
        assertThatThrownBy(() -> TopicMethod.check(true, Map.of("a", TopicMethod.CREATE, "b", TopicMethod.EXISTING)))
                .hasMessage("Option conflict: topics [a] are mapped with the create method and [b] with the existing method while schema sync "
                        + "is on: use one mapping method in a task (obsync.topic.mapping-method and topic-method in the objects file).");
        assertThatThrownBy(() -> TopicMethod.check(false, Map.of("a", TopicMethod.CREATE)))
                .hasMessage("Topics [a] are mapped with the create method, which needs schema sync: set obsync.schema-sync.enabled=true, "
                        + "or map them as existing topics.");
        assertThatThrownBy(() -> TopicMethod.parse("make", "obsync.topic.mapping-method", TopicMethod.EXISTING))
                .hasMessage("obsync.topic.mapping-method is 'make': use existing (the topic is there already) or create (schema sync creates it).");
        assertThat(TopicMethod.parse(" Create ", "x", null)).isEqualTo(TopicMethod.CREATE);
        assertThat(TopicMethod.parse("", "x", TopicMethod.EXISTING)).isEqualTo(TopicMethod.EXISTING);
    }
}
