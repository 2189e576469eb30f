package io.obsync.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.obsync.event.ChangeEvent;
import io.obsync.event.DebeziumRecordConverter.TransactionEnd;
import io.obsync.event.Operation;
import io.obsync.event.SourcePosition;
import io.obsync.event.TestEvents;
import io.obsync.source.TransactionAssembler.Entry;
import io.obsync.source.TransactionAssembler.Release;
import org.junit.jupiter.api.Test;

class TransactionAssemblerTest {

    /** Records are names; "END" is Debezium's transaction end marker (sources with GTIDs). */
    private static TransactionAssembler<String> assembler(int bound) {
        return new TransactionAssembler<>(bound, r -> r.equals("END") ? new TransactionEnd("tx", 0) : null);
    }

    /** A row change named name of the transaction starting at txStart. */
    private static Entry<String> row(String name, long txStart) {
        ChangeEvent event = TestEvents.event(Operation.INSERT, TestEvents.table(List.of("id"), "id:INT"), null, new Object[] {1})
                .eventId(name).transactionId("bin.1:" + txStart)
                .position(new SourcePosition(1, "bin.1", txStart + 10, txStart, 0, 0, null)).build();
        return new Entry<>(name, event);
    }

    private static Entry<String> heartbeat(String name, long txStart) {
        return new Entry<>(name, ChangeEvent.builder(Operation.HEARTBEAT).eventId(name)
                .position(new SourcePosition(1, "bin.1", txStart, txStart, 0, 0, null)).build());
    }

    private static Entry<String> marker(String record) {
        return new Entry<>(record, null);
    }

    private static List<String> shown(Release<String> release) {
        List<String> out = new ArrayList<>();
        for (Entry<String> e : release.ready()) {
            ChangeEvent event = e.event();
            out.add(event == null || !event.operation().isRowChange() ? e.record()
                    : e.record() + "=" + event.transactionOrder() + "/" + event.transactionSize());
        }
        return out;
    }

    @Test
    void aTransactionEndsWhenTheNextOneBegins() {
        TransactionAssembler<String> assembler = assembler(100);
        Release<String> first = assembler.offer(List.of(row("a", 100), marker("tombstone"), row("b", 100), row("c", 200)));
        assertThat(shown(first)).containsExactly("a=1/2", "tombstone", "b=2/2");
        assertThat(first.committable()).isEqualTo(3);
        // the second transaction waits for a sign that it is complete: a heartbeat past it
        Release<String> second = assembler.offer(List.of(heartbeat("beat-inside", 200), row("d", 200)));
        assertThat(shown(second)).isEmpty();
        assertThat(shown(assembler.offer(List.of(heartbeat("beat-after", 300)))))
                .containsExactly("c=1/2", "beat-inside", "d=2/2", "beat-after");
    }

    @Test
    void debeziumsEndMarkerClosesATransactionAtOnce() {
        TransactionAssembler<String> assembler = assembler(100);
        assertThat(shown(assembler.offer(List.of(marker("BEGIN"), row("a", 100), row("b", 100), marker("END")))))
                .containsExactly("BEGIN", "a=1/2", "b=2/2", "END");
        assertThat(assembler.heldCount()).isZero();
    }

    @Test
    void aTransactionPastTheBoundLeavesEarlyButIsCommittedOnlyWhenComplete() {
        TransactionAssembler<String> assembler = assembler(2);
        List<String> sent = new ArrayList<>();
        Release<String> first = assembler.offer(List.of(row("x", 50), row("a", 100), row("b", 100), row("c", 100)));
        sent.addAll(shown(first));
        assertThat(sent).containsExactly("x=1/1", "a=1/0", "b=2/0");
        // x is done; a and b are sent but their positions wait for the end of their transaction
        assertThat(first.committable()).isEqualTo(1);
        Release<String> second = assembler.offer(List.of(row("d", 100), row("e", 100)));
        sent.addAll(shown(second));
        assertThat(second.committable()).isZero();
        Release<String> last = assembler.offer(List.of(row("y", 300)));
        sent.addAll(shown(last));
        // nothing lost, nothing reordered, numbered densely; the last row knows the size and ends the transaction
        assertThat(sent).containsExactly("x=1/1", "a=1/0", "b=2/0", "c=3/0", "d=4/0", "e=5/5");
        assertThat(last.committable()).isEqualTo(last.ready().size());
    }

    @Test
    void ddlEndsTheOpenTransaction() {
        TransactionAssembler<String> assembler = assembler(100);
        Entry<String> ddl = new Entry<>("ddl", ChangeEvent.builder(Operation.DDL).eventId("ddl").transactionId("bin.1:300").build());
        assertThat(shown(assembler.offer(List.of(row("a", 100), ddl)))).containsExactly("a=1/1", "ddl");
    }
}
