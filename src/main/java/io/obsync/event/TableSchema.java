package io.obsync.event;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The columns and primary key of one table version; shared by every event of that version. */
public final class TableSchema {

    private final List<ColumnDef> columns;
    private final List<String> primaryKey;
    private final int[] primaryKeyIndexes;
    private final Map<String, Integer> indexByName;

    public TableSchema(List<ColumnDef> columns, List<String> primaryKey) {
        this.columns = List.copyOf(columns);
        this.primaryKey = List.copyOf(primaryKey);
        this.indexByName = new HashMap<>(columns.size() * 2);
        for (int i = 0; i < columns.size(); i++) {
            indexByName.put(columns.get(i).name(), i);
        }
        this.primaryKeyIndexes = new int[primaryKey.size()];
        for (int i = 0; i < primaryKey.size(); i++) {
            Integer index = indexByName.get(primaryKey.get(i));
            if (index == null) {
                throw new IllegalArgumentException("primary key column '" + primaryKey.get(i) + "' is not a column of the table");
            }
            primaryKeyIndexes[i] = index;
        }
    }

    public List<ColumnDef> columns() {
        return columns;
    }

    public int size() {
        return columns.size();
    }

    public ColumnDef column(int index) {
        return columns.get(index);
    }

    /** Position of a column, or -1 when the table has no such column. */
    public int indexOf(String column) {
        Integer index = indexByName.get(column);
        return index == null ? -1 : index;
    }

    /** Primary-key column names in key order; empty for a table without a primary key. */
    public List<String> primaryKey() {
        return primaryKey;
    }

    /** Positions of the primary-key columns in key order; shared, do not modify. */
    public int[] primaryKeyIndexes() {
        return primaryKeyIndexes;
    }

    public boolean hasPrimaryKey() {
        return primaryKeyIndexes.length > 0;
    }
}
