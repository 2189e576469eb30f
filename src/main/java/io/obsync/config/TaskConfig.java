package io.obsync.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.apache.camel.CamelContext;

/**
 * A task's configuration as the task sees it (its own settings, the environment, the properties
 * file), read only through the option declarations: each value checked against its type, the
 * declared default when unset. What run, precheck, verify and the routes' beans read options with.
 */
public final class TaskConfig {

    private final UnaryOperator<String> lookup;

    /** @param lookup a key's value, or null when unset */
    public TaskConfig(UnaryOperator<String> lookup) {
        this.lookup = lookup;
    }

    /** The task's configuration as a Camel context resolves it (file, environment, overrides). */
    public static TaskConfig of(CamelContext camelContext) {
        return new TaskConfig(key -> camelContext.getPropertiesComponent().resolveProperty(key).orElse(null));
    }

    /** Largest secret file read: a password or key is short; anything bigger is a wrong file. */
    static final int SECRET_FILE_LIMIT = 64 * 1024;

    /**
     * The option's value, trimmed; its default when unset or blank. A secret option set through
     * {@code <key>-file} reads that file (its content without the trailing line break).
     */
    public String text(Option option) {
        String value = option.check(lookup.apply(option.key()));
        if (!option.secret()) {
            return value;
        }
        String fileKey = option.key() + Option.FILE_SUFFIX;
        String file = lookup.apply(fileKey);
        if (file == null || file.isBlank()) {
            return value;
        }
        if (!value.isEmpty()) {
            throw new IllegalArgumentException(option.key() + " and " + fileKey + " are both set: keep one of them.");
        }
        return readSecret(fileKey, file.trim());
    }

    private static String readSecret(String fileKey, String file) {
        byte[] content;
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            content = in.readNBytes(SECRET_FILE_LIMIT + 1);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(fileKey + " is '" + file + "', which cannot be read (" + e.getClass().getSimpleName()
                    + "): name a file the task's user may read that holds only the secret.");
        }
        if (content.length > SECRET_FILE_LIMIT) {
            throw new IllegalArgumentException(fileKey + " is '" + file + "', which is larger than " + SECRET_FILE_LIMIT / 1024
                    + " KiB: name a file that holds only the secret.");
        }
        String secret = new String(content, StandardCharsets.UTF_8);
        return secret.endsWith("\r\n") ? secret.substring(0, secret.length() - 2)
                : secret.endsWith("\n") ? secret.substring(0, secret.length() - 1) : secret;
    }

    public boolean flag(Option option) {
        return Boolean.parseBoolean(text(option));
    }

    /** A NUMBER option's value; 0 for an optional one left empty (no limit, no port). */
    public long number(Option option) {
        String text = text(option);
        return text.isEmpty() ? 0 : Long.parseLong(text);
    }

    /**
     * A CHOICE option's value as the constant of an enumeration whose names are the choices in capitals,
     * '-' as '_' (at-least-once is AT_LEAST_ONCE).
     */
    public <E extends Enum<E>> E choice(Option option, Class<E> type) {
        if (option.type() != Option.Type.CHOICE) {
            throw new IllegalStateException(option.key() + " is no choice");
        }
        return Enum.valueOf(type, constantName(text(option)));
    }

    /** The enumeration constant's name of a choice: capitals, '-' as '_'. */
    public static String constantName(String choice) {
        return choice.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public int integer(Option option) {
        long value = Long.parseLong(text(option));
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option.key() + " is '" + value + "': use a whole number such as " + option.defaultValue() + ".");
        }
        return (int) value;
    }

    /** A value by key exactly as set (null when unset), for settings read by name. */
    public String raw(String key) {
        return lookup.apply(key);
    }
}
