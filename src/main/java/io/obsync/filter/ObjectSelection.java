package io.obsync.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.DdlKind;
import io.obsync.event.Headers;
import io.obsync.event.MessageParts;
import io.obsync.event.Operation;
import io.obsync.event.TableSchema;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Applies the sync objects to each event. As the {@code select} step: drops tables outside the
 * selection, DML types the task does not sync, and rows outside the object's row filter (an UPDATE
 * passes when its before or its after image matches, so a consumer never keeps a row that left the
 * filter); sets the object's topic. As the {@code project} step (after the record key is chosen):
 * keeps only the object's selected columns.
 */
public class ObjectSelection {

    private volatile SyncObjects objects;
    private final boolean ddl;
    private final Map<TableSchema, Projection> projections = new ConcurrentHashMap<>();
    private final Map<TableSchema, int[]> shardings = new ConcurrentHashMap<>();
    // the last TRUNCATE sent: a repeat of it in the same transaction is not sent again
    private volatile String lastTruncate;

    /**
     * @param objects the selection
     * @param ddl     whether DDL of selected tables is synced (obsync.ddl.enabled; off by default)
     */
    private final List<BiConsumer<SyncObjects, SyncObjects>> listeners = new CopyOnWriteArrayList<>();

    public ObjectSelection(SyncObjects objects, boolean ddl) {
        this.objects = objects;
        this.ddl = ddl;
    }

    /**
     * Replaces the selection while the task runs: the events after this call see the new one. Tables
     * whose rule did not change pass as before; a newly selected table starts from the current position.
     */
    public void replace(SyncObjects newObjects) {
        SyncObjects before = objects;
        objects = newObjects;
        projections.clear();
        shardings.clear();
        for (BiConsumer<SyncObjects, SyncObjects> listener : listeners) {
            listener.accept(before, newObjects);
        }
    }

    /** Called with the selection before and after each {@link #replace} (the source reads newly selected tables' rows). */
    public void onReplace(BiConsumer<SyncObjects, SyncObjects> listener) {
        listeners.add(listener);
    }

    /** The step that selects and filters. */
    /** The selection in force. */
    public SyncObjects objects() {
        return objects;
    }

    public Processor select() {
        return exchange -> select(exchange);
    }

    /** The step that keeps the selected columns. */
    public Processor project() {
        return this::project;
    }

    private void select(Exchange exchange) throws Exception {
        // the exchange's headers name the batch's table as its messages do (after a rename too)
        MessageParts.each(exchange, this::select, Headers.DATABASE, Headers.TABLE);
    }

    /** The message itself (its object's topic, sharding columns and names set), or null when it is not synced. */
    private Message select(Message message) {
        ChangeEvent event = message.getBody(ChangeEvent.class);
        if (event == null || event.operation() == Operation.HEARTBEAT || event.table() == null) {
            return message;
        }
        SyncObjects.Rule rule = objects.ruleFor(event.database(), event.table());
        if (rule != null && rule.filter() != null && event.operation() == Operation.DDL && event.schema() != null) {
            // the row filter meets the table's new structure when it changes, not at the next row
            try {
                rule.filter().check(event.schema());
            } catch (IllegalArgumentException e) {
                throw new TaskConfigurationException(e.getMessage() + " (table " + event.database() + "." + event.table()
                        + " after its DDL, object " + rule.name() + " in the objects file): the task stopped before the table's next change", e);
            }
        }
        if (rule == null || !objects.syncs(event.operation())) {
            return null;
        }
        if (event.operation() == Operation.DDL && !sendsDdl(event)) {
            return null;
        }
        if (rule.filter() != null && event.operation().isRowChange() && !passes(rule, event)) {
            return null;
        }
        message.setHeader(Headers.RULE, rule);
        if (rule.topic() != null) {
            message.setHeader(Headers.TOPIC, rule.topic());
        }
        if (!rule.sharding().isEmpty() && event.operation().isRowChange()) {
            message.setHeader(Headers.SHARDING_COLUMNS, sharding(rule, event));
        }
        if (rule.targetDatabase() != null) {
            message.setBody(event.withNames(rule.targetDatabase(), rule.targetTable()));
            message.setHeader(Headers.DATABASE, rule.targetDatabase());
            message.setHeader(Headers.TABLE, rule.targetTable());
        }
        return message;
    }

    /** Positions of an object's sharding columns in a table version, computed once. */
    private int[] sharding(SyncObjects.Rule rule, ChangeEvent event) {
        return shardings.computeIfAbsent(event.schema(), schema -> {
            int[] positions = new int[rule.sharding().size()];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = schema.indexOf(rule.sharding().get(i));
                if (positions[i] < 0) {
                    throw new TaskConfigurationException("Object " + rule.name() + " shards by column '" + rule.sharding().get(i)
                            + "', which table " + event.database() + "." + event.table() + " does not have: choose from "
                            + schema.columns().stream().map(ColumnDef::name).toList() + ".", null);
                }
            }
            return positions;
        });
    }

    /** DDL sync on, a statement of the supported list, and not a TRUNCATE repeated within its transaction. */
    private boolean sendsDdl(ChangeEvent event) {
        if (!ddl || event.ddlKind() == DdlKind.OTHER) {
            return false;
        }
        if (event.ddlKind() == DdlKind.TRUNCATE_TABLE) {
            String key = event.transactionId() + "\u0001" + event.database() + "." + event.table();
            if (key.equals(lastTruncate)) {
                return false;
            }
            lastTruncate = key;
        }
        return true;
    }

    private static boolean passes(SyncObjects.Rule rule, ChangeEvent event) {
        try {
            return rule.filter().matches(event);
        } catch (IllegalArgumentException e) {
            throw new TaskConfigurationException(e.getMessage() + " (table " + event.database() + "." + event.table()
                    + ", object " + rule.name() + " in the objects file)", e);
        }
    }

    private void project(Exchange exchange) {
        for (Message part : MessageParts.of(exchange)) {
            SyncObjects.Rule rule = part.getHeader(Headers.RULE, SyncObjects.Rule.class);
            if (rule != null && !rule.columns().isEmpty() && part.getBody() instanceof ChangeEvent event) {
                part.setBody(project(event, rule));
            }
        }
    }

    /** The event with only its object's selected columns (the same event when all travel). */
    public ChangeEvent project(ChangeEvent event) {
        SyncObjects.Rule rule = objects.ruleFor(event.database(), event.table());
        return rule == null ? event : project(event, rule);
    }

    private ChangeEvent project(ChangeEvent event, SyncObjects.Rule rule) {
        if (!event.operation().isRowChange() || event.schema() == null || rule.columns().isEmpty()) {
            return event;
        }
        Projection projection = projections.get(event.schema());
        if (projection == null || projection.rule != rule) {
            projection = Projection.of(event, rule);
            projections.put(event.schema(), projection);
        }
        if (projection.keepsAll()) {
            return event;
        }
        return event.withColumns(projection.schema, projection.apply(event.before()), projection.apply(event.after()));
    }

    /** Which positions of a table version's rows travel, and the schema they form. */
    private record Projection(SyncObjects.Rule rule, int[] positions, TableSchema schema, int width) {

        static Projection of(ChangeEvent event, SyncObjects.Rule rule) {
            TableSchema source = event.schema();
            List<ColumnDef> kept = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            for (String name : rule.columns()) {
                int index = source.indexOf(name);
                if (index < 0) {
                    throw new TaskConfigurationException("Object " + rule.name() + " selects column '" + name + "', which table "
                            + event.database() + "." + event.table() + " does not have: choose from "
                            + source.columns().stream().map(ColumnDef::name).toList() + ".", null);
                }
            }
            // in the table's column order; the key stays when selected, the record key was already chosen from the full row
            for (int i = 0; i < source.size(); i++) {
                if (rule.columns().contains(source.column(i).name())) {
                    kept.add(source.column(i));
                    positions.add(i);
                }
            }
            List<String> key = source.primaryKey().stream().filter(rule.columns()::contains).toList();
            return new Projection(rule, positions.stream().mapToInt(Integer::intValue).toArray(), new TableSchema(kept, key), source.size());
        }

        boolean keepsAll() {
            return positions.length == width;
        }

        Object[] apply(Object[] row) {
            if (row == null) {
                return null;
            }
            Object[] out = new Object[positions.length];
            for (int i = 0; i < positions.length; i++) {
                out[i] = row[positions[i]];
            }
            return out;
        }
    }
}
