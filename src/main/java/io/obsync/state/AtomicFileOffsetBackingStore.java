package io.obsync.state;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.embedded.KafkaConnectUtil;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.storage.FileOffsetBackingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Connect's file offset store, made safe: saved as a {@link StateFile} (aside, synced, renamed,
 * the previous generation kept), and read strictly. The stock store reads an empty, truncated or
 * garbled file as "no offsets", which makes a task start over from "now" and silently skip what was
 * written while it was down. Here a file that cannot be read is replaced by its previous generation
 * (one batch older: a few duplicates, nothing lost), said in one line; without a readable previous
 * generation the task stops with a {@link StateException}. The file format is Kafka's own.
 */
public class AtomicFileOffsetBackingStore extends FileOffsetBackingStore {

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFileOffsetBackingStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    // the file holds one HashMap of byte arrays (an array of entries inside): nothing else may be deserialized from it
    private static final ObjectInputFilter ONLY_BYTES = ObjectInputFilter.Config.createFilter(
            "maxdepth=3;maxrefs=1000000;maxbytes=268435456;java.util.HashMap;java.util.Map$Entry;!*");

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
    public synchronized void start() {
        // strictly first (restoring the previous generation if need be): the stock load reads damage as "no offsets"
        Map<ByteBuffer, ByteBuffer> loaded = load(file);
        super.start();
        data.clear();
        data.putAll(loaded);
    }

    /**
     * The offsets saved in a file: empty when neither it nor its previous generation exists (a first
     * start); the previous generation when the file is missing or damaged and that one is readable.
     */
    static Map<ByteBuffer, ByteBuffer> load(Path file) {
        Path previous = StateFile.previous(file);
        try {
            return read(file);
        } catch (NoSuchFileException missing) {
            if (!Files.exists(previous)) {
                return new HashMap<>();
            }
            // a crash between the two renames of a save: the previous generation is the latest one
            return recover(file, previous, "is missing");
        } catch (IOException | RuntimeException damaged) {
            return recover(file, previous, "cannot be read (" + reason(damaged) + ")");
        }
    }

    private static Map<ByteBuffer, ByteBuffer> recover(Path file, Path previous, String problem) {
        Map<ByteBuffer, ByteBuffer> older;
        try {
            older = read(previous);
        } catch (IOException | RuntimeException e) {
            throw StateFile.unreadable(file, problem + " and its previous generation " + previous.getFileName()
                    + (e instanceof NoSuchFileException ? " does not exist" : " cannot be read either (" + reason(e) + ")"));
        }
        LOG.warn("The saved position {} {}; resuming from its previous generation {} (one batch older: what was sent since "
                + "is sent again with the same event ids)", file, problem, previous.getFileName());
        try {
            if (Files.exists(file)) {
                StateFile.setAside(file);
            }
            Files.copy(previous, file);
            StateFile.syncFolder(file);
        } catch (IOException e) {
            throw new ConnectException("could not restore " + file + " from " + previous + ": " + e.getMessage(), e);
        }
        return older;
    }

    private static String reason(Throwable e) {
        if (e instanceof EOFException) {
            return "empty or cut short";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Reads a file strictly: Kafka's format (a serialized HashMap of byte arrays), every key and value JSON. */
    static Map<ByteBuffer, ByteBuffer> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); ObjectInputStream objects = new ObjectInputStream(in)) {
            objects.setObjectInputFilter(ONLY_BYTES);
            Object content = objects.readObject();
            if (!(content instanceof Map<?, ?> raw)) {
                throw new IOException("not an offsets map");
            }
            Map<ByteBuffer, ByteBuffer> offsets = new HashMap<>();
            for (Map.Entry<?, ?> entry : raw.entrySet()) {
                if (!(entry.getKey() instanceof byte[] key) || !(entry.getValue() == null || entry.getValue() instanceof byte[])) {
                    throw new IOException("an entry is not a pair of byte arrays");
                }
                byte[] value = (byte[]) entry.getValue();
                JSON.readTree(key);
                if (value != null) {
                    JSON.readTree(value);
                }
                offsets.put(ByteBuffer.wrap(key), value == null ? null : ByteBuffer.wrap(value));
            }
            return offsets;
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    protected void save() {
        try {
            Map<byte[], byte[]> raw = new HashMap<>();
            for (Map.Entry<ByteBuffer, ByteBuffer> entry : data.entrySet()) {
                raw.put(entry.getKey() == null ? null : entry.getKey().array(), entry.getValue() == null ? null : entry.getValue().array());
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream objects = new ObjectOutputStream(bytes)) {
                objects.writeObject(raw);
            }
            StateFile.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new ConnectException("could not save offsets to " + file, e);
        }
    }
}
