package io.obsync.sandbox;

import java.sql.SQLException;
import java.util.List;

/** The sample schema and the scripted changes the demo applies to the embedded MariaDB. */
public final class DemoScript {

    /** Topics the demo's tables map to under the default pattern. */
    public static final List<String> TOPICS = List.of("Topic_shop_orders", "Topic_shop_order_items");

    /** The id of the last row the script inserts: when it arrives, everything before it has. */
    public static final long LAST_ORDER_ID = 999;

    private DemoScript() {
    }

    public static void createSchema(EmbeddedMariaDb db) throws SQLException {
        db.execute(
                "CREATE DATABASE shop",
                "CREATE TABLE shop.orders (id BIGINT PRIMARY KEY, customer VARCHAR(64) NOT NULL, amount DECIMAL(12,2),"
                        + " status VARCHAR(16), created_at DATETIME(6), paid_at TIMESTAMP(3) NULL, note TEXT)",
                "CREATE TABLE shop.order_items (order_id BIGINT, line_no INT, sku VARCHAR(32), qty INT,"
                        + " PRIMARY KEY (order_id, line_no))");
    }

    /** Inserts, updates (one moves a row to another key), deletes, a multi-row transaction and one DDL. */
    public static void applyChanges(EmbeddedMariaDb db) throws SQLException {
        db.execute(
                "INSERT INTO shop.orders VALUES (1, 'alice', 120.50, 'new', '2026-11-21 09:00:00.123456', NULL, 'first order')",
                "INSERT INTO shop.orders VALUES (2, 'bob', 99999.99, 'new', '2026-11-21 09:05:00', NULL, NULL)",
                "INSERT INTO shop.orders VALUES (3, 'carol', 0.01, 'new', '2026-11-21 09:10:00', NULL, 'to be cancelled')",
                "BEGIN",
                "INSERT INTO shop.orders VALUES (4, 'dave', 42.00, 'new', '2026-11-21 09:15:00', NULL, NULL)",
                "INSERT INTO shop.order_items VALUES (4, 1, 'SKU-RED', 1), (4, 2, 'SKU-BLUE', 2)",
                "COMMIT",
                "UPDATE shop.orders SET status = 'paid', paid_at = '2026-11-21 10:00:00.250' WHERE id = 1",
                "UPDATE shop.order_items SET qty = 3 WHERE order_id = 4 AND line_no = 2",
                "DELETE FROM shop.orders WHERE id = 3",
                "ALTER TABLE shop.orders ADD COLUMN channel VARCHAR(16) NULL",
                "INSERT INTO shop.orders VALUES (5, 'erin', 7.25, 'new', '2026-11-21 11:00:00', NULL, NULL, 'web')",
                "UPDATE shop.orders SET id = 50 WHERE id = 5",
                "INSERT INTO shop.orders VALUES (" + LAST_ORDER_ID + ", 'demo', 0.00, 'end', '2026-11-21 12:00:00', NULL, 'last change of the demo', 'script')");
    }

    /** One more order and its payment, for a demo that keeps running. */
    public static void applyOrder(EmbeddedMariaDb db, long id) throws SQLException {
        db.execute("INSERT INTO shop.orders (id, customer, amount, status, created_at) VALUES (" + id + ", 'live', " + (id % 97) + ".50, 'new', NOW(6))",
                "UPDATE shop.orders SET status = 'paid', paid_at = NOW(6) WHERE id = " + id);
    }
}
