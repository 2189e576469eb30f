package io.obsync.event;

import java.util.List;

/**
 * One column of a source table as the binlog describes it.
 *
 * @param name       column name as in the source
 * @param typeName   SQL type as the source reports it (INT, VARCHAR, DECIMAL, DATETIME, BIGINT UNSIGNED, ...)
 * @param length     declared length or precision, -1 when unknown
 * @param scale      declared scale, -1 when unknown
 * @param optional   whether the column accepts NULL
 * @param enumValues the allowed values of an ENUM or SET column in declaration order; empty otherwise
 */
public record ColumnDef(String name, String typeName, int length, int scale, boolean optional, List<String> enumValues) {

    public ColumnDef {
        enumValues = enumValues == null ? List.of() : List.copyOf(enumValues);
    }

    public ColumnDef(String name, String typeName, int length, int scale, boolean optional) {
        this(name, typeName, length, scale, optional, List.of());
    }
}
