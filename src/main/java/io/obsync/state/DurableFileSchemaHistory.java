package io.obsync.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.debezium.config.Configuration;
import io.debezium.relational.history.HistoryRecord;
import io.debezium.relational.history.HistoryRecordComparator;
import io.debezium.relational.history.SchemaHistoryException;
import io.debezium.relational.history.SchemaHistoryListener;
import io.debezium.storage.file.history.FileSchemaHistory;

/**
 * Debezium's file schema history, with every record synced to disk before the change it describes
 * is sent: the stock one leaves appended lines in the page cache, so a power loss could lose a DDL
 * that the saved position has already passed, and the task would read rows with a stale structure.
 * A record is one line, appended whole; a line cut short by a crash is repaired at start-up by
 * {@link StateFolder}.
 */
public class DurableFileSchemaHistory extends FileSchemaHistory {

    private Path path;

    @Override
    public void configure(Configuration config, HistoryRecordComparator comparator, SchemaHistoryListener listener, boolean useCatalogBeforeSchema) {
        super.configure(config, comparator, listener, useCatalogBeforeSchema);
        path = Path.of(config.getString(FILE_PATH));
    }

    @Override
    protected void doStoreRecord(HistoryRecord record) {
        records.add(record);
        try {
            append(path, documentWriter.write(record.document()));
        } catch (IOException e) {
            throw new SchemaHistoryException("could not write a schema history record for " + path + ": " + e.getMessage(), e);
        }
    }

    /** Appends one record as a line and syncs it to disk before returning. */
    static void append(Path path, String record) {
        try {
            byte[] line = (record + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
        } catch (IOException e) {
            throw new SchemaHistoryException("could not append to the schema history " + path + ": " + e.getMessage(), e);
        }
    }
}
