package io.obsync.verify;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.obsync.format.FormatName;

/**
 * Reads the row images back out of a message in one of the task's formats, each value as the text the
 * format wrote: the rebuilt rows and the source's rows (written by the same format) compare as text.
 */
final class MessageRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A change's images: null where the change has none (no before image for an INSERT or a snapshot
     * row). When {@code partial}, {@code after} holds only the changed columns, to be laid over the row
     * that {@code before} (which may hold only the key) identifies.
     */
    record Images(Map<String, String> before, Map<String, String> after, boolean partial) {
        Images(Map<String, String> before, Map<String, String> after) {
            this(before, after, false);
        }
    }

    /** Whether a format's UPDATE messages carry the row before the change (needed for tables without a key). */
    static boolean hasBeforeImage(FormatName format) {
        return format != FormatName.DEBEZIUM_SMT;
    }

    private MessageRows() {
    }

    /** The images of a row-change message (INSERT, UPDATE, DELETE or ROW, as its obsync-operation header says). */
    static Images read(FormatName format, String operation, String value) {
        JsonNode message;
        try {
            message = JSON.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException("a message is not " + format.displayName() + " JSON: " + e.getMessage(), e);
        }
        boolean delete = "DELETE".equals(operation);
        return switch (format) {
            case DEFAULT, DEFAULT_EXTEND_COLUMN_TYPE -> new Images(image(message.get("prevStruct")), image(message.get("postStruct")));
            case CANAL -> {
                JsonNode data = first(message.get("data"));
                JsonNode old = first(message.get("old"));
                Map<String, String> row = image(data);
                if (delete) {
                    yield new Images(row, null);
                }
                if (old == null) {
                    yield new Images(null, row);
                }
                Map<String, String> before = new LinkedHashMap<>(row);
                before.putAll(image(old));
                yield new Images(before, row);
            }
            case MAXWELL -> {
                Map<String, String> row = image(message.get("data"));
                if (delete) {
                    yield new Images(row, null);
                }
                Map<String, String> old = image(message.get("old"));
                if (old == null) {
                    yield new Images(null, row);
                }
                Map<String, String> before = new LinkedHashMap<>(row);
                before.putAll(old);
                yield new Images(before, row);
            }
            case DEBEZIUM -> new Images(image(message.path("payload").get("before")), image(message.path("payload").get("after")));
            case DEBEZIUM_FLATTEN -> new Images(image(message.get("before")), image(message.get("after")));
            case DEBEZIUM_SMT -> {
                // the row itself, plus __op, __db, __table, __deleted, __source_ts_ms
                Map<String, String> row = image(message);
                if (row != null) {
                    row.keySet().removeIf(column -> column.startsWith("__"));
                }
                yield delete ? new Images(row, null) : new Images(null, row);
            }
            case DATAWORKS -> new Images(image(message.path("payload").path("before").get("dataColumn")),
                    image(message.path("payload").path("after").get("dataColumn")));
            case SHAREPLEX -> {
                Map<String, String> key = image(message.get("key"));
                Map<String, String> data = image(message.get("data"));
                String op = message.path("meta").path("op").asText();
                yield switch (op) {
                    case "del" -> new Images(key, null);
                    case "upd" -> new Images(key, data, true);
                    default -> new Images(null, data);
                };
            }
        };
    }

    private static JsonNode first(JsonNode array) {
        return array == null || !array.isArray() || array.isEmpty() ? null : array.get(0);
    }

    /** Column name to the value's text (a JSON string's content, any other value as JSON); null for no image. */
    private static Map<String, String> image(JsonNode node) {
        if (node == null || node.isNull() || !node.isObject()) {
            return null;
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("__light_type")) {
                continue;
            }
            JsonNode v = field.getValue();
            row.put(field.getKey(), v == null || v.isNull() ? null : v.isTextual() ? v.textValue() : v.toString());
        }
        return row;
    }
}
