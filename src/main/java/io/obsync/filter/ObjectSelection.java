package io.obsync.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.obsync.event.ChangeEvent;
import io.obsync.event.ColumnDef;
import io.obsync.event.Operation;
import io.obsync.event.TableSchema;
import io.obsync.route.RoutingHeaders;
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

    private final SyncObjects objects;
    private final Map<TableSchema, Projection> projections = new ConcurrentHashMap<>();

    public ObjectSelection(SyncObjects objects) {
        this.objects = objects;
    }

    /** The step that selects and filters. */
    public Processor select() {
        return this::select;
    }

    /** The step that keeps the selected columns. */
    public Processor project() {
        return this::project;
    }

    private void select(Exchange exchange) {
        Message message = exchange.getMessage();
        ChangeEvent event = message.getBody(ChangeEvent.class);
        if (event == null || event.operation() == Operation.HEARTBEAT || event.table() == null) {
            return;
        }
        SyncObjects.Rule rule = objects.ruleFor(event.database(), event.table());
        if (rule == null || !objects.syncs(event.operation())) {
            exchange.setRouteStop(true);
            return;
        }
        if (rule.topic() != null) {
            message.setHeader(RoutingHeaders.TOPIC, rule.topic());
        }
        if (rule.filter() != null && event.operation().isRowChange() && !passes(rule, event)) {
            exchange.setRouteStop(true);
        }
    }

    private static boolean passes(SyncObjects.Rule rule, ChangeEvent event) {
        try {
            return switch (event.operation()) {
                case UPDATE -> rule.filter().matches(event.schema(), event.before()) || rule.filter().matches(event.schema(), event.after());
                case DELETE -> rule.filter().matches(event.schema(), event.before());
                default -> rule.filter().matches(event.schema(), event.after());
            };
        } catch (IllegalArgumentException e) {
            throw new TaskConfigurationException(e.getMessage() + " (table " + event.database() + "." + event.table()
                    + ", object " + rule.name() + " in the objects file)", e);
        }
    }

    private void project(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        if (body instanceof List<?> parts) {
            for (Object part : parts) {
                if (part instanceof Message m && m.getBody() instanceof ChangeEvent event) {
                    m.setBody(project(event));
                }
            }
        } else if (body instanceof ChangeEvent event) {
            message.setBody(project(event));
        }
    }

    /** The event with only its object's selected columns (the same event when all travel). */
    public ChangeEvent project(ChangeEvent event) {
        if (!event.operation().isRowChange() || event.schema() == null) {
            return event;
        }
        SyncObjects.Rule rule = objects.ruleFor(event.database(), event.table());
        if (rule == null || rule.columns().isEmpty()) {
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
