package io.palabre.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.testing.Contracts;

/** Records of the topics dashboard-service reads, as their producers write them, for tests: key and value. */
public final class TestRecords {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestRecords() {
    }

    /** A listening query as ingest-service publishes it, naming these organisation accounts. */
    public static String[] query(String id, String name, String... organisationAccounts) {
        ObjectNode q = MAPPER.createObjectNode();
        q.put("id", id);
        q.put("name", name);
        q.put("terms", "acme");
        q.putArray("hashtags");
        q.putArray("accounts");
        q.putArray("platforms").add("x");
        ArrayNode accounts = q.putArray("organisationAccounts");
        for (String account : organisationAccounts) {
            accounts.add(account);
        }
        q.put("enabled", true);
        q.put("version", 1);
        q.put("createdAt", "2026-11-01T00:00:00Z");
        q.put("updatedAt", "2026-11-01T00:00:00Z");
        return new String[] { id, q.toString() };
    }

    /** A threaded mention by {@code author}, making these relationships (type to account). */
    public static String[] threaded(String id, String conversationId, String author, String replyTo, Instant at,
            Map<String, String> relationships, List<String> hashtags, boolean deleted) {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("id", id);
        m.put("platform", "x");
        m.put("kind", "post");
        m.putNull("url");
        m.put("createdAt", at.toString());
        m.putObject("author").put("id", author).put("handle", author.substring(2)).putNull("displayName")
                .put("bot", false);
        m.put("text", deleted ? "" : "text of " + id);
        m.put("lang", "en");
        if (replyTo == null) {
            m.putNull("replyTo");
        } else {
            m.putObject("replyTo").put("id", replyTo).putNull("authorId");
        }
        m.put("conversationId", conversationId);
        m.putArray("mentions");
        ArrayNode tags = m.putArray("hashtags");
        hashtags.forEach(tags::add);
        m.putArray("links");
        m.putNull("quoteOf");
        m.putNull("repostOf");
        m.putObject("source").put("connector", "test").putNull("query").put("capturedAt", at.toString());
        ObjectNode t = MAPPER.createObjectNode();
        t.put("conversationId", conversationId);
        t.put("deleted", deleted);
        t.put("edited", false);
        t.put("lang", "en");
        t.put("langDetected", false);
        ArrayNode derived = t.putArray("hashtags");
        if (!deleted) {
            hashtags.forEach(derived::add);
        }
        t.putArray("links");
        ArrayNode targets = t.putArray("relationships");
        if (!deleted) {
            relationships.forEach((type, account) -> targets.addObject().put("type", type).put("accountId", account));
        }
        t.put("postedAt", at.toString());
        t.put("version", deleted ? 2 : 1);
        t.set("mention", m);
        return new String[] { conversationId, t.toString() };
    }

    /** A relationship's state as analysis-service publishes it, seen a minute ago and now. */
    public static String[] relationship(String source, String target, String type, int weight) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("sourceId", source);
        r.put("targetId", target);
        r.put("type", type);
        r.put("weight", weight);
        r.put("firstSeenAt", Instant.now().minusSeconds(60).toString());
        r.put("lastSeenAt", Instant.now().toString());
        r.put("version", 1);
        return new String[] { type + "|" + source + "|" + target, r.toString() };
    }

    /** An account's graph metrics (the contract's example) with this PageRank, computed now. */
    public static String[] metrics(String account, double pagerank) {
        String json = Contracts.read(Contracts.examples("account-metrics", true).get(0)).trim();
        ObjectNode m;
        try {
            m = (ObjectNode) MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        m.put("accountId", account);
        m.put("pagerank", pagerank);
        m.put("computedAt", Instant.now().toString());
        return new String[] { account, m.toString() };
    }

}
