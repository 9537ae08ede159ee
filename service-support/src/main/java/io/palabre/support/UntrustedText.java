package io.palabre.support;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Text that came from strangers (a public post, a topic, a request), made safe to keep: control characters (C0, DEL,
 * C1) removed, but tab, line feed and carriage return where the text keeps its layout; lone surrogates replaced by
 * U+FFFD (PostgreSQL cannot store U+0000, and a lone surrogate is not UTF-8). Ids are never cleaned, only checked
 * ({@link #unusable}): changing an id would make it another post's.
 */
public final class UntrustedText {

    private UntrustedText() {
    }

    /** Whether the text is an absolute http or https URL with a host: the only links Palabre keeps and shows. */
    public static boolean isWebUrl(String text) {
        if (text == null) {
            return false;
        }
        try {
            java.net.URI uri = new java.net.URI(text);
            String scheme = uri.getScheme();
            return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    && uri.getHost() != null && !uri.getHost().isEmpty();
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Where the text holds a control character or a lone surrogate, or -1 when it holds none. */
    public static int unusable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isISOControl(ch) || Character.isSurrogate(ch)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The text without control characters (tab and line ends kept when {@code keepLayout}), lone surrogates
     * replaced, cut at {@code maxChars} (never inside a surrogate pair); the same instance when nothing changes.
     */
    public static String clean(String text, boolean keepLayout, int maxChars) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            boolean pair = Character.isHighSurrogate(ch) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            boolean drop = !pair && Character.isISOControl(ch)
                    && !(keepLayout && (ch == '\t' || ch == '\n' || ch == '\r'));
            boolean replace = !pair && Character.isSurrogate(ch);
            int length = out == null ? i : out.length();
            boolean full = length + (pair ? 2 : 1) > maxChars && !drop;
            if ((drop || replace || full) && out == null) {
                out = new StringBuilder(Math.min(text.length(), maxChars));
                out.append(text, 0, i);
            }
            if (full) {
                break;
            }
            if (out != null) {
                if (pair) {
                    out.append(ch).append(text.charAt(i + 1));
                } else if (replace) {
                    out.append('\uFFFD');
                } else if (!drop) {
                    out.append(ch);
                }
            }
            if (pair) {
                i++;
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * Cleans every string of a JSON tree in place (names of fields included) with {@link #clean}, layout kept, and
     * drops null items of arrays; fields whose name {@code keepAsIs} accepts are left alone. Whether anything changed.
     */
    public static boolean cleanTree(JsonNode node, Predicate<String> keepAsIs, int maxChars) {
        boolean changed = false;
        if (node instanceof ObjectNode object) {
            Map<String, JsonNode> renamed = null;
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (value.isTextual() && !keepAsIs.test(field.getKey())) {
                    String cleaned = clean(value.textValue(), true, maxChars);
                    if (cleaned != value.textValue()) {
                        field.setValue(TextNode.valueOf(cleaned));
                        changed = true;
                    }
                } else if (!value.isTextual()) {
                    changed |= cleanTree(value, keepAsIs, maxChars);
                }
                String name = clean(field.getKey(), false, maxChars);
                if (name != field.getKey()) {
                    fields.remove();
                    renamed = renamed == null ? new LinkedHashMap<>() : renamed;
                    renamed.put(name, field.getValue());
                    changed = true;
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
                    changed = true;
                } else if (item.isTextual()) {
                    String cleaned = clean(item.textValue(), true, maxChars);
                    if (cleaned != item.textValue()) {
                        array.set(i, TextNode.valueOf(cleaned));
                        changed = true;
                    }
                } else {
                    changed |= cleanTree(item, keepAsIs, maxChars);
                }
            }
        }
        return changed;
    }
}
