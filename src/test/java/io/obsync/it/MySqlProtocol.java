package io.obsync.it;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * The few pieces of the MySQL client/server protocol {@link BinlogRelay} writes itself: text result
 * sets (with EOF packets), binlog events with their header and CRC32, MySQL's GTID and BEGIN events,
 * and the GTID set a {@code COM_BINLOG_DUMP_GTID} request carries.
 */
final class MySqlProtocol {

    static final int HEADER = 19;
    static final int QUERY_EVENT = 2;
    static final int GTID_EVENT = 33;
    static final int MARIADB_ANNOTATE_ROWS = 160;
    static final int MARIADB_BINLOG_CHECKPOINT = 161;
    static final int MARIADB_GTID = 162;
    static final int MARIADB_GTID_LIST = 163;
    // MariaDB's GTID event flag for a statement outside a transaction (DDL): no BEGIN follows
    static final int MARIADB_FL_STANDALONE = 1;

    private MySqlProtocol() {
    }

    /** The packets of a text result set of string columns: column count, definitions, EOF, rows, EOF. */
    static List<byte[]> resultSet(List<String> columns, List<List<String>> rows) {
        List<byte[]> packets = new ArrayList<>();
        ByteArrayOutputStream count = new ByteArrayOutputStream();
        lengthEncoded(count, columns.size());
        packets.add(count.toByteArray());
        for (String column : columns) {
            ByteArrayOutputStream definition = new ByteArrayOutputStream();
            lengthEncoded(definition, "def");
            lengthEncoded(definition, "");
            lengthEncoded(definition, "");
            lengthEncoded(definition, "");
            lengthEncoded(definition, column);
            lengthEncoded(definition, column);
            definition.write(0x0c);
            definition.writeBytes(new byte[] {33, 0}); // utf8_general_ci
            definition.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, 0, 0}); // column length
            definition.write(0xfd); // VAR_STRING
            definition.writeBytes(new byte[] {0, 0, 0, 0, 0}); // flags, decimals, filler
            packets.add(definition.toByteArray());
        }
        packets.add(eof());
        for (List<String> row : rows) {
            ByteArrayOutputStream values = new ByteArrayOutputStream();
            for (String value : row) {
                if (value == null) {
                    values.write(0xfb);
                } else {
                    lengthEncoded(values, value);
                }
            }
            packets.add(values.toByteArray());
        }
        packets.add(eof());
        return packets;
    }

    private static byte[] eof() {
        return new byte[] {(byte) 0xfe, 0, 0, 2, 0}; // no warnings, autocommit
    }

    private static void lengthEncoded(ByteArrayOutputStream out, long value) {
        if (value < 251) {
            out.write((int) value);
        } else if (value < 65_536) {
            out.write(0xfc);
            out.write((int) value & 0xff);
            out.write((int) (value >>> 8) & 0xff);
        } else {
            out.write(0xfd);
            out.write((int) value & 0xff);
            out.write((int) (value >>> 8) & 0xff);
            out.write((int) (value >>> 16) & 0xff);
        }
    }

    private static void lengthEncoded(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        lengthEncoded(out, bytes.length);
        out.writeBytes(bytes);
    }

    /** The packet payload of a binlog event in a dump stream: OK byte, header, body, and a CRC32 when asked. */
    static byte[] event(int timestamp, int type, int serverId, int nextPosition, byte[] body, boolean checksum) {
        int size = HEADER + body.length + (checksum ? 4 : 0);
        ByteBuffer event = ByteBuffer.allocate(1 + size).order(ByteOrder.LITTLE_ENDIAN);
        event.put((byte) 0).putInt(timestamp).put((byte) type).putInt(serverId).putInt(size).putInt(nextPosition).putShort((short) 0);
        event.put(body);
        if (checksum) {
            CRC32 crc = new CRC32();
            crc.update(event.array(), 1, size - 4);
            event.putInt((int) crc.getValue());
        }
        return event.array();
    }

    /** MySQL's GTID event body (5.6 form: flags, source id, transaction number). */
    static byte[] gtidBody(UUID source, long transaction) {
        return ByteBuffer.allocate(25).order(ByteOrder.LITTLE_ENDIAN).put((byte) 1)
                .put(ByteBuffer.allocate(16).putLong(source.getMostSignificantBits()).putLong(source.getLeastSignificantBits()).array())
                .putLong(transaction).array();
    }

    /** A QUERY event body for {@code BEGIN}, its text padded with spaces to make the event {@code size} bytes. */
    static byte[] beginBody(int size, boolean checksum) {
        int text = size - HEADER - 13 - 1 - (checksum ? 4 : 0);
        byte[] sql = ("BEGIN" + " ".repeat(Math.max(0, text - 5))).getBytes(StandardCharsets.US_ASCII);
        // thread id, exec time, database length 0, error code, status variables length 0, database "" + NUL, statement
        return ByteBuffer.allocate(13 + 1 + sql.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0).putInt(0).put((byte) 0).putShort((short) 0).putShort((short) 0).put((byte) 0).put(sql).array();
    }

    /**
     * The highest transaction number of the source id in the GTID set of a {@code COM_BINLOG_DUMP_GTID}
     * payload (command byte first), 0 when the set has none of it.
     */
    static long lastTransaction(byte[] dump, UUID source) {
        ByteBuffer in = ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN);
        in.get(); // command
        in.getShort(); // flags
        in.getInt(); // server id
        int nameLength = in.getInt();
        in.position(in.position() + nameLength);
        in.getLong(); // position
        // the GTID set follows when the flags say so (BINLOG_THROUGH_GTID); some clients send it without the flag
        if (in.remaining() < 4 + 8) {
            return 0;
        }
        in.getInt(); // data size
        long sids = in.getLong();
        long last = 0;
        for (long s = 0; s < sids; s++) {
            UUID sid = new UUID(in.order(ByteOrder.BIG_ENDIAN).getLong(), in.getLong());
            in.order(ByteOrder.LITTLE_ENDIAN);
            long intervals = in.getLong();
            for (long i = 0; i < intervals; i++) {
                in.getLong(); // start
                long end = in.getLong(); // exclusive
                if (sid.equals(source)) {
                    last = Math.max(last, end - 1);
                }
            }
        }
        return last;
    }

    /** A {@code COM_BINLOG_DUMP} payload: from a file and position, or with an empty name from the connection's GTID state. */
    static byte[] binlogDump(String file, long position, int flags, int serverId) {
        byte[] name = file.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 4 + 2 + 4 + name.length).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) 0x12).putInt((int) position).putShort((short) flags).putInt(serverId).put(name).array();
    }

    /** A {@code COM_QUERY} payload. */
    static byte[] query(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + text.length).put((byte) 0x03).put(text).array();
    }

    /** The flags and the server id a {@code COM_BINLOG_DUMP_GTID} payload starts with, as {flags, server id}. */
    static int[] dumpFlagsAndServer(byte[] dump) {
        ByteBuffer in = ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN);
        in.get();
        int flags = in.getShort() & 0xffff;
        return new int[] {flags, in.getInt()};
    }
}
