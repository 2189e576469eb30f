package io.obsync.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.debezium.config.Configuration;
import io.debezium.connector.binlog.jdbc.BinlogFieldReader;
import io.debezium.connector.mysql.MySqlConnectorConfig;
import io.debezium.connector.mysql.antlr.MySqlAntlrDdlParser;
import io.debezium.connector.mysql.jdbc.MySqlConnection;
import io.debezium.connector.mysql.jdbc.MySqlConnectionConfiguration;
import io.debezium.connector.mysql.jdbc.MySqlDefaultValueConverter;
import io.debezium.connector.mysql.jdbc.MySqlFieldReaderResolver;
import io.debezium.connector.mysql.jdbc.MySqlValueConverters;
import io.debezium.converters.custom.CustomConverterServiceProvider;
import io.debezium.relational.Column;
import io.debezium.relational.CustomConverterRegistry;
import io.debezium.relational.Table;
import io.debezium.relational.TableSchema;
import io.debezium.relational.TableSchemaBuilder;
import io.debezium.relational.Tables;
import io.debezium.relational.mapping.ColumnMappers;
import io.obsync.event.ChangeEvent;
import io.obsync.event.DebeziumRecordConverter;
import io.obsync.event.SourcePosition;
import org.apache.kafka.connect.data.Struct;

/**
 * Reads a table's rows in key chunks over one connection of its own, with Debezium's parts for the
 * values: the table's structure parsed from {@code SHOW CREATE TABLE} by Debezium's DDL parser, each
 * column read by Debezium's field reader and built by Debezium's table schema with the task's
 * connector settings, then turned into the model by obsync's converter. A row so read is the same
 * change event a Debezium snapshot of it would give, without Debezium's per-record envelope and offset.
 */
final class ChunkRows implements AutoCloseable {

    /** A table as its chunks are read: Debezium's structure and schema, the key's columns and the statements. */
    record Shape(String database, String name, String ddl, Table table, TableSchema schema, int[] key, String select,
                 String upperBound) {
    }

    private final MySqlConnectorConfig config;
    private final MySqlConnection connection;
    private final BinlogFieldReader reader;
    private final TableSchemaBuilder schemas;
    private final DebeziumRecordConverter converter;

    /**
     * @param debezium the task's Debezium properties (the engine's: source address, credentials, value settings)
     */
    ChunkRows(Properties debezium, String tenant, boolean notNullEpochIsZeroDate) {
        Configuration configuration = Configuration.from(debezium);
        config = new MySqlConnectorConfig(configuration);
        config.getServiceRegistry().registerServiceProvider(new CustomConverterServiceProvider());
        MySqlValueConverters values = new MySqlValueConverters(config.getDecimalMode(), config.getTemporalPrecisionMode(),
                config.getBigIntUnsignedHandlingMode().asBigIntUnsignedMode(), config.binaryHandlingMode(),
                config.isTimeAdjustedEnabled() ? MySqlValueConverters::adjustTemporal : t -> t, config.getEventConvertingFailureHandlingMode(),
                config.getServiceRegistry());
        schemas = new TableSchemaBuilder(values, new MySqlDefaultValueConverter(values), config.schemaNameAdjuster(),
                config.getServiceRegistry().getService(CustomConverterRegistry.class), config.getSourceInfoStructMaker().schema(),
                config.getFieldNamer(), false, config.getEventConvertingFailureHandlingMode());
        reader = MySqlFieldReaderResolver.resolve(config);
        connection = new MySqlConnection(new MySqlConnectionConfiguration(configuration), reader);
        converter = new DebeziumRecordConverter(tenant, notNullEpochIsZeroDate);
    }

    /**
     * The table's structure as the source declares it now.
     *
     * @throws SQLException the table is gone or cannot be read
     */
    Shape shape(String database, String name) throws SQLException {
        return shape(database, name, ddl(database, name));
    }

    /** The table's shape as it is now: the same when its declaration did not change, else parsed anew. */
    Shape current(Shape shape) throws SQLException {
        String ddl = ddl(shape.database(), shape.name());
        return ddl.equals(shape.ddl()) ? shape : shape(shape.database(), shape.name(), ddl);
    }

    private String ddl(String database, String name) throws SQLException {
        try (Statement statement = jdbc().createStatement();
             ResultSet rows = statement.executeQuery("SHOW CREATE TABLE " + quote(database) + "." + quote(name))) {
            if (!rows.next()) {
                throw new SQLException("table " + database + "." + name + " does not exist");
            }
            return rows.getString(2);
        }
    }

    private Shape shape(String database, String name, String ddl) throws SQLException {
        MySqlAntlrDdlParser parser = new MySqlAntlrDdlParser();
        Tables tables = new Tables();
        parser.setCurrentDatabase(database);
        parser.parse(ddl, tables);
        Table table = tables.forTable(database, null, name);
        if (table == null || table.primaryKeyColumnNames().isEmpty()) {
            throw new SQLException("table " + database + "." + name + " has no primary key to read it in chunks by");
        }
        TableSchema schema = schemas.create(config.getTopicNamingStrategy(MySqlConnectorConfig.TOPIC_NAMING_STRATEGY), table,
                config.getColumnFilter(), ColumnMappers.create(config), config.getKeyMapper());
        List<String> keyNames = table.primaryKeyColumnNames();
        int[] key = new int[keyNames.size()];
        List<String> columns = new ArrayList<>();
        for (Column column : table.columns()) {
            columns.add(quote(column.name()));
        }
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < key.length; i++) {
            key[i] = table.columnWithName(keyNames.get(i)).position() - 1;
            order.append(i == 0 ? "" : ", ").append(quote(keyNames.get(i)));
        }
        String from = " FROM " + quote(database) + "." + quote(name) + " ";
        String select = "SELECT " + String.join(", ", columns) + from;
        String upperBound = "SELECT " + order + from;
        return new Shape(database, name, ddl, table, schema, key, select + "%s ORDER BY " + order, upperBound + "%s ORDER BY " + order + " LIMIT 1 OFFSET ?");
    }

    /**
     * The last key of the chunk after {@code after} that holds {@code size} rows, or null when fewer rows
     * are left (the chunk then reads to the end of the table).
     */
    Object[] upperBound(Shape shape, Object[] after, int size) throws SQLException {
        String sql = String.format(shape.upperBound(), after == null ? "" : "WHERE " + after(shape));
        try (PreparedStatement statement = jdbc().prepareStatement(sql)) {
            int index = bind(statement, 1, after);
            statement.setInt(index, size - 1);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                Object[] key = new Object[shape.key().length];
                for (int i = 0; i < key.length; i++) {
                    key[i] = rows.getObject(i + 1);
                }
                return key;
            }
        }
    }

    /** The rows with keys after {@code after} (null: from the first) up to {@code upTo} included (null: to the end), in key order. */
    Chunk read(Shape shape, Object[] after, Object[] upTo, SourcePosition position) throws SQLException {
        StringBuilder where = new StringBuilder();
        if (after != null) {
            where.append("WHERE ").append(after(shape));
        }
        if (upTo != null) {
            where.append(where.isEmpty() ? "WHERE " : " AND ").append("NOT ").append(after(shape));
        }
        String sql = String.format(shape.select(), where);
        List<ChangeEvent> events = new ArrayList<>();
        List<Column> columns = shape.table().columns();
        long now = System.currentTimeMillis();
        Object[] last = null;
        try (PreparedStatement statement = jdbc().prepareStatement(sql)) {
            int index = bind(statement, 1, after);
            bind(statement, index, upTo);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Object[] row = new Object[columns.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = reader.readField(rows, i + 1, columns.get(i), shape.table());
                    }
                    Struct value = shape.schema().valueFromColumnData(row);
                    events.add(converter.snapshotRow(shape.database(), shape.name(), value, shape.schema().keySchema(), position, now));
                    if (last == null) {
                        last = new Object[shape.key().length];
                    }
                    for (int i = 0; i < last.length; i++) {
                        last[i] = rows.getObject(shape.key()[i] + 1);
                    }
                }
            }
        }
        return new Chunk(events, last == null ? upTo : last);
    }

    /** A chunk's rows as change events, and the last key read (raw values, to bind the next chunk's bound with). */
    record Chunk(List<ChangeEvent> events, Object[] lastKey) {
    }

    // (k1, k2) > (?, ?) spelled out, as every MySQL-compatible server plans it on the key: k1 > ? OR (k1 = ? AND k2 > ?)
    private static String after(Shape shape) {
        List<String> names = shape.table().primaryKeyColumnNames();
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < names.size(); i++) {
            out.append(i == 0 ? "" : " OR ").append('(');
            for (int j = 0; j < i; j++) {
                out.append(quote(names.get(j))).append(" = ? AND ");
            }
            out.append(quote(names.get(i))).append(" > ?").append(')');
        }
        return out.append(')').toString();
    }

    private static int bind(PreparedStatement statement, int index, Object[] key) throws SQLException {
        if (key == null) {
            return index;
        }
        for (int i = 0; i < key.length; i++) {
            for (int j = 0; j <= i; j++) {
                statement.setObject(index++, key[j]);
            }
        }
        return index;
    }

    /** Writes a row to the signal table over this reader's connection (a chunk's closing watermark), committed at once. */
    void mark(SignalTable signals, String id, String type, String data) throws SQLException {
        Connection jdbc = jdbc();
        if (!jdbc.getAutoCommit()) {
            jdbc.setAutoCommit(true);
        }
        try (PreparedStatement insert = jdbc.prepareStatement("INSERT INTO " + quote(signals.database()) + "." + quote(signals.table())
                + " (id, type, data) VALUES (?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, type);
            insert.setString(3, data);
            insert.executeUpdate();
        }
    }

    private Connection jdbc() throws SQLException {
        return connection.connection();
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
