package io.obsync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class StartTimeTest {

    @Test
    void readsEpochSecondsAndIsoDateTimes() {
        assertThat(StartTime.parse("1763712000")).isEqualTo(Instant.ofEpochSecond(1763712000));
        assertThat(StartTime.parse("2026-11-21T08:00:00Z")).isEqualTo(Instant.parse("2026-11-21T08:00:00Z"));
        assertThat(StartTime.parse("2026-11-21T16:00:00+08:00")).isEqualTo(Instant.parse("2026-11-21T08:00:00Z"));
        // without an offset: UTC
        assertThat(StartTime.parse(" 2026-11-21T08:00:00 ")).isEqualTo(Instant.parse("2026-11-21T08:00:00Z"));
        assertThat(StartTime.parse("")).isNull();
        assertThat(StartTime.parse(null)).isNull();
        assertThat(StartTime.parse("now")).isNull();
    }

    @Test
    void refusesWhatIsNotATime() {
        assertThatThrownBy(() -> StartTime.parse("yesterday"))
                .hasMessage("obsync.source.start-time is 'yesterday', which is not a time: use epoch seconds (1763700000), an ISO-8601 "
                        + "date-time (2026-11-21T08:00:00+08:00; without an offset it is UTC) or leave it empty for now.");
        assertThatThrownBy(() -> StartTime.parse("2026-13-01T00:00:00Z")).hasMessageContaining("which is not a time");
    }
}
