package io.obsync.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FormatNameTest {

    @Test
    void namesAndWireNamesAreAcceptedInAnyCase() {
        assertThat(FormatName.parse("Default")).contains(FormatName.DEFAULT);
        assertThat(FormatName.parse("default")).contains(FormatName.DEFAULT);
        assertThat(FormatName.parse("DEFAULT_WITH_SCHEMA")).contains(FormatName.DEFAULT_EXTEND_COLUMN_TYPE);
        assertThat(FormatName.parse("defaultextendcolumntype")).contains(FormatName.DEFAULT_EXTEND_COLUMN_TYPE);
        assertThat(FormatName.parse(" dataworks_v2 ")).contains(FormatName.DATAWORKS);
        assertThat(FormatName.parse("DebeziumSmt")).contains(FormatName.DEBEZIUM_SMT);
        assertThat(FormatName.parse("avro")).isEmpty();
    }

    @Test
    void everySerializationMethodIsWrittenAndUnknownOnesAreRefused() {
        assertThat(MessageFormats.writers()).containsExactlyInAnyOrder(FormatName.values());
        for (FormatName name : FormatName.values()) {
            assertThat(MessageFormats.resolve(name.wireName().toLowerCase(java.util.Locale.ROOT))).isEqualTo(name);
            assertThat(MessageFormats.create(name, new MessageFormats.Settings("t", "c")).getDataFormatName()).isEqualTo(name.displayName());
        }
        assertThat(MessageFormats.create(FormatName.DEFAULT_EXTEND_COLUMN_TYPE, new MessageFormats.Settings("t", "c")))
                .isInstanceOf(DefaultExtendColumnTypeFormat.class);
        assertThatThrownBy(() -> MessageFormats.resolve("Avro"))
                .hasMessage("obsync.format is 'Avro', which is not a serialization method of this build: "
                        + "use one of Default (DEFAULT), DefaultExtendColumnType (DEFAULT_WITH_SCHEMA), Canal (CANAL), DataWorks (DATAWORKS_V2), "
                        + "SharePlex (SHAREPLEX), Debezium (DEBEZIUM), DebeziumFlatten (DEBEZIUMFLATTEN), DebeziumSmt (DEBEZIUMSMT), Maxwell (MAXWELL).");
    }
}
