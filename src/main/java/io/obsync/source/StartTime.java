package io.obsync.source;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import io.obsync.config.Options;

/**
 * Where incremental synchronization starts: the first transaction of the binlog at or after a
 * given time ({@code obsync.source.start-time}), found by reading the binlog's event headers.
 */
public final class StartTime {

    /** A place in the binlog. */
    public record BinlogPosition(String file, long position, String gtids) {
        public BinlogPosition(String file, long position) {
            this(file, position, null);
        }

        @Override
        public String toString() {
            return file + ":" + position;
        }
    }

    /** How to reach the source's binlog. */
    public record Source(String host, int port, String user, String password, String sslMode, long serverId) {
        Connection connect() throws SQLException {
            return SourceConnection.open(host, Integer.toString(port), user, password, sslMode);
        }
    }

    private StartTime() {
    }

    /**
     * The instant a start time names: epoch seconds, or an ISO-8601 date-time with or without an
     * offset (without one it is UTC); null for an empty value or {@code now}.
     */
    public static Instant parse(String text) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty() || value.equalsIgnoreCase("now") || isPosition(value)) {
            return null;
        }
        if (value.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochSecond(Long.parseLong(value));
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException e) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e2) {
                throw new IllegalArgumentException(Options.SOURCE_START_TIME.key() + " is '" + value + "', which is not a time: use epoch seconds "
                        + "(1763700000), an ISO-8601 date-time (2026-11-21T08:00:00+08:00; without an offset it is UTC) or leave it empty for now.");
            }
        }
    }

    private static final Pattern FILE_POSITION = Pattern.compile("([^\\s:]+\\.\\d+):(\\d+)");

    /** Whether a start names a place in the binlog ({@code earliest}, {@code latest}, {@code <file>:<position>}) rather than a time. */
    public static boolean isPosition(String text) {
        String value = text == null ? "" : text.trim();
        return value.equalsIgnoreCase("earliest") || value.equalsIgnoreCase("latest") || FILE_POSITION.matcher(value).matches();
    }

    /**
     * The place a start names: the first event of the oldest binlog the source keeps, the end of the
     * binlog now, or the given file and position (the file must still be kept by the source).
     */
    public static BinlogPosition position(Source source, String text) throws SQLException {
        String value = text.trim();
        if (value.equalsIgnoreCase("latest")) {
            return BinlogListing.current(source::connect);
        }
        List<String> files = BinlogListing.files(source::connect);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("the source keeps no binary log: turn the binary log on.");
        }
        if (value.equalsIgnoreCase("earliest")) {
            return new BinlogPosition(files.get(0), 4);
        }
        Matcher m = FILE_POSITION.matcher(value);
        if (!m.matches() || !files.contains(m.group(1))) {
            throw new IllegalArgumentException("the start position '" + value + "' names a binlog file the source does not keep (it keeps "
                    + files.get(0) + " to " + files.get(files.size() - 1) + "): give one of those, or earliest or latest.");
        }
        return new BinlogPosition(m.group(1), Long.parseLong(m.group(2)));
    }

    /**
     * The first transaction at or after {@code time}. Fails when the time lies in the future, or before
     * the oldest binlog the source still keeps (the changes in between are gone).
     */
    public static BinlogPosition resolve(Source source, Instant time) throws Exception {
        if (time.isAfter(Instant.now().plusSeconds(1))) {
            throw new IllegalArgumentException(Options.SOURCE_START_TIME.key() + " " + time + " lies in the future: give a time in the past, or leave it empty to start now.");
        }
        List<String> files = BinlogListing.files(source::connect);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("the source keeps no binary log: turn the binary log on to start from obsync.source.start-time.");
        }
        // the newest file that began at or before the time
        int from = -1;
        long oldestStart = 0;
        for (int i = files.size() - 1; i >= 0; i--) {
            long began = firstEventMillis(source, files.get(i));
            if (began <= time.toEpochMilli()) {
                from = i;
                break;
            }
            oldestStart = began;
        }
        if (from < 0) {
            throw new IllegalArgumentException(Options.SOURCE_START_TIME.key() + " " + time + " is earlier than the oldest binlog the source keeps ("
                    + files.get(0) + ", from " + Instant.ofEpochMilli(oldestStart) + "): the changes before were purged; give a later time, "
                    + "or use full synchronization (obsync.full-sync.enabled=true) for the current rows.");
        }
        return firstTransactionFrom(source, files.get(from), time.toEpochMilli());
    }

    private static BinaryLogClient client(Source source, String file) {
        BinaryLogClient client = new BinaryLogClient(source.host(), source.port(), source.user(), source.password());
        client.setServerId(source.serverId());
        client.setBinlogFilename(file);
        client.setBinlogPosition(4);
        // read to the end of the binlog and stop, instead of waiting for new events
        client.setBlocking(false);
        client.setKeepAlive(false);
        client.setSSLMode(sslMode(source.sslMode()));
        return client;
    }

    private static SSLMode sslMode(String mode) {
        String value = mode == null || mode.isBlank() ? "PREFERRED" : mode.trim().toUpperCase(Locale.ROOT);
        return SSLMode.valueOf(value);
    }

    /** When a binlog file began: the time of its first event that has one. */
    private static long firstEventMillis(Source source, String file) throws IOException {
        BinaryLogClient client = client(source, file);
        AtomicReference<Long> first = new AtomicReference<>();
        client.registerEventListener(event -> {
            if (first.get() == null && event.getHeader().getTimestamp() > 0) {
                first.set(event.getHeader().getTimestamp());
                disconnect(client);
            }
        });
        client.connect();
        return first.get() == null ? Long.MAX_VALUE : first.get();
    }

    private static BinlogPosition firstTransactionFrom(Source source, String file, long millis) throws IOException {
        BinaryLogClient client = client(source, file);
        AtomicReference<String> current = new AtomicReference<>(file);
        AtomicReference<BinlogPosition> found = new AtomicReference<>();
        AtomicReference<BinlogPosition> end = new AtomicReference<>(new BinlogPosition(file, 4));
        boolean[] afterGtid = {false};
        client.registerEventListener(event -> {
            if (found.get() != null) {
                return;
            }
            EventHeaderV4 header = event.getHeader();
            EventType type = header.getEventType();
            if (type == EventType.ROTATE) {
                RotateEventData rotate = event.getData();
                current.set(rotate.getBinlogFilename());
                return;
            }
            boolean starts = switch (type) {
                case GTID, ANONYMOUS_GTID, MARIADB_GTID -> true;
                // without GTIDs a transaction opens with BEGIN, a DDL is a statement of its own
                case QUERY -> !afterGtid[0] && !isCommit(event.getData());
                default -> false;
            };
            afterGtid[0] = type == EventType.GTID || type == EventType.ANONYMOUS_GTID || type == EventType.MARIADB_GTID;
            if (starts && header.getTimestamp() >= millis) {
                found.set(new BinlogPosition(current.get(), header.getPosition()));
                disconnect(client);
            } else if (header.getNextPosition() > 0) {
                end.set(new BinlogPosition(current.get(), header.getNextPosition()));
            }
        });
        client.connect();
        // nothing written since the time: start where the binlog ends
        return found.get() != null ? found.get() : end.get();
    }

    private static boolean isCommit(QueryEventData query) {
        return query != null && query.getSql() != null && query.getSql().trim().equalsIgnoreCase("COMMIT");
    }

    private static void disconnect(BinaryLogClient client) {
        try {
            client.disconnect();
        } catch (IOException e) {
            // the stream ends either way
        }
    }
}
