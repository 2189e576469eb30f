package io.obsync.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Row events numbered in their transaction, whatever HEARTBEAT events Debezium counted between them. */
class RowEventsTest {

    private static SourcePosition read(long transactionStart, long debeziumCount, int row) {
        return new SourcePosition(1, "mariadb-bin.000001", transactionStart, transactionStart + 42, debeziumCount, row, null);
    }

    private static List<String> ids(List<SourcePosition> reads) {
        RowEvents rowEvents = new RowEvents();
        return reads.stream().map(rowEvents::number).map(SourcePosition::changeId).toList();
    }

    @Test
    void heartbeatsBetweenRowEventsDoNotChangeTheCoordinates() {
        // first read: table map + rows (2 rows), table map + rows, table map + rows; no heartbeat
        List<String> first = ids(List.of(read(900, 2, 0), read(900, 2, 1), read(900, 4, 0), read(900, 6, 0)));
        // read again with a heartbeat after the first row event and two after the second
        List<String> again = ids(List.of(read(900, 2, 0), read(900, 2, 1), read(900, 5, 0), read(900, 9, 0)));
        assertThat(again).isEqualTo(first)
                .containsExactly("mariadb-bin.000001:900:0:0", "mariadb-bin.000001:900:0:1", "mariadb-bin.000001:900:1:0",
                        "mariadb-bin.000001:900:2:0");
    }

    @Test
    void aTransactionReadAgainFromItsStartIsNumberedAgain() {
        assertThat(ids(List.of(read(900, 2, 0), read(900, 4, 0), read(900, 6, 0), read(900, 2, 0), read(900, 5, 0))))
                .containsExactly("mariadb-bin.000001:900:0:0", "mariadb-bin.000001:900:1:0", "mariadb-bin.000001:900:2:0",
                        "mariadb-bin.000001:900:0:0", "mariadb-bin.000001:900:1:0");
    }

    @Test
    void eachTransactionCountsFromZero() {
        assertThat(ids(List.of(read(900, 2, 0), read(900, 4, 0), read(1500, 2, 0), read(1500, 3, 0))))
                .containsExactly("mariadb-bin.000001:900:0:0", "mariadb-bin.000001:900:1:0", "mariadb-bin.000001:1500:0:0",
                        "mariadb-bin.000001:1500:1:0");
    }

    @Test
    void theGtidNamesTheTransactionWhenThereIsOne() {
        RowEvents rowEvents = new RowEvents();
        SourcePosition first = rowEvents.number(new SourcePosition(1, "a.000001", 900, 942, 3, 0, "uuid:7"));
        // the same transaction served by another instance: other file, other position, same GTID
        SourcePosition second = new RowEvents().number(new SourcePosition(1, "b.000009", 77, 119, 5, 0, "uuid:7"));
        assertThat(first.changeId()).isEqualTo(second.changeId()).isEqualTo("uuid:7:0:0");
    }
}
