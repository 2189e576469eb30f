package io.obsync.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.Operation;
import io.obsync.event.TableSchema;
import io.obsync.event.TestEvents;
import io.obsync.event.ZeroDate;
import org.junit.jupiter.api.Test;

/** How each format writes a zero date: the text formats as the source shows it, the number formats as Debezium read it. */
class ZeroDateFormatsTest {

    private static final TableSchema TABLE = new TableSchema(List.of(
            new ColumnDef("id", "INT", -1, -1, false),
            new ColumnDef("d", "DATE", -1, -1, false),
            new ColumnDef("dt", "DATETIME", 3, -1, false),
            new ColumnDef("ts", "TIMESTAMP", 0, -1, true)), List.of("id"));
    private static final Object[] ROW = {1, ZeroDate.of(TABLE.column(1), LocalDate.EPOCH, true),
            ZeroDate.of(TABLE.column(2), LocalDateTime.of(1970, 1, 1, 0, 0), true), ZeroDate.of(TABLE.column(3), Instant.EPOCH, false)};

    private static String write(FormatName format) throws Exception {
        MessageFormats.Settings settings = MessageFormats.Settings.of(key -> key.equals("obsync.format.time-zone") ? "Asia/Shanghai" : null);
        assertThat(settings.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        ChangeEvent event = TestEvents.event(Operation.INSERT, TABLE, null, ROW).build();
        StringWriter text = new StringWriter();
        try (JsonGenerator out = new JsonFactory().createGenerator(text)) {
            MessageFormats.create(format, settings).write(event, out);
        }
        return text.toString();
    }

    @Test
    void textFormatsWriteTheZeroDateAsTheSourceShowsIt() throws Exception {
        for (FormatName format : List.of(FormatName.DEFAULT, FormatName.DEFAULT_EXTEND_COLUMN_TYPE, FormatName.SHAREPLEX)) {
            // TIMESTAMP as epoch seconds: the zero timestamp is 0, as UNIX_TIMESTAMP('0000-00-00 00:00:00') gives
            assertThat(write(format)).as(format.displayName())
                    .contains("\"d\":\"0000-00-00\"", "\"dt\":\"0000-00-00 00:00:00.000\"", "\"ts\":\"0\"");
        }
        // TIMESTAMP as local text: the zero timestamp in any time zone
        assertThat(write(FormatName.CANAL)).contains("\"d\":\"0000-00-00\"", "\"dt\":\"0000-00-00 00:00:00.000\"", "\"ts\":\"0000-00-00 00:00:00\"");
        assertThat(write(FormatName.MAXWELL)).contains("\"d\":\"0000-00-00\"", "\"dt\":\"0000-00-00 00:00:00.000\"", "\"ts\":\"0000-00-00 00:00:00\"");
    }

    @Test
    void numberFormatsWriteWhatDebeziumRead() throws Exception {
        // epoch days, epoch milliseconds, ISO instant: Debezium's own rule
        assertThat(write(FormatName.DEBEZIUM_FLATTEN)).contains("\"d\":0,\"dt\":0,\"ts\":\"1970-01-01T00:00:00Z\"");
        assertThat(write(FormatName.DEBEZIUM)).contains("\"d\":0,\"dt\":0,\"ts\":\"1970-01-01T00:00:00Z\"");
        assertThat(write(FormatName.DEBEZIUM_SMT)).contains("\"d\":0,\"dt\":0,\"ts\":\"1970-01-01T00:00:00Z\"");
        // DataWorks: dates as epoch milliseconds, local dates at the task's time zone
        assertThat(write(FormatName.DATAWORKS)).contains("\"d\":-28800000,\"dt\":-28800000,\"ts\":0");
    }
}
