package io.palabre.dashboard.messaging;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A record read from a topic made storable, in place: PostgreSQL's text and jsonb cannot hold U+0000, and a topic is
 * untrusted input even when analysis-service wrote it. In every string (names included) NUL and the other C0 control
 * characters but tab, line feed and carriage return are removed and lone surrogates become U+FFFD; strings are cut at
 * {@link #MAX_CHARS}; null items are dropped from arrays.
 */
public final class StorableJson {

    /** The longest string kept: a post's text is capped at this length upstream, and so is the full-text index. */
    public static final int MAX_CHARS = 100_000;

    private StorableJson() {
    }

    public static JsonNode clean(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            Map<String, JsonNode> renamed = null;
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (value.isTextual()) {
                    String cleaned = text(value.textValue());
                    if (cleaned != value.textValue()) {
                        field.setValue(TextNode.valueOf(cleaned));
                    }
                } else {
                    clean(value);
                }
                String name = text(field.getKey());
                if (name != field.getKey()) {
                    fields.remove();
                    renamed = renamed == null ? new java.util.LinkedHashMap<>() : renamed;
                    renamed.put(name, field.getValue());
                }
            }
            if (renamed != null) {
                object.setAll(renamed);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                JsonNode item = array.get(i);
                if (item.isNull()) {
                    array.remove(i);
                } else if (item.isTextual()) {
                    String cleaned = text(item.textValue());
                    if (cleaned != item.textValue()) {
                        array.set(i, TextNode.valueOf(cleaned));
                    }
                } else {
                    clean(item);
                }
            }
        }
        return node;
    }

    /** The same string when it is storable as it is, else a cleaned copy. */
    public static String text(String value) {
        if (value == null) {
            return null;
        }
        int n = Math.min(value.length(), MAX_CHARS);
        boolean clean = value.length() <= MAX_CHARS;
        for (int i = 0; i < n && clean; i++) {
            char ch = value.charAt(i);
            clean = !(ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') && !Character.isSurrogate(ch);
            if (!clean && Character.isHighSurrogate(ch) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                clean = true;
                i++;
            }
        }
        if (clean) {
            return value;
        }
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < value.length() && out.length() < MAX_CHARS; i++) {
            char ch = value.charAt(i);
            if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
                continue;
            }
            if (Character.isHighSurrogate(ch) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                if (out.length() + 2 > MAX_CHARS) {
                    break;
                }
                out.append(ch).append(value.charAt(++i));
            } else {
                out.append(Character.isSurrogate(ch) ? '\uFFFD' : ch);
            }
        }
        return out.toString();
    }
}
