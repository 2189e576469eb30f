package io.obsync.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a named topic is mapped: an <b>existing</b> topic (it must be there; obsync never creates it)
 * or a topic to <b>create</b> (schema synchronization creates it at start-up). Batch-generated
 * topics ({@code obsync.topic.pattern}) are created by schema sync just before their first message.
 */
public enum TopicMethod {
    EXISTING, CREATE;

    /** Reads a method name (existing or create, any case); empty gives the fallback. */
    public static TopicMethod parse(String value, String where, TopicMethod fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " is '" + value + "': use existing (the topic is there already) or create "
                    + "(schema sync creates it).");
        }
    }

    /**
     * The mapping-method rules: "create" needs schema sync, and with schema sync on one task does not
     * mix created and existing topics.
     *
     * @throws IllegalArgumentException one sentence naming the topics and the fix
     */
    public static void check(boolean schemaSync, Map<String, TopicMethod> topics) {
        Set<String> create = new TreeSet<>();
        Set<String> existing = new TreeSet<>();
        topics.forEach((topic, method) -> (method == CREATE ? create : existing).add(topic));
        if (!schemaSync && !create.isEmpty()) {
            throw new IllegalArgumentException("Topics " + create + " are mapped with the create method, which needs schema sync: set "
                    + Options.SCHEMA_SYNC_ENABLED.key() + "=true, or map them as existing topics.");
        }
        if (schemaSync && !create.isEmpty() && !existing.isEmpty()) {
            throw new IllegalArgumentException("Option conflict: topics " + create + " are mapped with the create method and " + existing
                    + " with the existing method while schema sync is on: use one mapping method in a task (obsync.topic.mapping-method "
                    + "and topic-method in the objects file).");
        }
    }
}
