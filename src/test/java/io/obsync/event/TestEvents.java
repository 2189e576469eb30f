package io.obsync.event;

import java.util.ArrayList;
import java.util.List;

/** Change events for unit tests: a table shape and a few rows, without a database. */
public final class TestEvents {

    private TestEvents() {
    }

    /** A table whose columns are given as "name:TYPE" and whose key is the listed columns. */
    public static TableSchema table(List<String> key, String... columns) {
        List<ColumnDef> defs = new ArrayList<>();
        for (String column : columns) {
            String[] parts = column.split(":");
            defs.add(new ColumnDef(parts[0], parts.length > 1 ? parts[1] : "VARCHAR", -1, -1, true));
        }
        return new TableSchema(defs, key);
    }

    public static ChangeEvent.Builder event(Operation op, TableSchema schema, Object[] before, Object[] after) {
        return ChangeEvent.builder(op)
                .eventId("mariadb-bin.000001:100:2:0")
                .tenant("t1")
                .database("shop")
                .table("orders")
                .schema(schema)
                .before(before)
                .after(after)
                .commitTimeMillis(1_700_000_000_000L)
                .transactionId("mariadb-bin.000001:100")
                .position(new SourcePosition(1, "mariadb-bin.000001", 150, 100, 2, 0, null));
    }
}
