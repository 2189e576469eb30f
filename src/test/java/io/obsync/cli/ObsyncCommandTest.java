package io.obsync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.apache.camel.NoSuchBeanException;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.ParserException;

/** What `obsync` prints for a user's mistake: one line naming the object, the value and the fix. */
class ObsyncCommandTest {

    @Test
    void aRouteFileThatIsNotYamlIsNamedWithItsLine() {
        Mark start = new Mark("file:/tmp/routes/broken.camel.yaml", 0, 5, 14, new int[0], 0);
        Mark end = new Mark("file:/tmp/routes/broken.camel.yaml", 0, 6, 0, new int[0], 0);
        String message = ObsyncCommand.rootMessage(new RuntimeCamelException(
                new ParserException("while parsing a flow sequence", Optional.of(start), "expected ',' or ']', but got <stream end>", Optional.of(end))));
        assertThat(message).isEqualTo("Route file /tmp/routes/broken.camel.yaml line 6 column 15 is not valid YAML (while parsing a flow sequence: "
                + "expected ',' or ']', but got <stream end>): fix the YAML there.");
    }

    @Test
    void anUnknownBeanIsAnsweredWithTheNamesThatExist() {
        String message = ObsyncCommand.rootMessage(new RuntimeCamelException(new NoSuchBeanException("shardingKeyy", "org.apache.camel.Processor")));
        assertThat(message).startsWith("No bean could be found in the registry for: shardingKeyy").contains("shardingKey, standby, throttle, topicMapping")
                .contains("Maxwell").endsWith(", or a bean of its own.").doesNotContain("\n");
    }
}
