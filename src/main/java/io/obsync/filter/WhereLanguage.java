package io.obsync.filter;

import io.obsync.event.ChangeEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Predicate;
import org.apache.camel.support.LanguageSupport;

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
        // a table that lacks a column the expression names does not match (routes see every table)
        java.util.Map<io.obsync.event.TableSchema, Boolean> applies = new java.util.concurrent.ConcurrentHashMap<>();
        return new Predicate() {
            @Override
            public boolean matches(Exchange exchange) {
                ChangeEvent event = exchange.getMessage().getBody(ChangeEvent.class);
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
        return org.apache.camel.support.PredicateToExpressionAdapter.toExpression(createPredicate(expression));
    }
}
