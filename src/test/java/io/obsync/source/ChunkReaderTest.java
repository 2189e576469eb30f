package io.obsync.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;

import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.Operation;
import io.obsync.event.SourcePosition;
import io.obsync.event.TableSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The watermark windows of obsync's chunked read, and the progress a saved position carries. */
@Timeout(30)
class ChunkReaderTest {

    private static final TableSchema TABLE = new TableSchema(List.of(new ColumnDef("id", "INT", 11, -1, false),
            new ColumnDef("v", "VARCHAR", 8, -1, true)), List.of("id"));
    private static final SourcePosition AT = new SourcePosition(1, "mariadb-bin.000001", 400, 400, 0, 0, null);

    private static ChunkReader reader() {
        return new ChunkReader(new Properties(), "t1", false, new SignalTable("s", "signals"), 100, 1, null);
    }

    private static ChangeEvent row(int id) {
        return ChangeEvent.builder(Operation.ROW).eventId("snapshot:" + id).database("d").table("t").schema(TABLE)
                .after(new Object[] {id, "r" + id}).position(AT).build();
    }

    private static ChangeEvent change(Operation operation, Integer before, Integer after) {
        return ChangeEvent.builder(operation).eventId("c" + before + after).database("d").table("t").schema(TABLE)
                .before(before == null ? null : new Object[] {before, "old"}).after(after == null ? null : new Object[] {after, "new"})
                .position(AT).build();
    }

    private static List<Object> ids(ChunkReader.Emission emission) {
        return emission.rows().stream().map(r -> r.after()[0]).toList();
    }

    @Test
    void aKeyTheStreamChangedWhileTheChunkWasOpenIsNotSentFromTheChunk() throws Exception {
        ChunkReader reader = reader();
        reader.request("obsync-full-1", List.of("d.t"), AT);
        ChunkReader.Window first = reader.open("d.t", 0, new Object[] {4});
        // an update of key 2, a key move from 3 to 9 and a delete of 4, read by the stream while the chunk is open
        reader.streamed(change(Operation.UPDATE, 2, 2));
        reader.streamed(change(Operation.DELETE, 3, null));
        reader.streamed(change(Operation.INSERT, null, 9));
        reader.streamed(change(Operation.DELETE, 4, null));
        // another table's change counts for none of its windows
        reader.streamed(ChangeEvent.builder(Operation.UPDATE).eventId("x").database("d").table("other").schema(TABLE)
                .before(new Object[] {1, "a"}).after(new Object[] {1, "b"}).position(AT).build());
        reader.ready(first, new ChunkRows.Chunk(List.of(row(1), row(2), row(3), row(4)), new Object[] {4}), "m0");

        ChunkReader.Emission sent = reader.closed("m0");

        assertThat(ids(sent)).containsExactly(1);
        // a change after the watermark no longer counts: the next chunk's window opens afresh
        reader.streamed(change(Operation.UPDATE, 5, 5));
        ChunkReader.Window last = reader.open("d.t", 1, null);
        reader.ready(last, new ChunkRows.Chunk(List.of(row(5), row(6)), new Object[] {6}), "m1");
        assertThat(ids(reader.closed("m1"))).containsExactly(5, 6);
        assertThat(reader.fullSyncCompleted()).isTrue();
        assertThat(reader.progress()).isNull();
    }

    @Test
    void progressMovesOnlyOverChunksSentInOrderAndAWatermarkOfAnotherRunIsIgnored() throws Exception {
        ChunkReader reader = reader();
        reader.request("obsync-resync-1", List.of("d.t", "d.u"), AT);
        ChunkReader.Window first = reader.open("d.t", 0, new Object[] {100});
        ChunkReader.Window second = reader.open("d.t", 1, new Object[] {200});
        reader.ready(first, new ChunkRows.Chunk(List.of(row(1)), new Object[] {100}), "m0");
        reader.ready(second, new ChunkRows.Chunk(List.of(row(150)), new Object[] {200}), "m1");
        String before = reader.progress();

        assertThat(reader.closed("obsync-w-of-an-earlier-run")).isNull();
        // the second chunk's watermark first: its rows go out, the progress stays before the first chunk
        ChunkReader.Emission early = reader.closed("m1");
        assertThat(ids(early)).containsExactly(150);
        assertThat(early.progressAfter()).isEqualTo(before);
        ChunkReader.Emission then = reader.closed("m0");
        assertThat(then.progressAfter()).isNotEqualTo(before).contains("\"tables\":[\"d.t\",\"d.u\"]").contains("\"key\"");

        // a restart reads on after the key of the second chunk, with both tables still to read
        ChunkReader restarted = reader();
        restarted.resume(then.progressAfter());
        assertThat(restarted.progress()).isEqualTo(then.progressAfter());
        assertThat(restarted.has("obsync-resync-1")).isTrue();
        assertThat(ChunkReader.fullSyncIn(restarted.progress())).isFalse();
    }

    @Test
    void aProgressThatCannotBeReadStopsTheTaskInsteadOfReadingNothing() {
        assertThatThrownBy(() -> reader().resume("{\"requests\":[{\"id\":\"r\",\"tables\":[\"d.t\"]}],\"key\":\"not base64!\"}"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("obsync_chunks").hasMessageContaining("damaged");
        // a key of a class no key column gives is refused, not instantiated
        String foreign = java.util.Base64.getEncoder().encodeToString(serialized(new Object[] {new java.util.ArrayList<>(List.of(1))}));
        assertThatThrownBy(() -> reader().resume("{\"requests\":[{\"id\":\"r\",\"tables\":[\"d.t\"]}],\"key\":\"" + foreign + "\"}"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("damaged");
    }

    private static byte[] serialized(Object value) {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }
}
