package io.obsync.manage;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.obsync.event.SourcePosition;

/** Live state of one sync task: what the source has read and the target acknowledged, and how it ended. */
public class TaskStatus {

    /** Life of a task. */
    public enum State { STARTING, RUNNING, FAILED, STOPPED }

    /** What the source reads: the table structure, every row (full synchronization), or the changes. */
    public enum Phase { SCHEMA, FULL, INCREMENTAL }

    /** Whether this instance reads the binlog: the only instance, the active one of a group, or a standby waiting. */
    public enum Role { SINGLE, ACTIVE, STANDBY }

    /** Events of one table or topic: read from the source, dropped by the selection, acknowledged by the target. */
    public static final class Counts {
        private final String name;
        private final LongAdder in = new LongAdder();
        private final LongAdder filtered = new LongAdder();
        private final LongAdder out = new LongAdder();
        // rows of this table read by the running (or last) full synchronization
        private final LongAdder snapshotRows = new LongAdder();

        private Counts(String name) {
            this.name = name;
        }

        public long in() {
            return in.sum();
        }

        public long filtered() {
            return filtered.sum();
        }

        public long out() {
            return out.sum();
        }
    }

    /** Told about each table and topic the task sees for the first time (metrics register their meters). */
    public interface Listener {
        void newTable(String table, Counts counts);

        void newTopic(String topic, Counts counts);

        /** Full synchronization reads this table. */
        void fullSyncTable(String table);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Counts> tables = new ConcurrentHashMap<>();
    private final Map<String, Counts> topics = new ConcurrentHashMap<>();
    private final Map<String, Long> fullSyncEstimates = new ConcurrentHashMap<>();
    private volatile Phase phase = Phase.INCREMENTAL;
    private volatile long fullSyncStartMillis;
    private volatile long fullSyncEndMillis;

    private final AtomicLong eventsRead = new AtomicLong();
    private final AtomicLong eventsAcknowledged = new AtomicLong();
    private final AtomicLong rowChangesAcknowledged = new AtomicLong();
    private final AtomicLong failedSends = new AtomicLong();
    private final AtomicLong resends = new AtomicLong();
    private volatile State state = State.STARTING;
    private volatile String lastError;
    private volatile SourcePosition committedPosition;
    private volatile long committedCommitTimeMillis;

    private volatile Role role = Role.SINGLE;
    // the table full synchronization read its latest row of
    private volatile Counts fullSyncCurrent;
    private final Deque<Incident> recentErrors = new ArrayDeque<>();

    /** An error the task met: when it was last seen, its one-line message, how many times in a row. */
    public record Incident(long lastMillis, String message, int times) {
    }

    /** At most so many recent errors are kept (a repeated one counts up instead of taking another place). */
    public static final int RECENT_ERRORS = 20;

    /** This instance's role changed (a standby group elected another active instance). */
    public void role(Role next) {
        role = next;
    }

    public Role getRole() {
        return role;
    }

    public void running() {
        if (state == State.STARTING) {
            state = State.RUNNING;
        }
    }

    public void read(int events) {
        eventsRead.addAndGet(events);
    }

    /** A batch is acknowledged up to and including an event at this position. */
    public void acknowledged(int events, int rowChanges, SourcePosition position, long commitTimeMillis) {
        eventsAcknowledged.addAndGet(events);
        rowChangesAcknowledged.addAndGet(rowChanges);
        if (position != null) {
            committedPosition = position;
        }
        if (commitTimeMillis > 0) {
            committedCommitTimeMillis = commitTimeMillis;
        }
    }

    /** One message was not acknowledged by the target. */
    public void sendFailed(String error) {
        failedSends.incrementAndGet();
        lastError = error;
        remember(error);
    }

    /** A batch is being sent again from its first failed event. */
    public void resent() {
        resends.incrementAndGet();
    }

    public void failed(String error) {
        lastError = error;
        state = State.FAILED;
        remember(error);
    }

    private void remember(String error) {
        String message = error == null ? "" : error;
        synchronized (recentErrors) {
            Incident last = recentErrors.peekLast();
            if (last != null && last.message().equals(message)) {
                recentErrors.pollLast();
                recentErrors.addLast(new Incident(System.currentTimeMillis(), message, last.times() + 1));
                return;
            }
            recentErrors.addLast(new Incident(System.currentTimeMillis(), message, 1));
            while (recentErrors.size() > RECENT_ERRORS) {
                recentErrors.pollFirst();
            }
        }
    }

    /** The latest errors, oldest first. */
    public List<Incident> recentErrors() {
        synchronized (recentErrors) {
            return List.copyOf(recentErrors);
        }
    }

    /** The source runs again after a pause. */
    public void resumed() {
        if (state == State.STOPPED) {
            state = State.RUNNING;
        }
    }

    public void stopped() {
        if (state != State.FAILED) {
            state = State.STOPPED;
        }
    }

    /** The source moves to another phase. */
    public void phase(Phase next) {
        if (next == Phase.FULL) {
            // full synchronization (re)starts from its first row: after a stop or pause during it, too
            fullSyncStartMillis = System.currentTimeMillis();
            fullSyncEndMillis = 0;
            tables.values().forEach(counts -> counts.snapshotRows.reset());
        }
        if (next == Phase.INCREMENTAL && phase == Phase.FULL) {
            fullSyncEndMillis = System.currentTimeMillis();
        }
        phase = next;
    }

    public Phase getPhase() {
        return phase;
    }

    /** Rows each table holds by the source's estimate, when full synchronization starts. */
    public void fullSyncEstimates(Map<String, Long> estimates) {
        estimates.forEach((table, rows) -> {
            if (fullSyncEstimates.put(table, rows) == null) {
                listeners.forEach(l -> l.fullSyncTable(table));
            }
        });
    }

    /** Adds a listener; it hears of the tables and topics seen so far at once. */
    public void addListener(Listener listener) {
        listeners.add(listener);
        tables.forEach(listener::newTable);
        topics.forEach(listener::newTopic);
        fullSyncEstimates.keySet().forEach(listener::fullSyncTable);
    }

    // database -> table -> counts, so that counting an event builds no "db.table" string
    private final Map<String, Map<String, Counts>> byDatabase = new ConcurrentHashMap<>();

    private Counts table(String databaseName, String table) {
        String database = databaseName == null ? "" : databaseName;
        Map<String, Counts> ofDatabase = byDatabase.get(database);
        if (ofDatabase == null) {
            ofDatabase = byDatabase.computeIfAbsent(database, d -> new ConcurrentHashMap<>());
        }
        Counts counts = ofDatabase.get(table);
        if (counts == null) {
            counts = counts(tables, database + "." + table, true);
            ofDatabase.putIfAbsent(table, counts);
        }
        return counts;
    }

    private Counts topic(String name) {
        return counts(topics, name, false);
    }

    private Counts counts(Map<String, Counts> map, String name, boolean table) {
        Counts counts = map.get(name);
        if (counts != null) {
            return counts;
        }
        Counts created = new Counts(name);
        counts = map.putIfAbsent(name, created);
        if (counts != null) {
            return counts;
        }
        for (Listener listener : listeners) {
            if (table) {
                listener.newTable(name, created);
            } else {
                listener.newTopic(name, created);
            }
        }
        return created;
    }

    /** One event of a table was read. */
    public void eventIn(String database, String table, boolean snapshotRow) {
        Counts counts = table(database, table);
        counts.in.increment();
        if (snapshotRow) {
            counts.snapshotRows.increment();
            fullSyncCurrent = counts;
        }
    }

    /** An event of a table was dropped by the selection (table, DML type, row filter) or its topic's format (topic known then). */
    public void eventFiltered(String database, String table, String topic) {
        table(database, table).filtered.increment();
        if (topic != null) {
            Counts counts = topic(topic);
            counts.in.increment();
            counts.filtered.increment();
        }
    }

    /** An event of a table was acknowledged by the target under a topic. */
    public void eventOut(String database, String table, String topic) {
        table(database, table).out.increment();
        Counts counts = topic(topic);
        counts.in.increment();
        counts.out.increment();
    }

    /** Counts per table ("db.table"), sorted by name. */
    public Map<String, Counts> tableCounts() {
        return new TreeMap<>(tables);
    }

    /** Counts per topic, sorted by name (a topic's events in are the ones routed to it). */
    public Map<String, Counts> topicCounts() {
        return new TreeMap<>(topics);
    }

    /** Rows full synchronization read per table so far. */
    public Map<String, Long> fullSyncRows() {
        Map<String, Long> rows = new TreeMap<>();
        tables.forEach((table, counts) -> {
            long read = counts.snapshotRows.sum();
            if (read > 0) {
                rows.put(table, read);
            }
        });
        return rows;
    }

    /** The table ("db.table") full synchronization read its latest row of, or null when it read none. */
    public String fullSyncCurrentTable() {
        Counts current = fullSyncCurrent;
        return current == null ? null : current.name;
    }

    /** Estimated rows per table (information_schema), for progress. */
    public Map<String, Long> fullSyncEstimates() {
        return new TreeMap<>(fullSyncEstimates);
    }

    /** Milliseconds full synchronization ran (so far, while it runs); 0 when there was none. */
    public long fullSyncMillis() {
        long start = fullSyncStartMillis;
        if (start == 0) {
            return 0;
        }
        long end = fullSyncEndMillis;
        return (end == 0 ? System.currentTimeMillis() : end) - start;
    }

    public State getState() {
        return state;
    }

    public boolean isFailed() {
        return state == State.FAILED;
    }

    public String getLastError() {
        return lastError;
    }

    public long getEventsRead() {
        return eventsRead.get();
    }

    public long getEventsAcknowledged() {
        return eventsAcknowledged.get();
    }

    /** INSERT, UPDATE, DELETE and snapshot rows whose delivery the target confirmed. */
    public long getRowChangesAcknowledged() {
        return rowChangesAcknowledged.get();
    }

    public long getFailedSends() {
        return failedSends.get();
    }

    public long getResends() {
        return resends.get();
    }

    public SourcePosition getCommittedPosition() {
        return committedPosition;
    }

    /** Milliseconds between the source commit of the last acknowledged event and now (clock skew shows as is). */
    public long getLatencyMillis() {
        long commit = committedCommitTimeMillis;
        return commit == 0 ? -1 : System.currentTimeMillis() - commit;
    }
}
