package io.palabre.analysis.messaging;

import java.util.Iterator;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.palabre.analysis.domain.MentionCaptured;

/**
 * Reads one record of {@code mentions}: a topic is untrusted input even though ingest-service checked it at the edge.
 * Ids with control characters are refused (changing an id would make it another post's); in every other string NUL and
 * the other C0 control characters but tab, line feed and carriage return are removed, lone surrogates become U+FFFD
 * and strings are cut at {@value #MAX_TEXT_CHARS} characters (the contract's longest text); null items are dropped
 * from arrays. The payload kept is the cleaned one, and one over {@value #MAX_PAYLOAD_CHARS} characters is refused, so
 * that what analysis publishes about it always fits in a record.
 */
@ApplicationScoped
public class MentionRecords {

    static final int MAX_TEXT_CHARS = 100_000;
    static final int MAX_PAYLOAD_CHARS = 512 * 1024;

    private final ObjectMapper mapper;

    public MentionRecords(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A usable mention and its payload as it will be stored. */
    public record Read(MentionCaptured mention, String payload) {
    }

    /** Why a record is not a usable mention. */
    public static final class UnusableException extends Exception {

        UnusableException(String reason) {
            super(reason, null, false, false);
        }
    }

    public Read read(String payload) throws UnusableException {
        if (payload == null) {
            throw new UnusableException("empty record (no value)");
        }
        try {
            JsonNode node = mapper.readTree(payload);
            if (node == null || !node.isObject()) {
                throw new UnusableException("not a mention: not a JSON object");
            }
            boolean changed = clean(node);
            MentionCaptured mention = mapper.treeToValue(node, MentionCaptured.class);
            String problem = mention.problem();
            if (problem != null) {
                throw new UnusableException(problem);
            }
            String stored = changed ? mapper.writeValueAsString(node) : payload;
            if (stored.length() > MAX_PAYLOAD_CHARS) {
                throw new UnusableException("a mention of " + stored.length() + " characters, over the limit of "
                        + MAX_PAYLOAD_CHARS);
            }
            return new Read(mention, stored);
        } catch (JsonProcessingException e) {
            throw new UnusableException("not a mention: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            throw new UnusableException("not a mention: " + Failures.reason(e));
        }
    }

    /** Cleans the tree in place; whether anything changed. */
    static boolean clean(JsonNode node) {
        boolean changed = false;
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (value.isTextual() && !isId(field.getKey())) {
                    String cleaned = text(value.textValue());
                    if (cleaned != value.textValue()) {
                        field.setValue(TextNode.valueOf(cleaned));
                        changed = true;
                    }
                } else {
                    changed |= clean(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                JsonNode item = array.get(i);
                if (item.isNull()) {
                    array.remove(i);
                    changed = true;
                } else if (item.isTextual()) {
                    String cleaned = text(item.textValue());
                    if (cleaned != item.textValue()) {
                        array.set(i, TextNode.valueOf(cleaned));
                        changed = true;
                    }
                } else {
                    changed |= clean(item);
                }
            }
        }
        return changed;
    }

    /** Fields that hold ids: checked by {@link MentionCaptured#problem()}, never altered. */
    private static boolean isId(String field) {
        return field.equals("id") || field.endsWith("Id") || field.equals("quoteOf") || field.equals("repostOf");
    }

    /** The same string when it has nothing to remove, else a cleaned copy. */
    static String text(String value) {
        int i = 0;
        while (i < value.length()) {
            char ch = value.charAt(i);
            if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
                break;
            }
            if (Character.isHighSurrogate(ch) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i += 2;
                continue;
            }
            if (Character.isSurrogate(ch)) {
                break;
            }
            i++;
        }
        if (i == value.length() && value.length() <= MAX_TEXT_CHARS) {
            return value;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_TEXT_CHARS));
        out.append(value, 0, Math.min(i, MAX_TEXT_CHARS));
        for (; i < value.length() && out.length() < MAX_TEXT_CHARS; i++) {
            char ch = value.charAt(i);
            if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
                continue;
            }
            if (Character.isHighSurrogate(ch) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                if (out.length() + 2 > MAX_TEXT_CHARS) {
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
