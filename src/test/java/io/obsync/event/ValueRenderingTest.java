package io.obsync.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;

class ValueRenderingTest {

    private static final int UNKNOWN = ValueRendering.UNKNOWN_PRECISION;

    @Test
    void dateTimeUsesTheDeclaredPrecisionLikeMySql() {
        LocalDateTime t = LocalDateTime.of(2026, 1, 2, 3, 4, 5, 100_000_000);
        assertThat(ValueRendering.dateTime(t, 0)).isEqualTo("2026-01-02 03:04:05");
        assertThat(ValueRendering.dateTime(t, 3)).isEqualTo("2026-01-02 03:04:05.100");
        assertThat(ValueRendering.dateTime(t, 6)).isEqualTo("2026-01-02 03:04:05.100000");
        assertThat(ValueRendering.dateTime(t, UNKNOWN)).isEqualTo("2026-01-02 03:04:05.100000");
        assertThat(ValueRendering.dateTime(t.withNano(0), UNKNOWN)).isEqualTo("2026-01-02 03:04:05");
        assertThat(ValueRendering.dateTime(LocalDateTime.of(999, 1, 1, 0, 0), 0)).isEqualTo("0999-01-01 00:00:00");
    }

    @Test
    void timestampIsEpochSecondsWithTheDeclaredFraction() {
        Instant i = Instant.ofEpochSecond(1_795_255_200L, 250_000_000);
        assertThat(ValueRendering.epochSeconds(i, 3)).isEqualTo("1795255200.250");
        assertThat(ValueRendering.epochSeconds(i, 0)).isEqualTo("1795255200");
        assertThat(ValueRendering.epochSeconds(i, UNKNOWN)).isEqualTo("1795255200.250000");
        assertThat(ValueRendering.epochSeconds(Instant.ofEpochSecond(7), UNKNOWN)).isEqualTo("7");
        // before 1970 the fraction belongs to the signed decimal: -0.5 s, not -1.5
        assertThat(ValueRendering.epochSeconds(Instant.ofEpochSecond(-1, 500_000_000), 3)).isEqualTo("-0.500");
    }

    @Test
    void timeMayBeNegativeAndPastOneDay() {
        assertThat(ValueRendering.time(Duration.ofHours(-12).minusMinutes(34).minusSeconds(56).minusMillis(789), 3)).isEqualTo("-12:34:56.789");
        assertThat(ValueRendering.time(Duration.ofHours(838).plusMinutes(59).plusSeconds(59), 0)).isEqualTo("838:59:59");
        assertThat(ValueRendering.time(Duration.ofSeconds(5), UNKNOWN)).isEqualTo("00:00:05");
    }

    @Test
    void otherValuesAsText() {
        assertThat(ValueRendering.text(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(ValueRendering.text(new byte[] {0, (byte) 0xFF})).isEqualTo("AP8=");
        assertThat(ValueRendering.text(LocalDate.of(2026, 11, 21))).isEqualTo("2026-11-21");
        assertThat(ValueRendering.text(null)).isNull();
    }

    @Test
    void precisionIsKnownOnlyForTemporalColumns() {
        assertThat(ValueRendering.precisionOf("DATETIME", 3)).isEqualTo(3);
        assertThat(ValueRendering.precisionOf("timestamp", 6)).isEqualTo(6);
        assertThat(ValueRendering.precisionOf("VARCHAR", 32)).isEqualTo(UNKNOWN);
        assertThat(ValueRendering.precisionOf("DATETIME", -1)).isEqualTo(UNKNOWN);
    }
}
