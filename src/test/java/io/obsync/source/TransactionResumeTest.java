package io.obsync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.obsync.event.SourcePosition;
import org.junit.jupiter.api.Test;

/** The position saved inside a transaction, and which changes a restart holds back. */
class TransactionResumeTest {

    // a transaction whose first event is at 869; Debezium resumes it at 911 (after its BEGIN)
    private static SourcePosition change(long event, int row) {
        return new SourcePosition(1, "mariadb-bin.000001", 869, 911, event, row, null);
    }

    @Test
    void anOffsetBetweenTransactionsIsSavedAsDebeziumWroteIt() {
        Map<String, Object> offset = Map.of("file", "mariadb-bin.000001", "pos", 1443L, "ts_sec", 5L);
        assertThat(TransactionResume.offsetToSave(offset, change(4, 1))).isEqualTo(offset);
        assertThat(TransactionResume.of(offset)).isNull();
    }

    @Test
    void anOffsetInsideATransactionIsSavedAtTheTransactionsFirstEventWithTheLastChange() {
        Map<String, Object> offset = Map.of("file", "mariadb-bin.000001", "pos", 911L, "event", 4L, "row", 2, "server_id", 1L);
        Map<String, Object> saved = TransactionResume.offsetToSave(offset, change(4, 1));
        assertThat(saved).containsEntry("file", "mariadb-bin.000001").containsEntry("pos", 869L).containsEntry("server_id", 1L)
                .doesNotContainKeys("event", "row");
        assertThat(TransactionResume.of(saved)).isEqualTo(new TransactionResume("mariadb-bin.000001:869", 4, 1, 1));
    }

    @Test
    void anOffsetSavedWithDebeziumsEventCountHoldsNothingBack() {
        // such a count included heartbeats: read as a row event's number it could hold back changes never sent
        Map<String, Object> saved = Map.of("file", "mariadb-bin.000001", "pos", 869L, "obsync_transaction", "mariadb-bin.000001:869",
                "obsync_event", 9L, "obsync_row", 0);
        assertThat(TransactionResume.of(saved)).isNull();
    }

    @Test
    void aCoordinateSavedWhileOtherTablesWereReadHoldsNothingBack() {
        java.util.Properties narrow = new java.util.Properties();
        narrow.setProperty("database.include.list", "shop");
        java.util.Properties wide = new java.util.Properties();
        wide.setProperty("database.include.list", "shop,crm");
        Map<String, Object> offset = Map.of("file", "mariadb-bin.000001", "pos", 911L, "event", 4L, "row", 2);
        Map<String, Object> saved = TransactionResume.offsetToSave(offset, change(1, 0), TransactionResume.filter(wide));
        assertThat(TransactionResume.of(saved, TransactionResume.filter(wide))).isEqualTo(new TransactionResume("mariadb-bin.000001:869", 1, 0, 1));
        // row events of crm no longer reach obsync: "row event 1" may now be one that was never sent
        assertThat(TransactionResume.of(saved, TransactionResume.filter(narrow))).isNull();
        assertThat(TransactionResume.filter(narrow)).isEqualTo("database.include.list=shop");
    }

    @Test
    void aRecordThatCannotBeTiedToItsTransactionIsNotSaved() {
        Map<String, Object> offset = Map.of("file", "mariadb-bin.000001", "pos", 2000L, "event", 3L);
        assertThat(TransactionResume.offsetToSave(offset, change(4, 1))).isNull();
        assertThat(TransactionResume.offsetToSave(offset, null)).isNull();
    }

    @Test
    void aRestartHoldsBackExactlyTheChangesUpToTheSavedOne() {
        TransactionResume resume = new TransactionResume("mariadb-bin.000001:869", 4, 1, 1);
        assertThat(resume.delivered(change(2, 0))).isTrue();
        assertThat(resume.delivered(change(2, 2))).isTrue();
        assertThat(resume.delivered(change(4, 0))).isTrue();
        assertThat(resume.delivered(change(4, 1))).isTrue();
        assertThat(resume.delivered(change(4, 1).withOccurrence(2))).isFalse();
        assertThat(resume.delivered(change(4, 2))).isFalse();
        assertThat(resume.delivered(change(6, 0))).isFalse();
        SourcePosition other = new SourcePosition(1, "mariadb-bin.000001", 1443, 1485, 2, 0, null);
        assertThat(resume.delivered(other)).isFalse();
        assertThat(resume.passedBy(other)).isTrue();
        assertThat(resume.passedBy(change(6, 0))).isFalse();
    }

    @Test
    void theSecondHalfOfAKeyChangeIsNotHeldBackWhenOnlyTheFirstWasDelivered() {
        TransactionResume resume = TransactionResume.of(TransactionResume.offsetToSave(
                Map.of("file", "mariadb-bin.000001", "pos", 911L, "event", 2L, "row", 1), change(2, 0)));
        assertThat(resume.delivered(change(2, 0))).isTrue();
        assertThat(resume.delivered(change(2, 0).withOccurrence(2))).isFalse();
    }
}
