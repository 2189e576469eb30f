package io.obsync.manage;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.obsync.config.Option;
import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task console: a page (classpath {@code obsync-console/}) and its JSON under {@code /obsync/} on Camel's management
 * HTTP server, so that an operator sees the task live and pauses, resumes, re-reads tables and changes the throttle from
 * a browser, with the operations and roles of the task's MBean ({@link TaskManagement}, {@link ConsoleAccess}). Nothing it
 * serves holds a secret: secret options show as set or not set.
 */
public final class TaskConsole extends ServiceSupport {

    /** Where the console lives on the management server. */
    public static final String PATH = "/obsync";
    /** The header every action must carry: a page of another site cannot send it without the server's consent (CORS). */
    public static final String ACTION_HEADER = "X-Obsync-Console";
    /** Largest action body accepted. */
    static final int MAX_BODY = 64 * 1024;
    /** Samples of the counters for the rate chart: one every five seconds, fifteen minutes of them. */
    static final int SAMPLES = 180;
    static final long SAMPLE_MILLIS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(TaskConsole.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MASK = "******";

    private final String taskName;
    private final TaskManagement management;
    private final TaskStatus status;
    private final TaskConfig config;
    private final ConsoleAccess access;
    private final Router router;
    private final Deque<long[]> samples = new ArrayDeque<>();
    private ScheduledExecutorService sampler;

    /** @param router the management server's router, which the console's routes join when it starts */
    public TaskConsole(Router router, String taskName, TaskManagement management, TaskStatus status, TaskConfig config, ConsoleAccess access) {
        this.router = router;
        this.taskName = taskName;
        this.management = management;
        this.status = status;
        this.config = config;
        this.access = access;
    }

    /** Adds the console's routes to the management server's router and starts sampling the rates. */
    @Override
    protected void doStart() {
        String page = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
        router.route(PATH + "/*").handler(ctx -> {
            ctx.response().putHeader("Content-Security-Policy", page).putHeader("X-Frame-Options", "DENY")
                    .putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-store");
            ctx.next();
        });
        // the router takes /obsync and /obsync/ for one path: only the first is sent on to the page
        router.get(PATH).handler(ctx -> {
            if (ctx.request().path().equals(PATH)) {
                ctx.redirect(PATH + "/");
            } else {
                ctx.next();
            }
        });
        router.get(PATH + "/status").handler(ctx -> json(ctx, 200, status()));
        router.route(HttpMethod.POST, PATH + "/actions/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        router.route(HttpMethod.POST, PATH + "/actions/:action").blockingHandler(this::act, false);
        router.get(PATH + "/*").handler(StaticHandler.create("obsync-console").setCachingEnabled(false).setDirectoryListing(false)
                .setIndexPage("index.html"));
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "obsync-console-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sample, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("Task console at {}/ on the management server ({})", PATH,
                access.actionsPossible() ? "actions for the users of " + Options.JMX_PASSWORD_FILE.key() + " with the control role"
                        : "read-only: set " + Options.JMX_PASSWORD_FILE.key() + " to allow actions");
    }

    void sample() {
        synchronized (samples) {
            samples.addLast(new long[] {System.currentTimeMillis(), status.getEventsRead(), status.getEventsAcknowledged()});
            while (samples.size() > SAMPLES) {
                samples.pollFirst();
            }
        }
    }

    /** What the page draws, and what scripts read: the task's facts, without a secret. */
    public ObjectNode status() {
        ObjectNode out = JSON.createObjectNode();
        out.put("task", taskName);
        out.put("state", management.getState());
        out.put("phase", management.getPhase());
        out.put("role", management.getRole());
        out.put("position", management.getPosition());
        out.put("delayMillis", management.getLatencyMillis());
        out.put("lastError", management.getLastError());
        ObjectNode counters = out.putObject("counters");
        counters.put("eventsRead", status.getEventsRead());
        counters.put("eventsAcknowledged", status.getEventsAcknowledged());
        counters.put("rowChangesAcknowledged", status.getRowChangesAcknowledged());
        counters.put("failedSends", status.getFailedSends());
        counters.put("resends", status.getResends());
        ArrayNode rates = out.putArray("samples");
        synchronized (samples) {
            for (long[] s : samples) {
                rates.addObject().put("time", s[0]).put("eventsRead", s[1]).put("eventsAcknowledged", s[2]);
            }
        }
        counts(out.putArray("tables"), status.tableCounts());
        counts(out.putArray("topics"), status.topicCounts());
        ObjectNode fullSync = out.putObject("fullSync");
        fullSync.put("millis", status.fullSyncMillis());
        fullSync.put("currentTable", status.fullSyncCurrentTable());
        Map<String, Long> rows = status.fullSyncRows();
        Map<String, Long> estimates = status.fullSyncEstimates();
        TreeSet<String> tables = new TreeSet<>(estimates.keySet());
        tables.addAll(rows.keySet());
        ArrayNode progress = fullSync.putArray("tables");
        for (String table : tables) {
            progress.addObject().put("table", table).put("rows", rows.getOrDefault(table, 0L)).put("estimate", estimates.getOrDefault(table, 0L));
        }
        ObjectNode throttle = out.putObject("throttle");
        throttle.put("fullRecordsPerSecond", management.getThrottleFullRecordsPerSecond());
        throttle.put("fullBytesPerSecond", management.getThrottleFullBytesPerSecond());
        throttle.put("incrementalRecordsPerSecond", management.getThrottleIncrementalRecordsPerSecond());
        throttle.put("incrementalBytesPerSecond", management.getThrottleIncrementalBytesPerSecond());
        ArrayNode errors = out.putArray("errors");
        for (TaskStatus.Incident incident : status.recentErrors()) {
            errors.addObject().put("time", incident.lastMillis()).put("message", incident.message()).put("times", incident.times());
        }
        out.put("actions", access.actionsPossible());
        ObjectNode configuration = out.putObject("configuration");
        for (Option option : Options.all()) {
            String value = config.text(option);
            configuration.put(option.key(), option.secret() ? (value.isEmpty() ? "" : MASK) : value);
        }
        return out;
    }

    private static void counts(ArrayNode out, Map<String, TaskStatus.Counts> counts) {
        counts.forEach((name, c) -> out.addObject().put("name", name).put("in", c.in()).put("filtered", c.filtered()).put("out", c.out()));
    }

    /** One action, with the MBean's operation; refused in one line unless the request may act. */
    private void act(RoutingContext ctx) {
        String action = ctx.pathParam("action");
        if (ctx.request().getHeader(ACTION_HEADER) == null) {
            refuse(ctx, 403, "An action needs the " + ACTION_HEADER + " header (the console's page sends it): send it with the request.");
            return;
        }
        String origin = ctx.request().getHeader("Origin");
        String host = ctx.request().getHeader("Host");
        if (origin != null && (host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host)))) {
            refuse(ctx, 403, "An action from the page of " + origin + " is refused: act from the console itself.");
            return;
        }
        switch (access.decide(ctx.request().getHeader("Authorization"))) {
            case NOT_CONFIGURED -> {
                refuse(ctx, 403, "The console is read-only: set " + Options.JMX_PASSWORD_FILE.key() + " (and " + Options.JMX_ACCESS_FILE.key()
                        + ") to allow actions for users with the control role.");
                return;
            }
            case NO_CREDENTIALS, WRONG_CREDENTIALS -> {
                refuse(ctx, 403, "The user name or password is not right: sign in as a user of " + Options.JMX_PASSWORD_FILE.key() + ".");
                return;
            }
            case MONITORING_ONLY -> {
                refuse(ctx, 403, "This user has the monitoring role (readonly): actions need the control role (readwrite in "
                        + Options.JMX_ACCESS_FILE.key() + ").");
                return;
            }
            case ALLOWED -> {
                // on to the action
            }
        }
        if (!ctx.request().isSSL() && !loopback(ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().host())) {
            refuse(ctx, 403, "An action with a password over plain HTTP is accepted only from this machine: give the management server TLS.");
            return;
        }
        JsonNode body;
        try {
            body = ctx.body().length() == 0 ? JSON.createObjectNode() : JSON.readTree(ctx.body().asString());
        } catch (Exception e) {
            refuse(ctx, 400, "The action's body is not JSON: send an object such as {\"tables\": \"shop.orders\"}.");
            return;
        }
        try {
            String done = switch (action) {
                case "pause" -> {
                    management.pause();
                    yield "Paused: the task reads nothing until it is resumed; its position is saved.";
                }
                case "resume" -> {
                    management.resume();
                    yield "Resumed from the saved position.";
                }
                case "resync" -> "Resync requested (" + management.resync(body.path("tables").asText("")) + ").";
                case "throttle" -> throttle(body);
                default -> null;
            };
            if (done == null) {
                refuse(ctx, 404, "There is no action '" + action + "': the console's actions are pause, resume, resync and throttle.");
                return;
            }
            LOG.info("Console action {}: {}", action, done);
            json(ctx, 200, JSON.createObjectNode().put("ok", true).put("message", done));
        } catch (IllegalArgumentException | IllegalStateException e) {
            refuse(ctx, 409, e.getMessage());
        } catch (Exception e) {
            refuse(ctx, 500, "The " + action + " action failed: " + e.getMessage());
        }
    }

    private String throttle(JsonNode body) {
        long fullRecords = limit(body, "fullRecordsPerSecond", management.getThrottleFullRecordsPerSecond());
        long fullBytes = limit(body, "fullBytesPerSecond", management.getThrottleFullBytesPerSecond());
        long incrementalRecords = limit(body, "incrementalRecordsPerSecond", management.getThrottleIncrementalRecordsPerSecond());
        long incrementalBytes = limit(body, "incrementalBytesPerSecond", management.getThrottleIncrementalBytesPerSecond());
        management.setThrottleFullRecordsPerSecond(fullRecords);
        management.setThrottleFullBytesPerSecond(fullBytes);
        management.setThrottleIncrementalRecordsPerSecond(incrementalRecords);
        management.setThrottleIncrementalBytesPerSecond(incrementalBytes);
        return "Throttle set: full " + fullRecords + " messages/s, " + fullBytes + " bytes/s; incremental " + incrementalRecords + " messages/s, "
                + incrementalBytes + " bytes/s (0: no limit).";
    }

    private static long limit(JsonNode body, String field, long current) {
        JsonNode value = body.get(field);
        String text = value == null || value.isNull() ? "" : value.asText().trim();
        if (text.isEmpty()) {
            return current;
        }
        if (!text.matches("\\d{1,18}")) {
            throw new IllegalArgumentException("The throttle's " + field + " is '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
                    + "': give a whole number of at least 0 (0: no limit).");
        }
        return Long.parseLong(text);
    }

    private static boolean loopback(String host) {
        return host != null && (host.equals("127.0.0.1") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1") || host.startsWith("127."));
    }

    private static void refuse(RoutingContext ctx, int code, String message) {
        json(ctx, code, JSON.createObjectNode().put("ok", false).put("message", message));
    }

    private static void json(RoutingContext ctx, int code, JsonNode body) {
        try {
            ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json; charset=utf-8").end(JSON.writeValueAsString(body));
        } catch (Exception e) {
            ctx.fail(e);
        }
    }

    /** The samples kept for the chart, oldest first (for tests). */
    List<long[]> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    protected void doStop() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }
}
