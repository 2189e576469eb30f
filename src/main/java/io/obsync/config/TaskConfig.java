package io.obsync.config;

import java.util.function.UnaryOperator;

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

    /** The option's value, trimmed; its default when unset or blank. */
    public String text(Option option) {
        return option.check(lookup.apply(option.key()));
    }

    public boolean flag(Option option) {
        return Boolean.parseBoolean(text(option));
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
