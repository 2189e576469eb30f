package io.obsync.filter;

/**
 * A user's configuration that only shows its fault when a table is first seen (a row filter naming a
 * column the table lacks): the task stops with this message instead of resending.
 */
public class TaskConfigurationException extends IllegalArgumentException {

    public TaskConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
