package io.obsync.format;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import io.obsync.config.Options;
import io.obsync.config.TaskConfig;


/** Creates the data format of a serialization method; the one place that lists which methods this build writes. */
public final class MessageFormats {

    /**
     * Settings formats carry into their messages.
     *
     * @param taskName            the task: Default's source_identity, Debezium's logical name (topic.prefix)
     * @param clusterId           OceanBase cluster name (Default's clusterId)
     * @param decimalHandlingMode Debezium family: precise, string or double
     * @param businessSystemId    1 to 20 characters or empty; a header of every message, and in DataWorks bodies
     * @param zone                where wall-clock and instant values are shown as dates (Canal, DataWorks)
     * @param transactionSequence SharePlex: fill seq, size and idx (holds each transaction until its end)
     */
    public record Settings(String taskName, String clusterId, String decimalHandlingMode, String businessSystemId, ZoneId zone,
                           boolean transactionSequence) {

        public Settings(String taskName, String clusterId) {
            this(taskName, clusterId, "precise", "", ZoneId.of("UTC"), false);
        }

        /**
         * The settings a task's properties give, each checked with a one-line error.
         *
         * @param property the task's configuration by key: null or empty when unset
         */
        public static Settings of(UnaryOperator<String> property) {
            return of(new TaskConfig(property));
        }

        /** The settings of a task's configuration, each checked with a one-line error. */
        public static Settings of(TaskConfig config) {
            return new Settings(config.text(Options.TASK_NAME), config.text(Options.SOURCE_CLUSTER),
                    config.text(Options.FORMAT_DEBEZIUM_DECIMAL_HANDLING_MODE), BusinessSystemId.validate(config.text(Options.FORMAT_BUSINESS_SYSTEM_ID)),
                    zone(config.text(Options.FORMAT_TIME_ZONE)), config.flag(Options.FORMAT_SHAREPLEX_TRANSACTION_SEQUENCE));
        }

        private static ZoneId zone(String zone) {
            try {
                return ZoneId.of(zone.trim());
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(Options.FORMAT_TIME_ZONE.key() + " is '" + zone + "', which is not a time zone: "
                        + "use an id such as UTC, Asia/Shanghai or +08:00.");
            }
        }
    }

    private static final Map<FormatName, Function<Settings, JsonChangeEventFormat>> WRITERS = new EnumMap<>(FormatName.class);

    static {
        WRITERS.put(FormatName.DEFAULT, s -> defaultFormat(new DefaultFormat(), s));
        WRITERS.put(FormatName.DEFAULT_EXTEND_COLUMN_TYPE, s -> defaultFormat(new DefaultExtendColumnTypeFormat(), s));
        WRITERS.put(FormatName.CANAL, s -> {
            CanalFormat format = new CanalFormat();
            format.setZone(s.zone());
            return format;
        });
        WRITERS.put(FormatName.DATAWORKS, s -> {
            DataWorksFormat format = new DataWorksFormat();
            format.setZone(s.zone());
            return format;
        });
        WRITERS.put(FormatName.SHAREPLEX, s -> {
            SharePlexFormat format = new SharePlexFormat();
            format.setTransactionSequence(s.transactionSequence());
            return format;
        });
        WRITERS.put(FormatName.DEBEZIUM, s -> debezium(DebeziumFormat.Variant.ENVELOPE_WITH_SCHEMA, s));
        WRITERS.put(FormatName.DEBEZIUM_FLATTEN, s -> debezium(DebeziumFormat.Variant.ENVELOPE, s));
        WRITERS.put(FormatName.DEBEZIUM_SMT, s -> debezium(DebeziumFormat.Variant.NEW_RECORD_STATE, s));
        WRITERS.put(FormatName.MAXWELL, s -> new MaxwellFormat());
    }

    private MessageFormats() {
    }

    private static JsonChangeEventFormat defaultFormat(DefaultFormat format, Settings settings) {
        format.setSourceIdentity(settings.taskName());
        format.setClusterId(settings.clusterId());
        return format;
    }

    private static JsonChangeEventFormat debezium(DebeziumFormat.Variant variant, Settings settings) {
        DebeziumFormat format = new DebeziumFormat(variant);
        format.setLogicalName(settings.taskName());
        format.setDecimalHandlingMode(settings.decimalHandlingMode());
        return format;
    }

    /** The serialization method a user named, or an error that lists the ones this build writes. */
    public static FormatName resolve(String name) {
        return resolve(name, Options.FORMAT.key());
    }

    /** Same, naming the property the name came from in the error. */
    public static FormatName resolve(String name, String property) {
        FormatName format = FormatName.parse(name).filter(WRITERS::containsKey).orElse(null);
        if (format == null) {
            throw new IllegalArgumentException(property + " is '" + name + "', which is not a serialization method of "
                    + "this build: use one of " + available() + ".");
        }
        return format;
    }

    public static JsonChangeEventFormat create(FormatName format, Settings settings) {
        JsonChangeEventFormat created = WRITERS.get(format).apply(settings);
        created.setBusinessSystemId(settings.businessSystemId());
        return created;
    }

    /** The serialization methods this build writes. */
    public static Set<FormatName> writers() {
        return WRITERS.keySet();
    }

    /** "Default (DEFAULT), DefaultExtendColumnType (DEFAULT_WITH_SCHEMA), ..." */
    public static String available() {
        return WRITERS.keySet().stream().map(FormatName::toString).collect(Collectors.joining(", "));
    }
}
