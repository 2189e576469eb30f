package io.obsync.source;

import io.debezium.relational.RelationalTableFilters;
import io.debezium.relational.TableId;
import io.obsync.filter.SyncObjects;
import io.obsync.filter.TableSelection;

/** The task's {@link TableSelection} as the source holds it: within Debezium's table filters, never the signal table. */
final class SelectedTables {

    private SelectedTables() {
    }

    /**
     * @param filters   Debezium's database and table include/exclude lists (null: every table)
     * @param selection the objects file's selection (null: every table the filters pass)
     * @param signals   the signal table, never read as data (null when there is none)
     */
    static TableSelection of(RelationalTableFilters filters, SyncObjects selection, SignalTable signals) {
        // the database include list (obsync.source.databases) is part of Debezium's filters
        TableSelection tables = new TableSelection("", selection);
        if (filters != null) {
            tables.within((database, table) -> filters.dataCollectionFilter().isIncluded(new TableId(database, null, table)));
        }
        if (signals != null) {
            tables.excluding(signals::holds);
        }
        return tables;
    }
}
