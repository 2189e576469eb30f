package io.obsync.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code key=value,key=value} lists some options take (obsync.topic.mapping, obsync.format.topics), read one way. */
public final class Pairs {

    private Pairs() {
    }

    /**
     * The entries in their order, keys and values trimmed; empty entries are skipped.
     *
     * @param what    what an entry is, for the error ("Topic mapping entry")
     * @param option  the option that holds the list
     * @param form    the form an entry takes ("database.table=topic")
     * @param example an entry as it should be written ("shop.orders=orders_topic")
     * @throws IllegalArgumentException naming the entry, its option and an example, when an entry has no key or no value
     */
    public static Map<String, String> parse(String text, String what, Option option, String form, String example) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String key = eq < 0 ? "" : entry.substring(0, eq).trim();
            String value = eq < 0 ? "" : entry.substring(eq + 1).trim();
            if (key.isEmpty() || value.isEmpty()) {
                throw new IllegalArgumentException(refusal(what, entry, option, form, example));
            }
            out.put(key, value);
        }
        return out;
    }

    /** The sentence that refuses an entry: what it is, the entry, its option, the form and an example. */
    public static String refusal(String what, String entry, Option option, String form, String example) {
        return what + " '" + entry + "' (" + option.key() + ") is not of the form " + form + ": write it like " + example + ".";
    }
}
