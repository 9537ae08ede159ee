package io.palabre.dashboard;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Hostile and malformed records sent straight to analysis-service's topics on the real broker: the read model in the
 * real PostgreSQL stores them cleaned or sets them aside on {@code dashboard-dlq} with a reason, and the valid mention
 * sent after them is served.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class HostileResultsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2032-02-02T10:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void hostileRecordsAreStoredCleanedOrDeadLetteredAndTheNextMentionArrives() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        String nul = "bluesky:at://did:plc:" + p + "/app.bsky.feed.post/nul";
        ObjectNode withNul = mention(nul);
        withNul.with("mention").put("url", "https://bsky.app/\u0000profile");
        withNul.with("mention").put("text", "before\u0000after LONE lone");
        withNul.with("mention").with("author").put("handle", "nul\u0000handle");
        withNul.withArray("hashtags").add("tag\u0001").addNull();
        withNul.withArray("relationships").addNull();

        String noAuthor = "bluesky:at://did:plc:" + p + "/app.bsky.feed.post/noauthor";
        ObjectNode withoutAuthor = mention(noAuthor);
        withoutAuthor.with("mention").remove("author");

        String farFuture = "bluesky:at://did:plc:" + p + "/app.bsky.feed.post/future";
        ObjectNode outOfRange = mention(farFuture);
        outOfRange.with("mention").put("createdAt", "+300000-01-01T00:00:00Z");

        // An id that fits its length in characters but not the database's index in bytes: only storing it can tell.
        StringBuilder incompressible = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            incompressible.appendCodePoint(0x4E00 + (int) ((i * 7919L) % 20_000));
        }
        String wide = "bluesky:at://did:plc:" + p + "/app.bsky.feed.post/" + incompressible;

        String deep = "[".repeat(5000) + "]".repeat(5000);
        String script = "bluesky:at://did:plc:" + p + "/app.bsky.feed.post/script";
        ObjectNode scripted = mention(script);
        scripted.with("mention").put("url", "javascript:alert(document.cookie)");
        scripted.withArray("links").add("javascript:alert(1)").add("https://example.org/fine");
        String after = "bluesky:at://did:plc:" + p + "/app.bsky.feed.post/after";

        List<String[]> records = new ArrayList<>();
        // A lone surrogate survives a topic only as a JSON escape: a raw one would be lost when the record is encoded.
        records.add(new String[] { nul, withNul.toString().replace("LONE", "\\ud800") });
        records.add(new String[] { noAuthor, withoutAuthor.toString() });
        records.add(new String[] { farFuture, outOfRange.toString() });
        records.add(new String[] { p, mention(wide).toString() });
        records.add(new String[] { p, "not json at all" });
        records.add(new String[] { p, deep });
        records.add(new String[] { p, "{\"conversationId\":5,\"mention\":[]}" });
        records.add(new String[] { script, scripted.toString() });
        records.add(new String[] { after, mention(after).toString() });
        TopicRecords.send(bootstrap, "threaded-mentions", records);
        ObjectNode badConversation = MAPPER.createObjectNode().put("id", "bluesky:" + p).put("size", "big");
        TopicRecords.send(bootstrap, "conversations", List.<String[]> of(new String[] { p, badConversation.toString() }));

        // Records travel on several partitions: wait for every one that must be stored.
        await().atMost(Duration.ofSeconds(30)).until(() -> byId(after).statusCode() == 200
                && byId(nul).statusCode() == 200 && byId(script).statusCode() == 200);
        JsonPath stored = byId(nul).then().statusCode(200).extract().jsonPath();
        assertEquals("https://bsky.app/profile", stored.getString("url"));
        assertEquals("beforeafter \ufffd lone", stored.getString("text"));
        assertEquals("nulhandle", stored.getString("author.handle"));
        JsonPath scriptedStored = byId(script).then().statusCode(200).extract().jsonPath();
        assertEquals(null, scriptedStored.getString("url"), "only http(s) URLs are kept");
        assertEquals(List.of("https://example.org/fine"), scriptedStored.getList("links"));
        assertEquals(404, byId(noAuthor).statusCode());
        assertEquals(404, byId(farFuture).statusCode());

        List<ConsumerRecord<String, String>> dlq = TopicRecords.readUntil(bootstrap, "dashboard-dlq",
                read -> reasons(read).keySet().containsAll(List.of("threaded-mentions:" + noAuthor,
                        "threaded-mentions:" + farFuture, "threaded-mentions:" + wide)), Duration.ofSeconds(30));
        Map<String, String> reasons = reasons(dlq);
        assertTrue(reasons.get("threaded-mentions:" + noAuthor).contains("mention.author"), reasons.toString());
        assertTrue(reasons.get("threaded-mentions:" + farFuture).contains("out of range"), reasons.toString());
        assertTrue(reasons.get("threaded-mentions:" + wide).startsWith("not stored"), reasons.toString());
        long unreadable = dlq.stream().map(r -> json(r.value())).filter(r -> r.get("payload").asText()
                .equals("not json at all") || r.get("payload").asText().equals(deep)
                || r.get("payload").asText().contains("\"conversationId\":5")).count();
        assertEquals(3, unreadable, "each unreadable record is dead-lettered once, with its payload");
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** Dead-letter reasons by topic and the id found in the payload. */
    private static Map<String, String> reasons(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> json(r.value()))
                .filter(r -> r.get("payload").asText().startsWith("{"))
                .filter(r -> json(r.get("payload").asText()).path("mention").has("id"))
                .collect(Collectors.toMap(
                        r -> r.get("origin").asText().substring(0, r.get("origin").asText().indexOf('/')) + ":"
                                + json(r.get("payload").asText()).get("mention").get("id").asText(),
                        r -> r.get("reason").asText(), (a, b) -> a));
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            return MAPPER.createObjectNode().put("payload", "").put("origin", "/").put("reason", "");
        }
    }

    private static ObjectNode mention(String id) throws Exception {
        return (ObjectNode) MAPPER.readTree(ReadModelTest.mention(id, id, null, T0)[1]);
    }

    private static io.restassured.response.Response byId(String id) {
        return given().urlEncodingEnabled(false).get("/api/mentions/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
    }
}
