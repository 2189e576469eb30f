package io.obsync.it;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * A MySQL-protocol relay between obsync and the stand-in that behaves like the OceanBase Binlog
 * Service reached through obproxy where MariaDB does not: it sends HEARTBEAT events inside
 * transactions that are only partly sent (the Binlog Service's dumper does so whenever its file stops
 * growing), drops the connection on a binlog-listing query (ODP 4.2.1 did so under a tight loop of
 * {@code SHOW MASTER STATUS}), and can be pointed at another server for new connections (an instance
 * switchover). Everything else passes through byte for byte.
 *
 * <p>It reads the protocol's packets (3-byte length, sequence number, payload): a client packet with
 * sequence 0 after the handshake is a command; after {@code COM_BINLOG_DUMP} or
 * {@code COM_BINLOG_DUMP_GTID} every server packet is an OK byte and one binlog event. Inserted
 * packets renumber the ones after them. The server's greeting loses its SSL capability so that the
 * relay can read what passes.
 */
final class BinlogRelay implements AutoCloseable {

    private static final int COM_QUERY = 0x03;
    private static final int COM_BINLOG_DUMP = 0x12;
    private static final int COM_BINLOG_DUMP_GTID = 0x1e;
    private static final int HEARTBEAT_LOG_EVENT = 27;
    private static final int ROTATE_EVENT = 4;
    private static final int QUERY_EVENT = MySqlProtocol.QUERY_EVENT;
    private static final int HEADER = MySqlProtocol.HEADER;
    private static final int CLIENT_SSL = 0x0800;
    private static final int CLIENT_DEPRECATE_EOF = 0x01000000;
    private static final int MAX_PACKET = 0xFFFFFF;

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private volatile InetSocketAddress target;
    private volatile double heartbeatChance;
    private volatile Pattern dropPattern;
    private final java.util.Map<String, String> rewrites = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger dropsLeft = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger heartbeatsSent = new AtomicInteger();
    private final AtomicInteger rowEventsSeen = new AtomicInteger();
    private volatile boolean closed;
    // MySQL-style GTIDs over MariaDB's: the source id of every GTID, MariaDB's domain and origin server id; null when off
    private volatile java.util.UUID gtidSource;
    // MariaDB's GTID domain of the stand-in's transactions (one writer, the default domain)
    private static final int GTID_DOMAIN = 0;
    private volatile long gtidServerId;
    private volatile String reportedVersion;
    private volatile String backendUser;
    private volatile String backendPassword;
    private static final java.util.regex.Pattern GTID_SUBTRACT =
            java.util.regex.Pattern.compile("(?is)SELECT\\s+GTID_SUBTRACT\\s*\\(\\s*'([^']*)'\\s*,\\s*'([^']*)'\\s*\\)\\s*");

    private BinlogRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "binlog-relay-accept-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /** A relay on a free loopback port in front of host:port. */
    static BinlogRelay start(String host, int port) throws IOException {
        BinlogRelay relay = new BinlogRelay(new InetSocketAddress(host, port));
        relay.acceptor.start();
        return relay;
    }

    String host() {
        return "127.0.0.1";
    }

    int port() {
        return server.getLocalPort();
    }

    /**
     * After each row event, with this chance, a HEARTBEAT event as the Binlog Service sends it: the
     * stream's server id, the position after the last event sent, the current binlog file's name, and
     * a CRC32 when the stream has them. Each replication connection draws from its own generator
     * (seeded by the connection's number), so a transaction read again gets heartbeats elsewhere.
     */
    BinlogRelay heartbeatsInsideTransactions(double chance) {
        this.heartbeatChance = chance;
        return this;
    }

    /** The next {@code count} queries matching the pattern close the connection instead of being answered. */
    BinlogRelay dropConnectionOn(Pattern query, int count) {
        this.dropPattern = query;
        this.dropsLeft.set(count);
        return this;
    }

    /**
     * In the binlog stream, the statement {@code executed} (as the stand-in ran it) reads as {@code written}
     * (as OceanBase writes it, which MariaDB would refuse), padded with spaces to the same length so that
     * every position stays where it is. {@code executed} must be at least as long: pad it with a comment.
     */
    BinlogRelay rewriteStatement(String executed, String written) {
        if (written.getBytes(StandardCharsets.UTF_8).length > executed.getBytes(StandardCharsets.UTF_8).length) {
            throw new IllegalArgumentException("the statement to write is longer than the one executed: pad that with a comment");
        }
        rewrites.put(executed, written);
        return this;
    }

    /**
     * Serves MariaDB's binlog as a MySQL server with {@code gtid_mode=ON} serves its own, as the
     * OceanBase Binlog Service does: the greeting reports {@code version}, queries for GTID mode, the
     * executed and purged GTID sets and {@code GTID_SUBTRACT} are answered here, a
     * {@code COM_BINLOG_DUMP_GTID} becomes MariaDB's dump from the matching GTID position, and MariaDB's
     * GTID events become MySQL's GTID and BEGIN events. Every GTID is {@code source:<MariaDB sequence
     * number>}, so a transaction has the same GTID on every server that replicated it.
     *
     * @param source   the source id of the GTIDs (OceanBase: the tenant's server_uuid)
     * @param serverId the server id in MariaDB's GTIDs (the server the transactions were written on)
     * @param user     a login of the backends, to read their binlog status
     */
    BinlogRelay mysqlGtids(java.util.UUID source, String version, long serverId, String user, String password) {
        this.gtidServerId = serverId;
        this.reportedVersion = version;
        this.backendUser = user;
        this.backendPassword = password;
        this.gtidSource = source;
        return this;
    }

    /** New connections go to host:port from now on; open ones stay where they are (see {@link #closeConnections()}). */
    void switchTo(String host, int port) {
        target = new InetSocketAddress(host, port);
    }

    /** Closes every relayed connection, as a proxy does whose backend went away. */
    void closeConnections() {
        for (Connection connection : connections) {
            connection.close();
        }
    }

    int heartbeatsSent() {
        return heartbeatsSent.get();
    }

    int rowEventsSeen() {
        return rowEventsSeen.get();
    }

    int dropped() {
        return dropped.get();
    }

    private void accept() {
        int number = 0;
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                InetSocketAddress target = this.target;
                try {
                    upstream.connect(target, 5_000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                Connection connection = new Connection(client, upstream, target, ++number);
                connections.add(connection);
                connection.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("binlog relay: accept failed: " + e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        closeConnections();
    }

    /** One client connection and its upstream connection, each direction on a thread of its own. */
    private final class Connection {
        private final Socket client;
        private final Socket upstream;
        private final InetSocketAddress backend;
        private final Random random;
        private final Object clientLock = new Object();
        private OutputStream toClient;
        private OutputStream toServer;
        private volatile boolean handshakeDone;
        private volatile boolean dumping;
        // responses to the relay's own commands, read from the server and not passed on
        private final AtomicInteger swallow = new AtomicInteger();

        Connection(Socket client, Socket upstream, InetSocketAddress backend, int number) {
            this.client = client;
            this.upstream = upstream;
            this.backend = backend;
            this.random = new Random(1_000_003L * number);
        }

        void start() throws IOException {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            toClient = new BufferedOutputStream(client.getOutputStream());
            toServer = new BufferedOutputStream(upstream.getOutputStream());
            Thread up = new Thread(this::clientToServer, "binlog-relay-up");
            Thread down = new Thread(this::serverToClient, "binlog-relay-down");
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        void close() {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                upstream.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            connections.remove(this);
        }

        private void toClient(Packet packet, int sequence, boolean flush) throws IOException {
            synchronized (clientLock) {
                packet.write(toClient, sequence);
                if (flush) {
                    toClient.flush();
                }
            }
        }

        private void clientToServer() {
            try (DataInputStream in = new DataInputStream(client.getInputStream())) {
                while (true) {
                    Packet packet = Packet.read(in);
                    if (packet.sequence == 0 && packet.payload.length > 0 && handshakeDone && command(packet)) {
                        continue;
                    } else if (packet.sequence == 1 && !handshakeDone) {
                        // the handshake response: from here on a packet numbered 0 starts a command
                        handshakeDone = true;
                    }
                    packet.write(toServer, packet.sequence);
                    if (in.available() == 0) {
                        toServer.flush();
                    }
                }
            } catch (IOException e) {
                close();
            }
        }

        /** Handles a client's command; true when it was answered or passed on here. */
        private boolean command(Packet packet) throws IOException {
            int command = packet.payload[0] & 0xFF;
            if (command == COM_QUERY) {
                String query = new String(packet.payload, 1, packet.payload.length - 1, StandardCharsets.UTF_8);
                if (drops(query)) {
                    dropped.incrementAndGet();
                    close();
                    throw new IOException("dropped on " + query);
                }
                List<byte[]> answer = gtidSource == null ? null : answerAsMySql(query.trim());
                if (answer != null) {
                    for (int i = 0; i < answer.size(); i++) {
                        toClient(new Packet(i + 1, answer.get(i)), i + 1, i == answer.size() - 1);
                    }
                    return true;
                }
                return false;
            }
            if (command != COM_BINLOG_DUMP && command != COM_BINLOG_DUMP_GTID) {
                return false;
            }
            dumping = true;
            if (gtidSource == null) {
                return false;
            }
            // MariaDB sends its GTID events only to a replica that says it understands them
            ownCommand("SET @mariadb_slave_capability = 4");
            if (command == COM_BINLOG_DUMP_GTID) {
                long last = MySqlProtocol.lastTransaction(packet.payload, gtidSource);
                System.out.println("binlog relay: dump after GTID " + GTID_DOMAIN + "-" + gtidServerId + "-" + last + " from " + backend);
                ownCommand("SET @slave_connect_state = '" + (last == 0 ? "" : GTID_DOMAIN + "-" + gtidServerId + "-" + last) + "'");
                int[] flagsAndServer = MySqlProtocol.dumpFlagsAndServer(packet.payload);
                new Packet(0, MySqlProtocol.binlogDump("", 4, flagsAndServer[0] & 1, flagsAndServer[1])).write(toServer, 0);
            } else {
                packet.write(toServer, 0);
            }
            toServer.flush();
            return true;
        }

        private void ownCommand(String sql) throws IOException {
            swallow.incrementAndGet();
            new Packet(0, MySqlProtocol.query(sql)).write(toServer, 0);
            toServer.flush();
        }

        private boolean drops(String query) {
            Pattern pattern = dropPattern;
            return pattern != null && pattern.matcher(query).find() && dropsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        }

        private void serverToClient() {
            try (DataInputStream in = new DataInputStream(upstream.getInputStream())) {
                boolean greeting = true;
                int shift = 0;
                boolean continuation = false;
                String binlogFile = "";
                while (true) {
                    Packet packet = Packet.read(in);
                    if (greeting) {
                        packet = greeting(packet);
                        greeting = false;
                    } else if (swallow.get() > 0 && !continuation) {
                        if ((packet.payload[0] & 0xFF) == 0xFF) {
                            throw new IOException("the server refused a command of the relay: "
                                    + new String(packet.payload, 3, packet.payload.length - 3, StandardCharsets.UTF_8));
                        }
                        swallow.decrementAndGet();
                        continue;
                    }
                    boolean event = dumping && !continuation && packet.payload.length > HEADER && packet.payload[0] == 0;
                    int type = event ? packet.payload[1 + 4] & 0xFF : -1;
                    if (event && packet.payload.length != MAX_PACKET && type == QUERY_EVENT && !rewrites.isEmpty()) {
                        rewrite(packet.payload);
                    }
                    continuation = packet.payload.length == MAX_PACKET;
                    List<byte[]> converted = event && !continuation && gtidSource != null ? asMySqlEvents(packet.payload, type) : null;
                    if (converted == null) {
                        toClient(packet, packet.sequence + shift, false);
                    } else {
                        shift--;
                        for (byte[] payload : converted) {
                            shift++;
                            toClient(new Packet(0, payload), packet.sequence + shift, false);
                        }
                    }
                    if (event && !continuation) {
                        if (type == ROTATE_EVENT) {
                            binlogFile = rotatedTo(packet.payload);
                        } else if (isRowEvent(type)) {
                            rowEventsSeen.incrementAndGet();
                            if (random.nextDouble() < heartbeatChance) {
                                shift++;
                                Packet heartbeat = heartbeat(packet.payload, binlogFile, checksummed(packet.payload));
                                toClient(heartbeat, packet.sequence + shift, false);
                                heartbeatsSent.incrementAndGet();
                            }
                        }
                    }
                    if (in.available() == 0) {
                        synchronized (clientLock) {
                            toClient.flush();
                        }
                    }
                }
            } catch (IOException e) {
                close();
            }
        }

        /** The server's greeting without SSL, and in GTID mode with the version and without CLIENT_DEPRECATE_EOF. */
        private Packet greeting(Packet packet) {
            if (gtidSource == null) {
                packet.stripCapabilities(CLIENT_SSL, 0);
                return packet;
            }
            Packet rewritten = packet.withVersion(reportedVersion);
            rewritten.stripCapabilities(CLIENT_SSL, CLIENT_DEPRECATE_EOF >>> 16);
            return rewritten;
        }

        /** A query the stand-in cannot answer as a MySQL server with GTIDs would, answered here; null for the others. */
        private List<byte[]> answerAsMySql(String query) throws IOException {
            String q = query.toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ");
            if (q.equals("show global variables like 'gtid_mode'")) {
                return MySqlProtocol.resultSet(List.of("Variable_name", "Value"), List.of(List.of("gtid_mode", "ON")));
            }
            if (q.equals("select @@global.gtid_purged")) {
                return MySqlProtocol.resultSet(List.of("@@global.gtid_purged"), List.of(List.of("")));
            }
            if (q.equals("show global variables like 'server_uuid'")) {
                return MySqlProtocol.resultSet(List.of("Variable_name", "Value"), List.of(List.of("server_uuid", gtidSource.toString())));
            }
            if (q.equals("select @@global.gtid_executed") || q.equals("show master status")) {
                String[] status = backendStatus();
                if (q.startsWith("select")) {
                    return MySqlProtocol.resultSet(List.of("@@global.gtid_executed"), List.of(List.of(status[2])));
                }
                return MySqlProtocol.resultSet(List.of("File", "Position", "Binlog_Do_DB", "Binlog_Ignore_DB", "Executed_Gtid_Set"),
                        List.of(java.util.Arrays.asList(status[0], status[1], "", "", status[2])));
            }
            java.util.regex.Matcher subtract = GTID_SUBTRACT.matcher(query);
            if (subtract.matches()) {
                String difference = new io.debezium.connector.mysql.gtid.MySqlGtidSet(subtract.group(1))
                        .subtract(new io.debezium.connector.mysql.gtid.MySqlGtidSet(subtract.group(2))).toString();
                return MySqlProtocol.resultSet(List.of("GTID_SUBTRACT"), List.of(List.of(difference)));
            }
            return null;
        }

        /** The backend's binlog file, position and executed GTIDs (as the MySQL-style set), read over a connection of the relay's own. */
        private String[] backendStatus() throws IOException {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:mysql://" + backend.getHostString() + ":"
                    + backend.getPort() + "/?useSSL=false", backendUser, backendPassword);
                 java.sql.Statement statement = c.createStatement()) {
                String file;
                String position;
                try (java.sql.ResultSet rows = statement.executeQuery("SHOW MASTER STATUS")) {
                    rows.next();
                    file = rows.getString(1);
                    position = rows.getString(2);
                }
                long last = 0;
                try (java.sql.ResultSet rows = statement.executeQuery("SELECT @@global.gtid_binlog_pos")) {
                    rows.next();
                    for (String gtid : String.valueOf(rows.getString(1)).split(",")) {
                        String[] parts = gtid.trim().split("-");
                        if (parts.length == 3 && parts[0].equals(Integer.toString(GTID_DOMAIN))) {
                            last = Long.parseLong(parts[2]);
                        }
                    }
                }
                return new String[] {file, position, last == 0 ? "" : gtidSource + ":1-" + last};
            } catch (java.sql.SQLException e) {
                throw new IOException("the relay could not read the backend's binlog status", e);
            }
        }

        /**
         * MariaDB's GTID event as MySQL writes a transaction's start: a GTID event (the transaction
         * number is MariaDB's sequence number, so it is the same on every server that has the
         * transaction) and, unless the statement stands alone, a BEGIN as long as the event it
         * replaces, so that positions read from it are MariaDB's. MariaDB's other events of its own
         * are left out. Null for every other event (passed on unchanged).
         */
        private List<byte[]> asMySqlEvents(byte[] payload, int type) {
            if (type == MySqlProtocol.MARIADB_GTID_LIST || type == MySqlProtocol.MARIADB_BINLOG_CHECKPOINT
                    || type == MySqlProtocol.MARIADB_ANNOTATE_ROWS) {
                return List.of();
            }
            if (type != MySqlProtocol.MARIADB_GTID) {
                return null;
            }
            boolean checksum = checksummed(payload);
            int timestamp = littleEndianInt(payload, 1);
            int serverId = littleEndianInt(payload, 1 + 5);
            int size = littleEndianInt(payload, 1 + 9);
            int next = littleEndianInt(payload, 1 + 13);
            long sequence = java.nio.ByteBuffer.wrap(payload, 1 + HEADER, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            int flags = payload[1 + HEADER + 12] & 0xFF;
            List<byte[]> events = new ArrayList<>(2);
            events.add(MySqlProtocol.event(timestamp, MySqlProtocol.GTID_EVENT, serverId, next - size,
                    MySqlProtocol.gtidBody(gtidSource, sequence), checksum));
            if ((flags & MySqlProtocol.MARIADB_FL_STANDALONE) == 0) {
                events.add(MySqlProtocol.event(timestamp, QUERY_EVENT, serverId, next, MySqlProtocol.beginBody(size, checksum), checksum));
            }
            return events;
        }
    }

    /** Replaces a statement to rewrite inside a QUERY event, in place, and renews the event's checksum. */
    private void rewrite(byte[] payload) {
        boolean checksum = checksummed(payload);
        for (var entry : rewrites.entrySet()) {
            byte[] executed = entry.getKey().getBytes(StandardCharsets.UTF_8);
            int at = indexOf(payload, executed);
            if (at < 0) {
                continue;
            }
            byte[] written = entry.getValue().getBytes(StandardCharsets.UTF_8);
            java.util.Arrays.fill(payload, at, at + executed.length, (byte) ' ');
            System.arraycopy(written, 0, payload, at, written.length);
            if (checksum) {
                CRC32 crc = new CRC32();
                crc.update(payload, 1, payload.length - 1 - 4);
                putLittleEndianInt(payload, payload.length - 4, (int) crc.getValue());
            }
            return;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean isRowEvent(int type) {
        // WRITE/UPDATE/DELETE_ROWS, version 1 (23-25) and 2 (30-32)
        return type >= 23 && type <= 25 || type >= 30 && type <= 32;
    }

    /** Whether an event (after the packet's OK byte) ends with a CRC32 of the rest. */
    private static boolean checksummed(byte[] payload) {
        int length = payload.length - 1;
        if (length < HEADER + 4) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(payload, 1, length - 4);
        return (int) crc.getValue() == littleEndianInt(payload, payload.length - 4);
    }

    private static String rotatedTo(byte[] payload) {
        int nameStart = 1 + HEADER + 8;
        int end = payload.length - (checksummed(payload) ? 4 : 0);
        return new String(payload, nameStart, Math.max(0, end - nameStart), StandardCharsets.UTF_8);
    }

    /** A HEARTBEAT event following the event in {@code after} (a packet's payload, OK byte first). */
    static Packet heartbeat(byte[] after, String binlogFile, boolean checksum) {
        byte[] name = binlogFile.getBytes(StandardCharsets.UTF_8);
        int size = HEADER + name.length + (checksum ? 4 : 0);
        byte[] payload = new byte[1 + size];
        int serverId = littleEndianInt(after, 1 + 5);
        int nextPosition = littleEndianInt(after, 1 + 13);
        // timestamp 0, type, server id, event size, position after the last event sent, flags 0
        payload[1 + 4] = (byte) HEARTBEAT_LOG_EVENT;
        putLittleEndianInt(payload, 1 + 5, serverId);
        putLittleEndianInt(payload, 1 + 9, size);
        putLittleEndianInt(payload, 1 + 13, nextPosition);
        System.arraycopy(name, 0, payload, 1 + HEADER, name.length);
        if (checksum) {
            CRC32 crc = new CRC32();
            crc.update(payload, 1, size - 4);
            putLittleEndianInt(payload, payload.length - 4, (int) crc.getValue());
        }
        return new Packet(0, payload);
    }

    private static int littleEndianInt(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16 | (bytes[at + 3] & 0xFF) << 24;
    }

    private static void putLittleEndianInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) value;
        bytes[at + 1] = (byte) (value >>> 8);
        bytes[at + 2] = (byte) (value >>> 16);
        bytes[at + 3] = (byte) (value >>> 24);
    }

    /** One protocol packet. */
    record Packet(int sequence, byte[] payload) {

        static Packet read(DataInputStream in) throws IOException {
            int b0 = in.read();
            if (b0 < 0) {
                throw new EOFException();
            }
            int length = b0 | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
            int sequence = in.readUnsignedByte();
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new Packet(sequence, payload);
        }

        void write(OutputStream out, int sequenceNumber) throws IOException {
            int length = payload.length;
            out.write(length & 0xFF);
            out.write(length >>> 8 & 0xFF);
            out.write(length >>> 16 & 0xFF);
            out.write(sequenceNumber & 0xFF);
            out.write(payload);
        }

        /** In the server's greeting (protocol 10): the lower and upper capability flags lose the given bits. */
        void stripCapabilities(int lower, int upper) {
            if (payload.length == 0 || payload[0] != 10) {
                return;
            }
            int at = capabilities();
            if (at + 1 < payload.length) {
                payload[at] = (byte) (payload[at] & ~lower);
                payload[at + 1] = (byte) (payload[at + 1] & ~(lower >>> 8));
            }
            // after the lower flags: character set (1), status (2), then the upper flags
            if (at + 6 < payload.length) {
                payload[at + 5] = (byte) (payload[at + 5] & ~upper);
                payload[at + 6] = (byte) (payload[at + 6] & ~(upper >>> 8));
            }
        }

        private int capabilities() {
            int at = 1;
            while (at < payload.length && payload[at] != 0) {
                at++; // server version, NUL-terminated
            }
            return at + 1 + 4 + 8 + 1; // NUL, connection id, first part of the scramble, filler
        }

        /** The greeting with another server version. */
        Packet withVersion(String version) {
            int end = 1;
            while (end < payload.length && payload[end] != 0) {
                end++;
            }
            byte[] name = version.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[payload.length - (end - 1) + name.length];
            out[0] = payload[0];
            System.arraycopy(name, 0, out, 1, name.length);
            System.arraycopy(payload, end, out, 1 + name.length, payload.length - end);
            return new Packet(sequence, out);
        }
    }
}
