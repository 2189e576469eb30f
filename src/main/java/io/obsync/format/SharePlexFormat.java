package io.obsync.format;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.DdlKind;
import io.obsync.event.Operation;
import io.obsync.event.TableSchema;
import io.obsync.event.ValueRendering;

/**
 * SharePlex JSON: {@code meta} (time, userid, op, scn, rowid, trans, seq, size, table, idx, posttime),
 * {@code data} (after image: all columns for ins, the changed columns for upd) and {@code key} (the
 * row's identifying values before an upd or del).
 *
 * <p>Conventions: {@code time} and {@code posttime} are UTC "yyyy-MM-ddTHH:mm:ss"; {@code scn} is
 * {binlog file number}{transaction start}; {@code rowid} is empty (MySQL has none); {@code userid} 0;
 * {@code table} "database.table"; values as in the Default format. {@code key} holds the primary-key
 * columns (every column for a table without one). With the intra-transaction sequence on,
 * {@code seq} is the 1-based position in the transaction, {@code size} its row count and {@code idx}
 * "seq/size"; without it, or for rows of a transaction larger than the buffer that were sent before
 * its end, they are null. DDL is op {@code ddl} with the statement in {@code data.ddl}; TRUNCATE TABLE
 * is op {@code trunc}. Snapshot rows are {@code ins}.
 */
public class SharePlexFormat extends JsonChangeEventFormat {

    private boolean transactionSequence;

    @Override
    public String getDataFormatName() {
        return FormatName.SHAREPLEX.displayName();
    }

    /** Fill seq, size and idx: every transaction is held until its end (see obsync.source.transaction-buffer-changes). */
    public void setTransactionSequence(boolean transactionSequence) {
        this.transactionSequence = transactionSequence;
    }

    @Override
    public boolean needsTransactionBoundaries() {
        return transactionSequence;
    }

    @Override
    public void write(ChangeEvent event, JsonGenerator out) throws IOException {
        write(event, out, System.currentTimeMillis());
    }

    /** Writes one message; {@code now} becomes posttime. */
    public void write(ChangeEvent event, JsonGenerator out, long now) throws IOException {
        Operation op = event.operation();
        if (op == Operation.HEARTBEAT) {
            throw new IOException("SharePlex has no heartbeat message; heartbeats are refused at start-up for it");
        }
        boolean truncate = op == Operation.DDL && event.ddlKind() == DdlKind.TRUNCATE_TABLE;
        out.writeStartObject();
        out.writeObjectFieldStart("meta");
        out.writeStringField("time", utc(event.commitTimeMillis()));
        out.writeNumberField("userid", 0);
        out.writeStringField("op", switch (op) {
            case INSERT, ROW -> "ins";
            case UPDATE -> "upd";
            case DELETE -> "del";
            default -> truncate ? "trunc" : "ddl";
        });
        out.writeStringField("scn", Long.toString(TransactionNumbers.of(event.position())));
        out.writeStringField("rowid", "");
        out.writeStringField("trans", event.transactionId());
        boolean sequenced = transactionSequence && event.transactionOrder() > 0 && op.isRowChange();
        if (sequenced) {
            out.writeNumberField("seq", event.transactionOrder());
        } else {
            out.writeNullField("seq");
        }
        boolean sized = sequenced && event.transactionSize() > 0;
        if (sized) {
            out.writeNumberField("size", event.transactionSize());
        } else {
            out.writeNullField("size");
        }
        out.writeStringField("table", event.database() + "." + event.table());
        if (sized) {
            out.writeStringField("idx", event.transactionOrder() + "/" + event.transactionSize());
        } else {
            out.writeNullField("idx");
        }
        out.writeStringField("posttime", utc(now));
        out.writeEndObject();
        if (op == Operation.DDL) {
            if (!truncate) {
                out.writeObjectFieldStart("data");
                out.writeStringField("ddl", event.ddl());
                out.writeEndObject();
            }
            out.writeEndObject();
            return;
        }
        TableSchema schema = event.schema();
        List<ColumnDef> columns = schema.columns();
        if (op != Operation.DELETE) {
            out.writeObjectFieldStart("data");
            Object[] after = event.after();
            Object[] before = op == Operation.UPDATE ? event.before() : null;
            for (int i = 0; i < columns.size(); i++) {
                if (before == null || !ValueRendering.sameValue(before[i], after[i])) {
                    writeField(out, columns.get(i), after[i]);
                }
            }
            out.writeEndObject();
        }
        if (op == Operation.UPDATE || op == Operation.DELETE) {
            out.writeObjectFieldStart("key");
            Object[] before = event.before();
            if (schema.hasPrimaryKey()) {
                for (int index : schema.primaryKeyIndexes()) {
                    writeField(out, columns.get(index), before[index]);
                }
            } else {
                for (int i = 0; i < columns.size(); i++) {
                    writeField(out, columns.get(i), before[i]);
                }
            }
            out.writeEndObject();
        }
        out.writeEndObject();
    }

    private static void writeField(JsonGenerator out, ColumnDef column, Object value) throws IOException {
        out.writeFieldName(column.name());
        DefaultFormat.writeValue(out, value, ValueRendering.precisionOf(column.typeName(), column.length()));
    }

    private static String utc(long epochMillis) {
        LocalDateTime time = LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
        return ValueRendering.dateTime(time, 0).replace(' ', 'T');
    }
}
