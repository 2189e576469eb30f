package io.obsync.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileOffsetBackingStoreTest {

    @TempDir
    Path dir;

    private AtomicFileOffsetBackingStore open(Path file) {
        AtomicFileOffsetBackingStore store = new AtomicFileOffsetBackingStore();
        store.configure(new StandaloneConfig(Map.of(
                "bootstrap.servers", "unused:9092",
                "key.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "offset.storage.file.filename", file.toString())));
        store.start();
        return store;
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private static final ByteBuffer KEY = bytes("[\"obsync-task\",{\"server\":\"obsync-task\"}]");

    @Test
    void savedOffsetsLoadAgainAndNoTemporaryFileStays() throws Exception {
        Path file = dir.resolve("offsets.dat");
        AtomicFileOffsetBackingStore store = open(file);
        store.set(Map.of(KEY, bytes("{\"file\":\"mariadb-bin.000002\",\"pos\":4242}")), null).get(10, TimeUnit.SECONDS);
        store.stop();
        assertThat(file).exists();
        assertThat(dir.resolve("offsets.dat.tmp")).doesNotExist();

        AtomicFileOffsetBackingStore reopened = open(file);
        Map<ByteBuffer, ByteBuffer> loaded = reopened.get(List.of(KEY)).get(10, TimeUnit.SECONDS);
        reopened.stop();
        assertThat(StandardCharsets.UTF_8.decode(loaded.get(KEY)).toString()).isEqualTo("{\"file\":\"mariadb-bin.000002\",\"pos\":4242}");
    }

    @Test
    void aWriteCutShortByACrashLeavesTheLastSavedOffsets() throws Exception {
        Path file = dir.resolve("offsets.dat");
        AtomicFileOffsetBackingStore store = open(file);
        store.set(Map.of(KEY, bytes("{\"pos\":1}")), null).get(10, TimeUnit.SECONDS);
        store.stop();
        // a kill during the next save: the temporary file is half written, the rename never happened
        Files.write(dir.resolve("offsets.dat.tmp"), new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5, 's'});

        AtomicFileOffsetBackingStore reopened = open(file);
        Map<ByteBuffer, ByteBuffer> loaded = reopened.get(List.of(KEY)).get(10, TimeUnit.SECONDS);
        reopened.stop();
        assertThat(StandardCharsets.UTF_8.decode(loaded.get(KEY)).toString()).isEqualTo("{\"pos\":1}");
    }
}
