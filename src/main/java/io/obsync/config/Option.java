package io.obsync.config;

import java.util.Locale;

/**
 * One {@code obsync.*} option.
 *
 * @param key          the property key
 * @param type         what its value must be
 * @param defaultValue the value when unset (as in application.properties); empty for none
 * @param doc          one line of documentation
 * @param min          smallest value of a NUMBER option
 * @param max          largest value of a NUMBER option
 */
public record Option(String key, Type type, String defaultValue, String doc, long min, long max) {

    public Option(String key, Type type, String defaultValue, String doc) {
        this(key, type, defaultValue, doc, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * The kinds of values options take. A SECRET (a password, a key) is never shown in a message, and
     * may instead be read from the file its {@code <key>-file} option names.
     */
    public enum Type { TEXT, BOOLEAN, NUMBER, SECRET }

    /** The suffix of the option that names a file holding a secret option's value. */
    public static final String FILE_SUFFIX = "-file";

    public boolean secret() {
        return type == Type.SECRET;
    }

    /** The property placeholder of the option, {@code {{key}}}, with its default when unset. */
    public String placeholder() {
        return "{{" + key + ":" + defaultValue + "}}";
    }

    /**
     * The value checked against the type, trimmed; the default when null or blank.
     *
     * @throws IllegalArgumentException one sentence naming the key, the value and what to write
     */
    public String check(String value) {
        String v = value == null || value.isBlank() ? defaultValue : value.trim();
        switch (type) {
            case BOOLEAN -> {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException(key + " is '" + value + "': use true or false.");
                }
                return v.toLowerCase(Locale.ROOT);
            }
            case NUMBER -> {
                long number;
                try {
                    number = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + " is '" + value + "': use a whole number such as " + defaultValue + ".");
                }
                if (number < min || number > max) {
                    throw new IllegalArgumentException(key + " is " + number + ": use " + (max == Long.MAX_VALUE ? min + " or more"
                            : "a number from " + min + " to " + max) + " (default " + defaultValue + ").");
                }
                return v;
            }
            default -> {
                return v;
            }
        }
    }
}
