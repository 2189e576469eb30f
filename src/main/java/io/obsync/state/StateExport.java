package io.obsync.state;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.debezium.document.DocumentReader;

/**
 * A task's state as one JSON document, the same for every store, so that {@code obsync state export}
 * and {@code import} move it between stores and machines:
 * {@code {"task": ..., "position": {...} or null, "history": [record, ...]}}.
 */
public final class StateExport {

    /** The largest export read: a schema history of many thousands of DDL statements fits well below it. */
    public static final long LIMIT_BYTES = 512L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private StateExport() {
    }

    /** A task's state read from an export. */
    public record Content(String task, Map<String, Object> position, List<String> history) {
    }

    /** The export of a task's state, pretty-printed. */
    public static String write(String task, Map<String, Object> position, List<String> history) {
        ObjectNode root = JSON.createObjectNode();
        root.put("task", task);
        root.set("position", position == null ? null : JSON.valueToTree(position));
        ArrayNode records = root.putArray("history");
        try {
            for (String record : history) {
                records.add(JSON.readTree(record));
            }
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("a history record is not JSON: " + e.getMessage(), e);
        }
    }

    /** A position as one line of JSON. */
    public static String positionJson(Map<String, Object> position) {
        try {
            return JSON.writeValueAsString(position);
        } catch (IOException e) {
            return String.valueOf(position);
        }
    }

    /** A history record in a few words: where it was read and its statement. */
    public static String summary(String record) {
        try {
            JsonNode node = JSON.readTree(record);
            JsonNode position = node.path("position");
            String ddl = node.path("ddl").asText("");
            return position.path("file").asText("?") + ":" + position.path("pos").asText("?") + " "
                    + (ddl.length() > 120 ? ddl.substring(0, 120) + "..." : ddl).replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "(not JSON)";
        }
    }

    /** The export in the state store's own form. */
    public static String write(StateStore store) {
        return write(store.task(), store.position(), store.history());
    }

    /**
     * Reads an export.
     *
     * @param name what the text came from, for messages
     * @throws IllegalArgumentException one line naming the file and what is wrong in it
     */
    public static Content read(String name, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("The state export " + name + " is not JSON (" + reason + "): give a file "
                    + "written by `obsync state export`.");
        }
        if (root == null || !root.isObject() || !root.path("task").isTextual() || !root.has("position") || !root.path("history").isArray()) {
            throw new IllegalArgumentException("The state export " + name + " lacks task, position or history: give a file written by "
                    + "`obsync state export`.");
        }
        JsonNode position = root.get("position");
        if (!position.isNull() && !position.isObject()) {
            throw new IllegalArgumentException("The state export " + name + " has a position that is not an object: give a file written "
                    + "by `obsync state export`.");
        }
        Map<String, Object> offset = null;
        if (position.isObject()) {
            offset = new LinkedHashMap<>();
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) position::fields) {
                JsonNode value = field.getValue();
                if (!value.isValueNode()) {
                    throw new IllegalArgumentException("The state export " + name + " has a position whose " + field.getKey()
                            + " is not a plain value: give a file written by `obsync state export`.");
                }
                offset.put(field.getKey(), value.isNull() ? null : value.isIntegralNumber() ? (Object) value.longValue()
                        : value.isBoolean() ? (Object) value.booleanValue() : value.isNumber() ? (Object) value.doubleValue() : value.asText());
            }
        }
        List<String> history = new ArrayList<>();
        DocumentReader reader = DocumentReader.defaultReader();
        int index = 0;
        for (JsonNode record : root.get("history")) {
            try {
                String text2 = JSON.writeValueAsString(record);
                if (!record.isObject()) {
                    throw new IOException("not an object");
                }
                reader.read(text2);
                history.add(text2);
            } catch (IOException e) {
                throw new IllegalArgumentException("The state export " + name + " has a history record (number " + (index + 1)
                        + ") that is not a history document: give a file written by `obsync state export`.");
            }
            index++;
        }
        return new Content(root.get("task").asText(), offset, history);
    }
}
