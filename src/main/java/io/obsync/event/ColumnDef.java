package io.obsync.event;

/**
 * One column of a source table as the binlog describes it.
 *
 * @param name     column name as in the source
 * @param typeName SQL type as the source reports it (INT, VARCHAR, DECIMAL, DATETIME, ...)
 * @param length   declared length or precision, -1 when unknown
 * @param scale    declared scale, -1 when unknown
 * @param optional whether the column accepts NULL
 */
public record ColumnDef(String name, String typeName, int length, int scale, boolean optional) {
}
