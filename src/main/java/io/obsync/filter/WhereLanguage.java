package io.obsync.filter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.obsync.config.Options;
import io.obsync.event.ChangeEvent;
import io.obsync.event.TableSchema;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Predicate;
import org.apache.camel.support.LanguageSupport;
import org.apache.camel.support.PredicateToExpressionAdapter;

/**
 * The {@code where} language: a SQL WHERE clause as a Camel predicate on change events, so a route can
 * say {@code filter: {language: {language: where, expression: "amount > 100"}}}. Semantics as the
 * objects file's row filters: an UPDATE matches when its before or after image does; events that are
 * not row changes (DDL, heartbeats) match, and rows of a table that lacks a column the clause names do not.
 */
public class WhereLanguage extends LanguageSupport {

    @Override
    public Predicate createPredicate(String expression) {
        RowFilter filter = RowFilter.parse(expression, "the route's where expression");
        String batch = getCamelContext() == null ? "1"
                : getCamelContext().resolvePropertyPlaceholders("{{" + Options.PIPELINE_BATCH_EVENTS.key() + ":1}}");
        if (!"1".equals(batch.trim())) {
            throw new IllegalArgumentException("The route's where expression '" + expression + "' decides on one change per exchange, but "
                    + Options.PIPELINE_BATCH_EVENTS.key() + " is " + batch + " (a batch of changes per exchange): set it to 1 "
                    + "for routes that decide per row.");
        }
        // a table that lacks a column the expression names does not match (routes see every table)
        Map<TableSchema, Boolean> applies = new ConcurrentHashMap<>();
        return new Predicate() {
            @Override
            public boolean matches(Exchange exchange) {
                Object body = exchange.getMessage().getBody();
                if (body instanceof List<?> batch) {
                    throw new TaskConfigurationException("The route's where expression '" + expression + "' decides on one change, and this "
                            + "exchange carries a batch of " + batch.size() + ": set " + Options.PIPELINE_BATCH_EVENTS.key()
                            + "=1 to hand the route one change per exchange.", null);
                }
                ChangeEvent event = body instanceof ChangeEvent e ? e : null;
                if (event == null || !event.operation().isRowChange() || event.schema() == null) {
                    return true;
                }
                if (!applies.computeIfAbsent(event.schema(), schema -> {
                    try {
                        filter.check(schema);
                        return true;
                    } catch (IllegalArgumentException e) {
                        return false;
                    }
                })) {
                    return false;
                }
                return filter.matches(event);
            }

            @Override
            public String toString() {
                return "where(" + expression + ")";
            }
        };
    }

    @Override
    public Expression createExpression(String expression) {
        return PredicateToExpressionAdapter.toExpression(createPredicate(expression));
    }
}
