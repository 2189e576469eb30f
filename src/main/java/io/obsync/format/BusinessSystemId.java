package io.obsync.format;

import java.util.regex.Pattern;

import io.obsync.config.Options;

/** The business system identifier of a task: 1 to 20 letters, digits, '_' or '-' (empty: none). */
public final class BusinessSystemId {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,20}");

    private BusinessSystemId() {
    }

    /** The identifier, trimmed; empty when none is set; an error naming the property when it breaks the rule. */
    public static String validate(String value) {
        String id = value == null ? "" : value.trim();
        if (!id.isEmpty() && !VALID.matcher(id).matches()) {
            throw new IllegalArgumentException(Options.FORMAT_BUSINESS_SYSTEM_ID.key() + " is '" + id + "': use 1 to 20 letters, digits, "
                    + "'_' or '-', or leave it empty.");
        }
        return id;
    }
}
