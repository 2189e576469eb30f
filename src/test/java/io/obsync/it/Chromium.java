package io.obsync.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.awaitility.Awaitility;

/**
 * Headless Chromium (Debian's {@code chromium} package) driven over the DevTools protocol, the way a person's browser
 * shows a page: navigate, run a script in the page (read what it shows, click, type), take a screenshot. Exceptions the
 * page throws and errors it logs (a refused script or style under the Content-Security-Policy among them) are collected.
 */
final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Path> BINARIES = List.of(Path.of("/usr/lib/chromium/chromium"), Path.of("/usr/bin/chromium"),
            Path.of("/usr/bin/chromium-browser"), Path.of("/usr/bin/google-chrome"));

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    private Chromium(Process process, String pageSocket) throws Exception {
        this.process = process;
        StringBuilder frame = new StringBuilder();
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(20))
                .buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        frame.append(data);
                        if (last) {
                            received(frame.toString());
                            frame.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
        send("Runtime.enable", JSON.createObjectNode());
        send("Log.enable", JSON.createObjectNode());
        send("Page.enable", JSON.createObjectNode());
    }

    /** Starts the browser with a profile in the folder; fails in one line when it is not installed. */
    static Chromium start(Path dir) throws Exception {
        Path binary = BINARIES.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(
                "No Chromium here (looked for " + BINARIES + "): install Debian's chromium package (.ci/run does)."));
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        Process process = new ProcessBuilder(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--user-data-dir=" + profile, "--window-size=1280,1700", "about:blank")
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        try {
            Path active = profile.resolve("DevToolsActivePort");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("Chromium ended with " + process.exitValue() + ": " + Files.readString(dir.resolve("chromium.log")));
                }
                return Files.exists(active) && Files.readAllLines(active).size() >= 2;
            });
            int port = Integer.parseInt(Files.readAllLines(active).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            String pageSocket = null;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); pageSocket == null && System.nanoTime() < deadline;) {
                String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (JsonNode target : JSON.readTree(list)) {
                    if ("page".equals(target.path("type").asText())) {
                        pageSocket = target.path("webSocketDebuggerUrl").asText();
                    }
                }
            }
            if (pageSocket == null) {
                throw new AssertionError("Chromium on port " + port + " shows no page to drive");
            }
            return new Chromium(process, pageSocket);
        } catch (Throwable e) {
            stop(process);
            throw e;
        }
    }

    private void received(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
                if (answer != null) {
                    answer.complete(message);
                }
                return;
            }
            String method = message.path("method").asText();
            if (method.equals("Runtime.exceptionThrown")) {
                errors.add("exception: " + message.at("/params/exceptionDetails").toString());
            } else if (method.equals("Log.entryAdded") && "error".equals(message.at("/params/entry/level").asText())) {
                errors.add("log: " + message.at("/params/entry/text").asText() + " " + message.at("/params/entry/url").asText());
            } else if (method.equals("Runtime.consoleAPICalled") && "error".equals(message.at("/params/type").asText())) {
                errors.add("console: " + message.at("/params/args").toString());
            }
        } catch (IOException e) {
            errors.add("unreadable DevTools message: " + text);
        }
    }

    /** One DevTools command; its result, or an AssertionError with the browser's error. */
    JsonNode send(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
        command.set("params", params);
        socket.sendText(JSON.writeValueAsString(command), true).get(30, TimeUnit.SECONDS);
        JsonNode message = answer.get(60, TimeUnit.SECONDS);
        if (message.has("error")) {
            throw new AssertionError(method + " failed: " + message.get("error"));
        }
        return message.get("result");
    }

    /** Opens the address and waits until the page has loaded. */
    void open(String url) throws Exception {
        send("Page.navigate", JSON.createObjectNode().put("url", url));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "complete".equals(run("document.readyState")));
    }

    /** Runs a script in the page (awaiting a promise it returns); its value as text. */
    String run(String script) throws Exception {
        JsonNode result = send("Runtime.evaluate", JSON.createObjectNode().put("expression", script).put("returnByValue", true)
                .put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("the page could not run " + script + ": " + result.get("exceptionDetails"));
        }
        JsonNode value = result.at("/result/value");
        return value.isMissingNode() || value.isNull() ? null : value.isTextual() ? value.asText() : value.toString();
    }

    /** What the element shows, as a person reads it. */
    String textOf(String id) throws Exception {
        return run("(document.getElementById(" + JSON.writeValueAsString(id) + ") || {}).innerText");
    }

    /** Types into an input as a person would (the page sees an input event). */
    void type(String id, String value) throws Exception {
        run("(() => { const e = document.getElementById(" + JSON.writeValueAsString(id) + "); e.focus(); e.value = " + JSON.writeValueAsString(value)
                + "; e.dispatchEvent(new Event('input', {bubbles: true})); })()");
    }

    /** Clicks an element (a button, a form's submit button). */
    void click(String id) throws Exception {
        run("document.getElementById(" + JSON.writeValueAsString(id) + ").click()");
    }

    /** The page as shown, as a PNG image. */
    byte[] screenshot() throws Exception {
        return Base64.getDecoder().decode(send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")
                .put("captureBeyondViewport", true)).get("data").asText());
    }

    /** Exceptions thrown and errors logged by the page so far. */
    List<String> errors() {
        return new ArrayList<>(errors);
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        stop(process);
    }

    /** Ends the browser and every process it started (renderers, the GPU process), also when it does not end on its own. */
    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
