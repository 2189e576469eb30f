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
    private static final int QUERY_EVENT = 2;
    private static final int HEADER = 19;
    private static final int CLIENT_SSL = 0x0800;
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
                try {
                    upstream.connect(target, 5_000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                Connection connection = new Connection(client, upstream, ++number);
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
        private final Random random;
        private volatile boolean handshakeDone;
        private volatile boolean dumping;

        Connection(Socket client, Socket upstream, int number) {
            this.client = client;
            this.upstream = upstream;
            this.random = new Random(1_000_003L * number);
        }

        void start() throws IOException {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
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

        private void clientToServer() {
            try (DataInputStream in = new DataInputStream(client.getInputStream());
                 OutputStream out = new BufferedOutputStream(upstream.getOutputStream())) {
                while (true) {
                    Packet packet = Packet.read(in);
                    if (packet.sequence == 0 && packet.payload.length > 0 && handshakeDone) {
                        int command = packet.payload[0] & 0xFF;
                        if (command == COM_QUERY && drops(new String(packet.payload, 1, packet.payload.length - 1, StandardCharsets.UTF_8))) {
                            dropped.incrementAndGet();
                            close();
                            return;
                        }
                        if (command == COM_BINLOG_DUMP || command == COM_BINLOG_DUMP_GTID) {
                            dumping = true;
                        }
                    } else if (packet.sequence == 1 && !handshakeDone) {
                        // the handshake response: from here on a packet numbered 0 starts a command
                        handshakeDone = true;
                    }
                    packet.write(out, packet.sequence);
                    if (in.available() == 0) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                close();
            }
        }

        private boolean drops(String query) {
            Pattern pattern = dropPattern;
            return pattern != null && pattern.matcher(query).find() && dropsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        }

        private void serverToClient() {
            try (DataInputStream in = new DataInputStream(upstream.getInputStream());
                 OutputStream out = new BufferedOutputStream(client.getOutputStream())) {
                boolean greeting = true;
                int shift = 0;
                boolean continuation = false;
                String binlogFile = "";
                while (true) {
                    Packet packet = Packet.read(in);
                    if (greeting) {
                        packet.stripSsl();
                        greeting = false;
                    }
                    boolean event = dumping && !continuation && packet.payload.length > HEADER && packet.payload[0] == 0;
                    if (event && packet.payload.length != MAX_PACKET && (packet.payload[1 + 4] & 0xFF) == QUERY_EVENT && !rewrites.isEmpty()) {
                        rewrite(packet.payload);
                    }
                    packet.write(out, (packet.sequence + shift) & 0xFF);
                    continuation = packet.payload.length == MAX_PACKET;
                    if (event && !continuation) {
                        int type = packet.payload[1 + 4] & 0xFF;
                        if (type == ROTATE_EVENT) {
                            binlogFile = rotatedTo(packet.payload);
                        } else if (isRowEvent(type)) {
                            rowEventsSeen.incrementAndGet();
                            if (random.nextDouble() < heartbeatChance) {
                                shift++;
                                Packet heartbeat = heartbeat(packet.payload, binlogFile, checksummed(packet.payload));
                                heartbeat.write(out, (packet.sequence + shift) & 0xFF);
                                heartbeatsSent.incrementAndGet();
                            }
                        }
                    }
                    if (in.available() == 0) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                close();
            }
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

        /** In the server's greeting (protocol 10): the lower capability flags lose CLIENT_SSL. */
        void stripSsl() {
            if (payload.length == 0 || payload[0] != 10) {
                return;
            }
            int at = 1;
            while (at < payload.length && payload[at] != 0) {
                at++; // server version, NUL-terminated
            }
            at += 1 + 4 + 8 + 1; // NUL, connection id, first part of the scramble, filler
            if (at + 1 < payload.length) {
                payload[at] = (byte) (payload[at] & ~CLIENT_SSL);
                payload[at + 1] = (byte) (payload[at + 1] & ~(CLIENT_SSL >>> 8));
            }
        }
    }
}
