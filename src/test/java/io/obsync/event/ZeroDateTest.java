package io.obsync.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;

class ZeroDateTest {

    private static final ColumnDef TS = new ColumnDef("ts", "TIMESTAMP", 3, -1, true);
    private static final ColumnDef DATE_NULLABLE = new ColumnDef("d", "DATE", -1, -1, true);
    private static final ColumnDef DATE_NOT_NULL = new ColumnDef("d", "DATE", -1, -1, false);
    private static final ColumnDef DATETIME_NOT_NULL = new ColumnDef("dt", "DATETIME", 6, -1, false);

    @Test
    void aTimestampOfZeroIsAlwaysTheZeroTimestamp() {
        assertThat(ZeroDate.of(TS, Instant.EPOCH, false)).isEqualTo(new ZeroDate("0000-00-00 00:00:00.000", Instant.EPOCH));
        assertThat(ZeroDate.of(TS, Instant.ofEpochSecond(1), false)).isEqualTo(Instant.ofEpochSecond(1));
        assertThat(ZeroDate.of(TS, null, true)).isNull();
    }

    @Test
    void theEpochOfANotNullDateIsTheZeroDateOnlyWhenAsked() {
        assertThat(ZeroDate.of(DATE_NOT_NULL, LocalDate.EPOCH, false)).isEqualTo(LocalDate.EPOCH);
        assertThat(ZeroDate.of(DATE_NOT_NULL, LocalDate.EPOCH, true)).isEqualTo(new ZeroDate("0000-00-00", LocalDate.EPOCH));
        assertThat(ZeroDate.of(DATETIME_NOT_NULL, LocalDateTime.of(1970, 1, 1, 0, 0), true))
                .hasToString("0000-00-00 00:00:00.000000");
        // a nullable column: Debezium made NULL of a zero date, the epoch is a real value
        assertThat(ZeroDate.of(DATE_NULLABLE, LocalDate.EPOCH, true)).isEqualTo(LocalDate.EPOCH);
        assertThat(ZeroDate.of(DATE_NOT_NULL, LocalDate.of(1970, 1, 2), true)).isEqualTo(LocalDate.of(1970, 1, 2));
    }

    @Test
    void sourceTextWithAZeroPartKeepsItsTextAndWhatDebeziumMakesOfIt() {
        assertThat(ZeroDate.ofSourceText(DATE_NULLABLE, "0000-00-00")).isEqualTo(new ZeroDate("0000-00-00", null));
        assertThat(ZeroDate.ofSourceText(DATE_NOT_NULL, "2020-00-15")).isEqualTo(new ZeroDate("2020-00-15", LocalDate.EPOCH));
        assertThat(ZeroDate.ofSourceText(DATETIME_NOT_NULL, "0000-00-00 00:00:00"))
                .isEqualTo(new ZeroDate("0000-00-00 00:00:00.000000", LocalDate.EPOCH.atStartOfDay()));
        assertThat(ZeroDate.ofSourceText(DATE_NOT_NULL, "2020-01-15")).isNull();
        assertThat(ZeroDate.ofSourceText(new ColumnDef("v", "VARCHAR", 10, -1, true), "0000-00-00")).isNull();
    }
}
