package io.obsync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The option table of {@code docs/configuration.md} is the declarations rendered: key, the values it
 * takes, default, documentation. Run with {@code -Dobsync.update-reference=true} to rewrite the table
 * from the declarations; the run still fails, so that the rewritten page is reviewed and committed.
 */
@Timeout(30)
class ConfigurationReferenceTest {

    static final Path PAGE = Path.of("docs/configuration.md");
    static final String BEGIN = "<!-- options: generated from config/Options.java by ConfigurationReferenceTest; do not edit -->";
    static final String END = "<!-- options: end -->";

    @Test
    void theReferenceTableIsTheDeclarations() throws IOException {
        String page = Files.readString(PAGE);
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        assertThat(begin).as("the generated table's opening marker in " + PAGE).isNotNegative();
        assertThat(end).as("the generated table's closing marker in " + PAGE).isGreaterThan(begin);
        String shown = page.substring(begin + BEGIN.length(), end);
        String rendered = System.lineSeparator() + table() + System.lineSeparator();
        if (Boolean.getBoolean("obsync.update-reference")) {
            Files.writeString(PAGE, page.substring(0, begin + BEGIN.length()) + rendered + page.substring(end));
            throw new AssertionError(PAGE + " was rewritten from the declarations: review it, commit it and run again without the flag.");
        }
        assertThat(shown).as(PAGE + "'s option table against config/Options.java (rewrite it with -Dobsync.update-reference=true)")
                .isEqualTo(rendered);
    }

    static String table() {
        return "| key | takes | default | meaning |" + System.lineSeparator() + "|---|---|---|---|" + System.lineSeparator()
                + Options.all().stream().map(o -> "| `" + o.key() + "` | " + takes(o) + " | " + (o.defaultValue().isEmpty() ? "empty" : "`"
                        + o.defaultValue() + "`") + " | " + o.doc().replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;") + " |").collect(Collectors.joining(System.lineSeparator()));
    }

    static String takes(Option option) {
        return switch (option.type()) {
            case TEXT -> "text";
            case SECRET -> "secret (or `" + option.key() + Option.FILE_SUFFIX + "`)";
            case BOOLEAN -> "`true`, `false`";
            case NUMBER -> (option.max() == Long.MAX_VALUE ? option.min() + " or more" : option.min() + " to " + option.max())
                    + (option.optional() ? ", or empty" : "");
            case CHOICE -> option.choices().stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "));
            case CHOICES -> "any of " + option.choices().stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "));
        };
    }
}
