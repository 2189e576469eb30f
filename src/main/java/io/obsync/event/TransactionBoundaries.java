package io.obsync.event;

/**
 * Implemented by beans (message formats) that need each row change's position in its transaction
 * and the transaction's size; when one in the registry says so, the source turns on Debezium's
 * transaction metadata and holds each transaction until its end is read.
 */
public interface TransactionBoundaries {

    boolean needsTransactionBoundaries();
}
