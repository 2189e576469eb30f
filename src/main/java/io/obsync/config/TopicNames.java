package io.obsync.config;

import java.util.regex.Pattern;

/** The rule every target topic name follows: 3 to 64 letters, digits, '-', '_' or '.'. */
public final class TopicNames {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{3,64}");

    private TopicNames() {
    }

    /** Throws with a one-sentence message naming what the topic is for, the value and the fix. */
    public static String requireValid(String topic, String usedFor, String fix) {
        if (topic == null || !VALID.matcher(topic).matches()) {
            throw new IllegalArgumentException("Topic name '" + topic + "' for " + usedFor
                    + " is invalid: a topic name is 3 to 64 characters of letters, digits, '-', '_' and '.'; " + fix + ".");
        }
        return topic;
    }
}
