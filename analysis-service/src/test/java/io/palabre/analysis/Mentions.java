package io.palabre.analysis;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds canonical mention JSON for tests.
 */
public final class Mentions {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Mentions() {
    }

    public static ObjectNode post(String platform, String id, String author, String replyTo, String conversationId,
            Instant createdAt) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", platform + ":" + id);
        n.put("platform", platform);
        n.put("kind", "post");
        n.putNull("url");
        n.put("createdAt", createdAt.toString());
        ObjectNode a = n.putObject("author");
        a.put("id", platform + ":" + author);
        a.put("handle", author);
        a.putNull("displayName");
        a.put("bot", false);
        n.put("text", "text of " + id);
        n.put("lang", "en");
        if (replyTo == null) {
            n.putNull("replyTo");
        } else {
            ObjectNode r = n.putObject("replyTo");
            r.put("id", platform + ":" + replyTo);
            r.putNull("authorId");
        }
        if (conversationId == null) {
            n.putNull("conversationId");
        } else {
            n.put("conversationId", platform + ":" + conversationId);
        }
        n.putArray("mentions");
        n.putArray("hashtags");
        n.putArray("links");
        n.putNull("quoteOf");
        n.putNull("repostOf");
        ObjectNode s = n.putObject("source");
        s.put("connector", "test");
        s.putNull("query");
        s.put("capturedAt", createdAt.toString());
        return n;
    }

    public static String[] record(ObjectNode mention) {
        String key = mention.get("conversationId").isNull() ? mention.get("id").asText()
                : mention.get("conversationId").asText();
        return new String[] { key, mention.toString() };
    }
}
