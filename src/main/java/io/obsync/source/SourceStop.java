package io.obsync.source;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import io.debezium.text.ParsingException;
import io.obsync.config.Options;
import io.obsync.event.Causes;
import io.obsync.filter.TaskConfigurationException;

/**
 * Why the source stopped, decided once from the error the engine ended with, as the one line the
 * task's status, log and health check show: a user's configuration, a send that cannot succeed, a
 * DDL statement the parser cannot read, or the source itself (unreachable, refused).
 *
 * @param kind    which of them
 * @param message one line naming the cause and the fix
 */
public record SourceStop(Kind kind, String message) {

    /** The causes a task stops for; each needs the user before the task can go on. */
    public enum Kind { CONFIGURATION, DELIVERY, UNPARSABLE_DDL, CONNECTION_LOST, SOURCE }

    /** Messages of a connection that broke under a running read, as opposed to a source that refuses or cannot be reached. */
    // the driver's words for a connection that never answered, and Debezium's when it could not connect at the start
    private static final Pattern NEVER_CONNECTED = Pattern.compile(
            "(?s).*(has not received any packets from the server|Unable to connect).*");
    private static final Pattern CONNECTION_LOST = Pattern.compile(
            "(?s).*(Communications link failure|connection was unexpectedly lost|Connection reset|server has gone away|Broken pipe).*");

    /**
     * @param error   what the engine ended with, or null
     * @param message the engine's own message when there is no error
     * @param source  the source's host:port, for the message
     */
    public static SourceStop classify(Throwable error, String message, String source) {
        TaskConfigurationException configuration = Causes.find(error, TaskConfigurationException.class);
        if (configuration != null) {
            return new SourceStop(Kind.CONFIGURATION, configuration.getMessage());
        }
        DeliveryStoppedException delivery = Causes.find(error, DeliveryStoppedException.class);
        if (delivery != null) {
            return new SourceStop(Kind.DELIVERY, delivery.getMessage());
        }
        Throwable unparsed = Causes.find(error, ParsingException.class);
        if (unparsed != null) {
            String reason = String.valueOf(unparsed.getMessage()).replaceAll("\\s*\\R\\s*", " ");
            return new SourceStop(Kind.UNPARSABLE_DDL, "binlog source " + source + " stopped at a DDL statement it cannot parse, which may change "
                    + "a table's columns (" + (reason.length() > 2000 ? reason.substring(0, 2000) + "..." : reason) + "): to skip such statements set "
                    + Options.SOURCE_SKIP_UNPARSEABLE_DDL.key() + "=true (the table's structure the task knows may then be wrong), or have the "
                    + "source write MySQL syntax (OceanBase: the Binlog Service's binlog_ddl_convert), and start the task again; it resumes "
                    + "before that statement");
        }
        // a connection that could not be made (refused, no such host) is not one that was lost: the driver says "link failure" for both
        boolean neverConnected = Causes.find(error, e -> e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof NoRouteToHostException || e.getMessage() != null && NEVER_CONNECTED.matcher(e.getMessage()).matches()) != null;
        if (!neverConnected && Causes.find(error, e -> e.getMessage() != null && CONNECTION_LOST.matcher(e.getMessage()).matches()) != null) {
            // obproxy drops connections (a switchover, a tight loop of SHOW MASTER STATUS): read again from the saved position
            return new SourceStop(Kind.CONNECTION_LOST, "binlog source " + source + " dropped the connection (" + rootMessage(error)
                    + "); reading resumes from the saved position");
        }
        return new SourceStop(Kind.SOURCE, "binlog source " + source + " stopped: " + (error != null ? rootMessage(error) : message)
                + "; check " + Options.SOURCE_HOSTNAME.key() + ", port, user and password, and that the Binlog Service is up");
    }

    /** The error's message with its deepest cause's, on one line (drivers write several). */
    static String rootMessage(Throwable error) {
        Throwable root = Causes.root(error);
        String text = root == error ? String.valueOf(error.getMessage()) : error.getMessage() + " (" + root.getMessage() + ")";
        return text.replaceAll("\\s*\\R\\s*", " ");
    }
}
