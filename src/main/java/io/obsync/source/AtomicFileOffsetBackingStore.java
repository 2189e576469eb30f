package io.obsync.source;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import io.debezium.embedded.KafkaConnectUtil;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;

/**
 * Kafka Connect's file offset store, saved so that a crash cannot destroy it: the offsets go to a
 * temporary file, which is synced to disk and then renamed over the old one in one step.
 *
 * <p>The stock store rewrites the file in place and, on start, treats a truncated file as "no
 * offsets"; a kill during that write makes a task silently start over (from the oldest binlog, or
 * from "now", losing everything between). The file format is unchanged, so existing files load.
 */
public class AtomicFileOffsetBackingStore extends FileOffsetBackingStore {

    private Path file;

    public AtomicFileOffsetBackingStore() {
        // the converter Debezium gives its own file store: offsets stay readable by both
        super(KafkaConnectUtil.converterForOffsetStore());
    }

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        file = Path.of(config.getString(StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG));
    }

    @Override
    protected void save() {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Map<byte[], byte[]> raw = new HashMap<>();
            for (Map.Entry<ByteBuffer, ByteBuffer> entry : data.entrySet()) {
                raw.put(entry.getKey() == null ? null : entry.getKey().array(), entry.getValue() == null ? null : entry.getValue().array());
            }
            try (OutputStream out = Files.newOutputStream(temporary);
                 ObjectOutputStream objects = new ObjectOutputStream(out)) {
                objects.writeObject(raw);
            }
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ConnectException("could not save offsets to " + file, e);
        }
    }
}
