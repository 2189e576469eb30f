package io.obsync.source;

import java.util.List;
import java.util.Map;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Hands Debezium the position to save for the acknowledged records: the latest one whose offset
 * a restart can resume from (see {@link TransactionResume}); the file is written when the batch ends.
 */
final class Commits implements BatchDelivery.Committer {
    private final List<TransactionAssembler.Entry<BinlogConsumer.Read>> entries;
    private final DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer;
    private final String filter;
    private final String fullSyncSeed;
    private int committed;

    Commits(List<TransactionAssembler.Entry<BinlogConsumer.Read>> entries,
            DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer, String filter,
            String fullSyncSeed) {
        this.entries = entries;
        this.committer = committer;
        this.filter = filter;
        this.fullSyncSeed = fullSyncSeed;
    }

    /** Hands Debezium the position of the acknowledged entries before end (its offset store writes it). */
    @Override
    public void upTo(int end) throws InterruptedException {
        int latest = latest(end);
        if (latest >= 0) {
            DebeziumEngine.Offsets offsets = committer.buildOffsets();
            offsetOf(latest).forEach(offsets::set);
            committer.markProcessed(entries.get(latest).record().record(), offsets);
        }
        committed = Math.max(committed, end);
    }

    /** The position to save once the entries before end are delivered, or null when none of them gives one. */
    @Override
    public Map<String, Object> offset(int end) {
        int latest = latest(end);
        return latest < 0 ? null : offsetOf(latest);
    }

    /** Ends the batch with Debezium (its offset store writes what was committed). */
    @Override
    public void finish() throws InterruptedException {
        committer.markBatchFinished();
    }

    // the latest entry before end that a restart can resume from
    private int latest(int end) {
        for (int i = end - 1; i >= committed; i--) {
            BinlogConsumer.Read read = entries.get(i).record();
            if (TransactionResume.resumable(read.record().value().sourceOffset(), read.lastChange())) {
                return i;
            }
        }
        return -1;
    }

    private Map<String, Object> offsetOf(int index) {
        BinlogConsumer.Read read = entries.get(index).record();
        Map<String, Object> offset = TransactionResume.offsetToSave(read.record().value().sourceOffset(), read.lastChange(), filter);
        if (read.chunks() != null) {
            offset.put(ChunkReader.PROGRESS_KEY, read.chunks());
        }
        if (fullSyncSeed != null && offset.get(FirstRead.CHUNKS_REQUEST_KEY) == null) {
            offset.put(FirstRead.FULL_SYNC_SEED_KEY, fullSyncSeed);
        }
        return offset;
    }
}
