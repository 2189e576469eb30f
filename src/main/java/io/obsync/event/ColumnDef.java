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
 * @param defaultValue the column's default as a model value, as Debezium's schema declares it; null when none
 */
public record ColumnDef(String name, String typeName, int length, int scale, boolean optional, List<String> enumValues, Object defaultValue) {

    public ColumnDef {
        enumValues = enumValues == null ? List.of() : List.copyOf(enumValues);
    }

    public ColumnDef(String name, String typeName, int length, int scale, boolean optional, List<String> enumValues) {
        this(name, typeName, length, scale, optional, enumValues, null);
    }

    public ColumnDef(String name, String typeName, int length, int scale, boolean optional) {
        this(name, typeName, length, scale, optional, List.of(), null);
    }

    /** Whether the column is an ENUM or a SET whose values are known. */
    public boolean hasValueList() {
        return !enumValues.isEmpty() && (typeName.equalsIgnoreCase("ENUM") || typeName.equalsIgnoreCase("SET"));
    }

    /**
     * The length MySQL declares for the column (information_schema's CHARACTER_MAXIMUM_LENGTH): for an
     * ENUM its longest value, for a SET all its values joined with commas; otherwise {@link #length()}.
     */
    public int declaredLength() {
        if (!hasValueList()) {
            return length;
        }
        if (typeName.equalsIgnoreCase("ENUM")) {
            return enumValues.stream().mapToInt(v -> v.codePointCount(0, v.length())).max().orElse(0);
        }
        return enumValues.stream().mapToInt(v -> v.codePointCount(0, v.length())).sum() + enumValues.size() - 1;
    }

    /** The value list as MySQL shows it in a declaration: {@code ('a','b c','it''s')}. */
    public String valueList() {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < enumValues.size(); i++) {
            out.append(i == 0 ? "'" : ",'").append(enumValues.get(i).replace("'", "''")).append('\'');
        }
        return out.append(')').toString();
    }
}
