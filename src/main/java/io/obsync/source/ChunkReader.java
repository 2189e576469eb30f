package io.obsync.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.obsync.event.ChangeEvent;
import io.obsync.event.SourcePosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * obsync's own chunked read of tables beside the stream (the watermark method of Netflix's DBLog):
 * each chunk of a table's key order is read over a connection of its own while the stream goes on; a
 * closing watermark row is written to the signal table after the read; the stream's changes to the
 * table's keys from the moment the chunk was opened until that watermark comes through the binlog
 * replace the rows the chunk read for those keys, and the rest of the chunk is sent at the watermark,
 * so no chunk row ever overtakes a newer change. Chunks are read over {@code parallelism} connections
 * at once; their rows wait in memory only until their watermark is read (at most parallelism + 1
 * chunks). The progress (the requests not finished, the last key of the table being read whose
 * chunks were all sent) travels with every saved position, so a restart reads on at the next chunk.
 *
 * <p>The methods without "reader" in their description run on the source's thread, in stream order.
 */
final class ChunkReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkReader.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The offset key of the progress. */
    static final String PROGRESS_KEY = "obsync_chunks";
    /** The signal table's row type of a closing watermark. */
    static final String CLOSE_TYPE = "snapshot-window-close";

    /** A read of tables someone asked for: its id and the tables not read completely yet, in order. */
    private record Request(String id, List<String> tables, String file, long position) {
    }

    /** A chunk between its opening and its watermark: the keys the stream changed meanwhile, then its rows. */
    static final class Window {
        final String table;
        final long sequence;
        final Object[] upTo;
        final Set<List<Object>> touched = ConcurrentHashMap.newKeySet();
        volatile ChunkRows.Chunk chunk;

        Window(String table, long sequence, Object[] upTo) {
            this.table = table;
            this.sequence = sequence;
            this.upTo = upTo;
        }
    }

    /** A chunk's rows to send at its watermark, and the progress to save with the last of them. */
    record Emission(List<ChangeEvent> rows, String progressAfter) {
    }

    private final Properties debezium;
    private final String tenant;
    private final boolean notNullEpochIsZeroDate;
    private final SignalTable signals;
    private final int chunkSize;
    private final int parallelism;
    // requests not finished, the first one's first table being read (source thread; the reader takes copies)
    private final Deque<Request> requests = new ArrayDeque<>();
    private Object[] doneKey;
    // the full synchronization's request: when it is done, full synchronization is
    private volatile boolean fullSyncCompleted;
    // open windows by table and by their watermark's id
    private final Map<String, List<Window>> open = new ConcurrentHashMap<>();
    private final Map<String, Window> byMarker = new ConcurrentHashMap<>();
    // the chunks of the table being read that were sent before an earlier one, by sequence
    private final Map<Long, Window> sentEarly = new HashMap<>();
    private long nextToComplete;
    private final Semaphore inFlight;
    private final Object wake = new Object();
    private volatile boolean closed;
    // progress() as last written; STALE once the requests or the last key sent changed
    private static final String STALE = new String("stale");
    private volatile String progressText = STALE;
    // a one-pass read of tables without a key runs (Debezium's, while the stream waits): no new chunked read starts
    private volatile boolean onePass;
    private volatile String failure;
    private Thread planner;
    private ExecutorService readers;
    private final ThreadLocal<ChunkRows> rows = new ThreadLocal<>();
    // the one-pass reads of tables without a key, which Debezium does while the stream waits
    private final EngineSignals onePassReads;
    private final List<ChunkRows> allRows = new CopyOnWriteArrayList<>();

    /**
     * @param onePassReads where requests for tables without a key go (Debezium's one-pass read), null in tests
     */
    ChunkReader(Properties debezium, String tenant, boolean notNullEpochIsZeroDate, SignalTable signals, int chunkSize, int parallelism,
                EngineSignals onePassReads) {
        this.onePassReads = onePassReads;
        this.debezium = debezium;
        this.tenant = tenant;
        this.notNullEpochIsZeroDate = notNullEpochIsZeroDate;
        this.signals = signals;
        this.chunkSize = chunkSize;
        this.parallelism = Math.max(1, parallelism);
        this.inFlight = new Semaphore(this.parallelism + 1);
    }

    /** Takes the progress a saved position carries (a restart reads on at the next chunk); null: none. */
    void resume(Object saved) {
        if (saved == null) {
            return;
        }
        try {
            JsonNode progress = JSON.readTree(String.valueOf(saved));
            for (JsonNode request : progress.path("requests")) {
                List<String> tables = new ArrayList<>();
                request.path("tables").forEach(t -> tables.add(t.asText()));
                requests.add(new Request(request.path("id").asText(), tables, request.path("file").asText(), request.path("pos").asLong()));
            }
            doneKey = progress.hasNonNull("key") ? key(progress.get("key").asText()) : null;
            progressText = STALE;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new IllegalStateException("The saved position's chunked read (" + PROGRESS_KEY + ") cannot be read (" + e.getMessage()
                    + "): the state is damaged; restore it or start the task from a new state.", e);
        }
        if (!requests.isEmpty()) {
            LOG.info("Chunked read {} goes on at {}{}", requests.peek().id(), requests.peek().tables().get(0),
                    doneKey == null ? "'s first chunk" : ", after the last chunk sent");
        }
    }

    /** Starts reading (the requests resumed and those to come). */
    void start() {
        readers = Executors.newFixedThreadPool(parallelism, r -> {
            Thread thread = new Thread(r, "obsync-chunks");
            thread.setDaemon(true);
            return thread;
        });
        planner = new Thread(this::plan, "obsync-chunk-planner");
        planner.setDaemon(true);
        planner.start();
    }

    /** Whether the request is one this reader has (a request row read again after a restart). */
    boolean has(String id) {
        synchronized (requests) {
            return requests.stream().anyMatch(r -> r.id().equals(id));
        }
    }

    /** A request row read from the stream: its tables are read in chunks from now on. */
    void request(String id, List<String> tables, SourcePosition at) {
        synchronized (requests) {
            if (has(id) || tables.isEmpty()) {
                return;
            }
            requests.add(new Request(id, new ArrayList<>(tables), at == null ? "" : at.file(), at == null ? 0 : at.position()));
            progressText = STALE;
        }
        LOG.info("Chunked read {} of {}: chunks of {} rows, {} at a time", id, tables, chunkSize, parallelism);
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /**
     * A row written to the signal table: a request to read tables (those with a key in chunks here, the
     * others in one pass by Debezium, first) or a chunk's closing watermark, whose rows to send now it
     * returns (null otherwise).
     */
    Emission signal(ChangeEvent event) throws InterruptedException {
        var schema = event.schema();
        Object[] row = event.after();
        int id = schema == null ? -1 : schema.indexOf("id");
        int type = schema == null ? -1 : schema.indexOf("type");
        int data = schema == null ? -1 : schema.indexOf("data");
        if (id < 0 || type < 0 || data < 0 || row == null) {
            return null;
        }
        String signalId = String.valueOf(row[id]);
        if (CLOSE_TYPE.equals(row[type])) {
            return closed(signalId);
        }
        if (!"execute-snapshot".equals(row[type]) || row[data] == null) {
            return null;
        }
        SignalTable.Request request = SignalTable.Request.parse(String.valueOf(row[data]));
        if (request == null) {
            LOG.warn("Signal {} in {} is not a request obsync can read: {}", signalId, signals.qualified(), row[data]);
        } else if ("blocking".equals(request.type())) {
            // the tables without a key first, while the stream waits: chunked reads asked for later wait for them
            waitForOnePass();
            onePassReads.send(signalId, request.type(), String.valueOf(row[data]));
        } else {
            request(signalId, request.tables(), event.position());
        }
        return null;
    }

    /** Hands one-pass reads asked for before the engine ran to it. */
    void flush() {
        onePassReads.flush();
    }

    /** A streamed change: the open windows of its table drop their rows for the keys it touched. */
    void streamed(ChangeEvent event) {
        if (open.isEmpty() || event.table() == null) {
            return;
        }
        List<Window> windows = open.get(event.database() + "." + event.table());
        if (windows == null || windows.isEmpty() || event.schema() == null) {
            return;
        }
        int[] key = event.schema().primaryKeyIndexes();
        List<Object> before = event.before() == null ? null : keyOf(event.before(), key);
        List<Object> after = event.after() == null ? null : keyOf(event.after(), key);
        for (Window window : windows) {
            if (before != null) {
                window.touched.add(before);
            }
            if (after != null) {
                window.touched.add(after);
            }
        }
    }

    /**
     * A closing watermark read from the stream: the chunk's rows the stream did not change meanwhile,
     * to send now; null when the watermark is not one of this reader's (an older run's).
     */
    Emission closed(String marker) throws InterruptedException {
        Window window = byMarker.remove(marker);
        if (window == null) {
            return null;
        }
        List<Window> windows = open.get(window.table);
        if (windows != null) {
            windows.remove(window);
        }
        List<ChangeEvent> kept = new ArrayList<>(window.chunk.events().size());
        for (ChangeEvent row : window.chunk.events()) {
            if (!window.touched.contains(keyOf(row.after(), row.schema().primaryKeyIndexes()))) {
                kept.add(row);
            }
        }
        window.chunk = null;
        synchronized (requests) {
            // the table's chunks are complete up to the first one not sent yet
            sentEarly.put(window.sequence, window);
            Window done;
            while ((done = sentEarly.remove(nextToComplete)) != null) {
                nextToComplete++;
                doneKey = done.upTo;
                progressText = STALE;
                if (done.upTo == null) {
                    finishTable();
                }
            }
        }
        inFlight.release();
        synchronized (wake) {
            wake.notifyAll();
        }
        return new Emission(kept, progress());
    }

    private void finishTable() {
        synchronized (requests) {
            Request request = requests.peek();
            String table = request.tables().remove(0);
            LOG.info("Chunked read {}: {} read in chunks", request.id(), table);
            if (request.tables().isEmpty()) {
                requests.poll();
                LOG.info("Chunked read {} completed", request.id());
                if (request.id().startsWith(SignalTable.FULL_SYNC_PREFIX)) {
                    fullSyncCompleted = true;
                }
            }
            doneKey = null;
            progressText = STALE;
            nextToComplete = 0;
            sentEarly.clear();
        }
    }

    /** A one-pass read of tables was asked for: chunked reads not started yet wait until it completed. */
    void waitForOnePass() {
        onePass = true;
    }

    /** The one-pass read of tables completed. */
    void onePassCompleted() {
        onePass = false;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Whether the full synchronization's chunked read completed since the last call (once). */
    boolean fullSyncCompleted() {
        boolean completed = fullSyncCompleted;
        fullSyncCompleted = false;
        return completed;
    }

    /** Whether a saved progress ({@link #PROGRESS_KEY}) holds a full synchronization's read; false for none or one it cannot read. */
    static boolean fullSyncIn(Object progress) {
        if (progress == null) {
            return false;
        }
        try {
            for (JsonNode request : JSON.readTree(String.valueOf(progress)).path("requests")) {
                if (request.path("id").asText().startsWith(SignalTable.FULL_SYNC_PREFIX)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            // the task's start says it is damaged (resume)
            return false;
        }
    }

    /** The progress to save with a position read now; null when nothing is being read. */
    String progress() {
        String cached = progressText;
        if (cached != STALE) {
            return cached;
        }
        synchronized (requests) {
            progressText = written();
            return progressText;
        }
    }

    // the progress written anew (requests held); read once per change of it, not per record
    private String written() {
        synchronized (requests) {
            if (requests.isEmpty()) {
                return null;
            }
            ObjectNode progress = JSON.createObjectNode();
            ArrayNode list = progress.putArray("requests");
            for (Request request : requests) {
                ObjectNode item = list.addObject();
                item.put("id", request.id());
                item.put("file", request.file());
                item.put("pos", request.position());
                request.tables().forEach(item.putArray("tables")::add);
            }
            if (doneKey != null) {
                progress.put("key", text(doneKey));
            }
            return progress.toString();
        }
    }

    /** Why reading stopped, or null while it goes on. */
    String failure() {
        return failure;
    }

    // reader: plans the chunks of each table in turn, and hands them to the readers
    private void plan() {
        try {
            ChunkRows planning = rowsOfThisThread();
            while (!closed) {
                String table;
                Object[] after;
                Request request;
                synchronized (requests) {
                    request = requests.peek();
                    table = request == null ? null : request.tables().get(0);
                    after = doneKey;
                }
                if (table == null || onePass) {
                    synchronized (wake) {
                        wake.wait(200);
                    }
                    continue;
                }
                int dot = table.indexOf('.');
                ChunkRows.Shape shape;
                try {
                    shape = planning.shape(table.substring(0, dot), table.substring(dot + 1));
                } catch (SQLException gone) {
                    // dropped (or its key) since it was asked for: nothing to read
                    LOG.warn("Chunked read {}: {} is skipped ({})", request.id(), table, gone.getMessage());
                    synchronized (requests) {
                        finishTable();
                    }
                    continue;
                }
                // the rows of a request are named after the position it was read at: the same ids whenever it is read on
                SourcePosition position = new SourcePosition(0, request.file(), request.position(), request.position(), 0, 0, null);
                long sequence = 0;
                boolean last = false;
                while (!last && !closed) {
                    inFlight.acquire();
                    Object[] upTo = planning.upperBound(shape, after, chunkSize);
                    last = upTo == null;
                    Window window = open(table, sequence++, upTo);
                    Object[] from = after;
                    readers.execute(() -> read(shape, window, from, upTo, position));
                    after = upTo;
                }
                // the next table once every chunk of this one was sent
                synchronized (wake) {
                    while (!closed && has(request.id()) && table.equals(currentTable())) {
                        wake.wait(200);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            fail(e);
        }
    }

    private String currentTable() {
        synchronized (requests) {
            Request request = requests.peek();
            return request == null ? null : request.tables().get(0);
        }
    }

    /**
     * Reader: opens a chunk's window before its rows are read, so that every change the stream reads
     * from now on counts against them.
     *
     * @param upTo the chunk's last key, null for the table's last chunk
     */
    Window open(String table, long sequence, Object[] upTo) {
        Window window = new Window(table, sequence, upTo);
        open.computeIfAbsent(table, t -> new CopyOnWriteArrayList<>()).add(window);
        return window;
    }

    /** Reader: a chunk's rows were read; its closing watermark, written next, has this id. */
    void ready(Window window, ChunkRows.Chunk chunk, String marker) {
        window.chunk = chunk;
        byMarker.put(marker, window);
    }

    // reader: one chunk's rows, then its closing watermark
    private void read(ChunkRows.Shape shape, Window window, Object[] after, Object[] upTo, SourcePosition position) {
        try {
            ChunkRows rows = rowsOfThisThread();
            ChunkRows.Chunk chunk = rows.read(rows.current(shape), after, upTo, position);
            String marker = "obsync-w-" + UUID.randomUUID();
            ready(window, chunk, marker);
            rows.mark(signals, marker, CLOSE_TYPE, "chunk " + window.sequence);
        } catch (SQLException | RuntimeException e) {
            fail(e);
        }
    }

    private void fail(Exception e) {
        if (!closed) {
            failure = "tables could not be read in chunks (" + e.getMessage() + ")";
            LOG.error("Chunked read stopped: {}", e.getMessage(), e);
        }
    }

    private ChunkRows rowsOfThisThread() {
        ChunkRows own = rows.get();
        if (own == null) {
            own = new ChunkRows(debezium, tenant, notNullEpochIsZeroDate);
            rows.set(own);
            allRows.add(own);
        }
        return own;
    }

    // a key's model values, comparable: byte arrays by content
    private static List<Object> keyOf(Object[] row, int[] key) {
        Object[] values = new Object[key.length];
        for (int i = 0; i < key.length; i++) {
            Object value = row[key[i]];
            values[i] = value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
        }
        return Arrays.asList(values);
    }

    private static String text(Object[] key) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(key);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    // only the value classes a key column gives (numbers, text, bytes, times) are read back
    private static final ObjectInputFilter KEY_CLASSES = ObjectInputFilter.Config.createFilter(
            "java.lang.*;java.math.*;java.time.*;java.sql.*;java.util.Date;maxdepth=3;maxarray=64;!*");

    private static Object[] key(String text) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(text)))) {
            in.setObjectInputFilter(KEY_CLASSES);
            return (Object[]) in.readObject();
        }
    }

    @Override
    public void close() {
        closed = true;
        if (planner != null) {
            planner.interrupt();
        }
        if (readers != null) {
            readers.shutdownNow();
            try {
                readers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ChunkRows r : allRows) {
            try {
                r.close();
            } catch (SQLException e) {
                LOG.debug("A chunk connection did not close: {}", e.getMessage());
            }
        }
    }
}
