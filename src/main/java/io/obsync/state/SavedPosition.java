package io.obsync.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.debezium.embedded.KafkaConnectUtil;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.OffsetStorageReaderImpl;
import org.apache.kafka.connect.storage.OffsetStorageWriter;

/**
 * The binlog position a task saved, read and written with Kafka Connect's offset API in the same
 * file and encoding the Debezium engine uses, so that a task can be told where its first read starts.
 *
 * @param engineName  the engine's name (Debezium's {@code name})
 * @param topicPrefix Debezium's {@code topic.prefix}; the offset's partition is {@code {"server": prefix}}
 * @param file        the offsets file
 */
public record SavedPosition(String engineName, String topicPrefix, String file) {

    /** The position of the engine these Debezium properties configure. */
    static SavedPosition of(Properties properties) {
        return new SavedPosition(properties.getProperty("name"), properties.getProperty("topic.prefix"),
                properties.getProperty("offset.storage.file.filename"));
    }

    /** Whether the task saved a position already (its first start is over). */
    public boolean exists() {
        return Files.isRegularFile(Path.of(file)) && read() != null;
    }

    /** The saved offset, or null when the task never saved one. */
    public Map<String, Object> read() {
        AtomicFileOffsetBackingStore store = open();
        try {
            Converter converter = KafkaConnectUtil.converterForOffsetStore();
            OffsetStorageReaderImpl reader = new OffsetStorageReaderImpl(store, engineName, converter, converter);
            Map<String, Object> offset = reader.offset(partition());
            return offset == null ? null : new HashMap<>(offset);
        } finally {
            store.stop();
        }
    }

    /** Saves an offset as the task's position, as if the task had read up to there. */
    public void write(Map<String, ?> offset) throws Exception {
        AtomicFileOffsetBackingStore store = open();
        try {
            Converter converter = KafkaConnectUtil.converterForOffsetStore();
            OffsetStorageWriter writer = new OffsetStorageWriter(store, engineName, converter, converter);
            writer.offset(partition(), offset);
            if (writer.beginFlush()) {
                writer.doFlush((error, ignored) -> { }).get(30, TimeUnit.SECONDS);
            }
        } finally {
            store.stop();
        }
    }

    /** Whether an offset belongs to a snapshot that has not completed (obsync writes true, Debezium its snapshot type). */
    public static boolean snapshotInProgress(Map<String, ?> offset) {
        if (offset == null || offset.get("snapshot") == null || "false".equals(String.valueOf(offset.get("snapshot")))) {
            return false;
        }
        return !"true".equals(String.valueOf(offset.get("snapshot_completed")));
    }

    private Map<String, String> partition() {
        return Map.of("server", topicPrefix);
    }

    private AtomicFileOffsetBackingStore open() {
        Map<String, String> config = new HashMap<>();
        config.put(StandaloneConfig.OFFSET_STORAGE_FILE_FILENAME_CONFIG, file);
        config.put("bootstrap.servers", "unused:9092");
        config.put("key.converter", JsonConverter.class.getName());
        config.put("value.converter", JsonConverter.class.getName());
        AtomicFileOffsetBackingStore store = new AtomicFileOffsetBackingStore();
        store.configure(new StandaloneConfig(config));
        store.start();
        return store;
    }
}
