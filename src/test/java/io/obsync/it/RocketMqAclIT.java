package io.obsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.obsync.precheck.Precheck;
import io.obsync.verify.RocketMqReader;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A RocketMQ broker with ACL on (RocketMQ 5.3's ACL 2.0, authentication and authorization): the task
 * signs its sends with obsync.rocketmq.access-key and secret-key; wrong keys stop it in one line that
 * names the options and never shows the key.
 */
class RocketMqAclIT {

    static final String ACCESS_KEY = "obsyncAcl";
    static final String SECRET_KEY = "Rmq-Acl-S3cret-31";

    @Test
    void theRightKeysSendAndWrongOnesStopInOneLine() throws Exception {
        try (Servers servers = Servers.startWithRocketMqAcl("rocketmq-acl", ACCESS_KEY, SECRET_KEY)) {
            servers.db.execute("CREATE DATABASE acl", "CREATE TABLE acl.t (id INT PRIMARY KEY)", "CREATE TABLE acl.w (id INT PRIMARY KEY)");
            servers.rocketmq.createTopics(2, "rmq_acl_t", "rmq_acl_w");
            Map<String, String> p = Task.properties(servers, "rocketmq-acl");
            p.put("obsync.source.databases", "acl");
            p.put("obsync.ddl.enabled", "false");
            p.put("obsync.topic.mapping", "acl.t=rocketmq:rmq_acl_t,acl.w=rocketmq:rmq_acl_w");
            p.put("obsync.rocketmq.namesrv", servers.rocketmq.namesrvAddress());
            p.put("obsync.rocketmq.access-key", ACCESS_KEY);
            p.put("obsync.rocketmq.secret-key", SECRET_KEY);
            assertThat(rocketmqTopicsItem(p).status()).as(rocketmqTopicsItem(p).toString()).isEqualTo(Precheck.Status.PASS);
            Records.Source signed = topics -> new RocketMqReader(servers.rocketmq.namesrvAddress(), ACCESS_KEY, SECRET_KEY, topics);
            try (Task task = Task.start(p)) {
                servers.forIds(1, 30, "INSERT INTO acl.t VALUES (?)");
                List<Records.Received> all = Records.readUntil(signed, List.of("rmq_acl_t"),
                        r -> r.stream().map(Records.Received::key).distinct().count() == 30, Duration.ofSeconds(90));
                assertThat(all).extracting(Records.Received::key).contains("1", "30");
                assertThat(task.status.isFailed()).isFalse();
            }

            String wrong = "Wrong-S3cret-00";
            p.put("obsync.task.name", "rocketmq-acl-wrong");
            p.put("obsync.source.databases", "acl");
            p.put("obsync.objects.file", "");
            p.put("obsync.topic.mapping", "acl.w=rocketmq:rmq_acl_w");
            p.put("obsync.rocketmq.secret-key", wrong);
            p.put("obsync.rocketmq.producer-group", "OMS_wrong");
            Precheck.Item item = rocketmqTopicsItem(p);
            assertThat(item.status()).isEqualTo(Precheck.Status.FAIL);
            assertThat(item.detail()).contains("refused the task's keys", "obsync.rocketmq.secret-key").doesNotContain(wrong);
            try (Task task = Task.start(p)) {
                servers.forIds(1, 1, "INSERT INTO acl.w VALUES (?)");
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(task.status::isFailed);
                assertThat(task.status.getLastError()).contains("obsync.rocketmq.access-key", "obsync.rocketmq.secret-key")
                        .doesNotContain(wrong).doesNotContainPattern("\\R");
            }
        }
    }

    static Precheck.Item rocketmqTopicsItem(Map<String, String> properties) {
        return Precheck.run(properties::get, java.util.Set.of("source-connection")).stream().filter(i -> i.name().equals("rocketmq-topics"))
                .findFirst().orElseThrow();
    }
}
