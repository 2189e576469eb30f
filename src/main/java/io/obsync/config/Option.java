package io.obsync.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One {@code obsync.*} option: its key, the kind of value it takes with the values it allows, its
 * default and one line of documentation. {@link #check} is the one place a single value is judged.
 *
 * @param key          the property key
 * @param type         what its value must be
 * @param defaultValue the value when unset (as in application.properties); empty for none
 * @param doc          one line of documentation
 * @param min          smallest value of a NUMBER option
 * @param max          largest value of a NUMBER option
 * @param choices      the values a CHOICE option takes, or a CHOICES option lists, in their canonical spelling
 */
public record Option(String key, Type type, String defaultValue, String doc, long min, long max, List<String> choices) {

    public Option {
        choices = List.copyOf(choices);
    }

    /**
     * The kinds of values options take. A SECRET (a password, a key) is never shown in a message, and
     * may instead be read from the file its {@code <key>-file} option names. A NUMBER whose default is
     * empty may be left empty (no limit, no port). A CHOICE is one of its choices, a CHOICES a
     * comma-separated list of them, any case.
     */
    public enum Type { TEXT, BOOLEAN, NUMBER, SECRET, CHOICE, CHOICES }

    /** The suffix of the option that names a file holding a secret option's value. */
    public static final String FILE_SUFFIX = "-file";

    public boolean secret() {
        return type == Type.SECRET;
    }

    /** Whether the option may be left empty although it is a NUMBER: empty means none (no limit, no port). */
    public boolean optional() {
        return type == Type.NUMBER && defaultValue.isEmpty();
    }

    /**
     * The value checked against the type, trimmed; the default when null or blank. A choice comes back in
     * its canonical spelling, a list of choices as the canonical names joined by ','.
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
                if (v.isEmpty() && optional()) {
                    return v;
                }
                String range = max == Long.MAX_VALUE ? min + " or more" : "from " + min + " to " + max;
                long number;
                try {
                    number = Long.parseLong(v.replace("_", ""));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + " is '" + value + "': use a whole number" + (optional() ? " (" + range
                            + "), or leave it empty for none." : " such as " + defaultValue + "."));
                }
                if (number < min || number > max) {
                    throw new IllegalArgumentException(key + " is " + number + ": use " + (max == Long.MAX_VALUE ? range : "a number " + range)
                            + (optional() ? ", or leave it empty for none." : " (default " + defaultValue + ")."));
                }
                return Long.toString(number);
            }
            case CHOICE -> {
                return canonical(v, value);
            }
            case CHOICES -> {
                Set<String> chosen = new LinkedHashSet<>();
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        chosen.add(canonical(part.trim(), value));
                    }
                }
                if (chosen.isEmpty() && !defaultValue.isEmpty()) {
                    throw new IllegalArgumentException(key + " is '" + value + "': list any of " + String.join(", ", choices) + ".");
                }
                return String.join(",", chosen);
            }
            default -> {
                return v;
            }
        }
    }

    private String canonical(String v, String value) {
        for (String choice : choices) {
            if (choice.equalsIgnoreCase(v)) {
                return choice;
            }
        }
        throw new IllegalArgumentException(key + " is '" + value + "': " + (type == Type.CHOICES ? "list any of " : "use ") + oneOf() + ".");
    }

    /** The choices as a sentence's words: "a, b or c". */
    public String oneOf() {
        if (choices.size() < 2) {
            return String.join("", choices);
        }
        List<String> head = new ArrayList<>(choices.subList(0, choices.size() - 1));
        return String.join(", ", head) + " or " + choices.get(choices.size() - 1);
    }
}
