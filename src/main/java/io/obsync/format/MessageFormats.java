package io.obsync.format;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.camel.spi.DataFormat;

/** Creates the data format of a serialization method; the one place that lists which methods this build writes. */
public final class MessageFormats {

    /** Settings every format may carry into its messages. */
    public record Settings(String sourceIdentity, String clusterId) {
    }

    private static final Map<FormatName, java.util.function.Function<Settings, DataFormat>> WRITERS = new EnumMap<>(FormatName.class);

    static {
        WRITERS.put(FormatName.DEFAULT, s -> configure(DefaultFormat::new, s));
        WRITERS.put(FormatName.DEFAULT_EXTEND_COLUMN_TYPE, s -> configure(DefaultExtendColumnTypeFormat::new, s));
        WRITERS.put(FormatName.CANAL, s -> new CanalFormat());
    }

    private MessageFormats() {
    }

    private static DataFormat configure(Supplier<DefaultFormat> constructor, Settings settings) {
        DefaultFormat format = constructor.get();
        format.setSourceIdentity(settings.sourceIdentity());
        format.setClusterId(settings.clusterId());
        return format;
    }

    /** The serialization method a user named, or an error that lists the ones this build writes. */
    public static FormatName resolve(String name) {
        FormatName format = FormatName.parse(name).filter(WRITERS::containsKey).orElse(null);
        if (format == null) {
            throw new IllegalArgumentException("obsync.format is '" + name + "', which is not a serialization method of "
                    + "this build: use one of " + available() + ".");
        }
        return format;
    }

    public static DataFormat create(FormatName format, Settings settings) {
        return WRITERS.get(format).apply(settings);
    }

    /** The serialization methods this build writes. */
    public static java.util.Set<FormatName> writers() {
        return WRITERS.keySet();
    }

    /** "Default (DEFAULT), DefaultExtendColumnType (DEFAULT_WITH_SCHEMA), ..." */
    public static String available() {
        return WRITERS.keySet().stream().map(FormatName::toString).collect(Collectors.joining(", "));
    }
}
