package io.obsync.format;

import java.util.Locale;
import java.util.Optional;

/** The serialization methods, by the names users type and the wire names OceanBase's tooling uses. */
public enum FormatName {
    DEFAULT("Default", "DEFAULT"),
    DEFAULT_EXTEND_COLUMN_TYPE("DefaultExtendColumnType", "DEFAULT_WITH_SCHEMA"),
    CANAL("Canal", "CANAL"),
    DATAWORKS("DataWorks", "DATAWORKS_V2"),
    SHAREPLEX("SharePlex", "SHAREPLEX"),
    DEBEZIUM("Debezium", "DEBEZIUM"),
    DEBEZIUM_FLATTEN("DebeziumFlatten", "DEBEZIUMFLATTEN"),
    DEBEZIUM_SMT("DebeziumSmt", "DEBEZIUMSMT"),
    MAXWELL("Maxwell", "MAXWELL");

    private final String displayName;
    private final String wireName;

    FormatName(String displayName, String wireName) {
        this.displayName = displayName;
        this.wireName = wireName;
    }

    /** The name in documentation and the data format bean's name. */
    public String displayName() {
        return displayName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the format has a heartbeat message (OMS Default and DataWorks do). */
    public boolean hasHeartbeat() {
        return this == DEFAULT || this == DEFAULT_EXTEND_COLUMN_TYPE || this == DATAWORKS;
    }

    /** Either spelling, in any case. */
    public static Optional<FormatName> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        for (FormatName format : values()) {
            if (format.displayName.toUpperCase(Locale.ROOT).equals(wanted) || format.wireName.equals(wanted)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return displayName + " (" + wireName + ")";
    }
}
