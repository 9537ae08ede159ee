package io.palabre.dashboard;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Analysis results sent to the real broker, applied to the read model in the real PostgreSQL, and read over HTTP.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class ReadModelTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2031-05-01T08:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void conversationIsServedWithItsNestedReplyTree() {
        String p = prefix();
        String root = "bluesky:at://did:plc:" + p + "/app.bsky.feed.post/root";
        List<String[]> records = new ArrayList<>();
        records.add(mention(root, root, null, T0));
        records.add(mention(root + "-r1", root, root, T0.plusSeconds(60)));
        records.add(mention(root + "-r2", root, root + "-r1", T0.plusSeconds(120)));
        records.add(mention(root + "-r3", root, root, T0.plusSeconds(180)));
        TopicRecords.send(bootstrap, "threaded-mentions", records);
        TopicRecords.send(bootstrap, "conversations", List.<String[]> of(conversation(root, 4, 2, T0, T0.plusSeconds(180))));

        String path = "/api/conversations/" + encode(root);
        await().atMost(Duration.ofSeconds(30)).until(() -> byId(path).statusCode() == 200
                && byId(path).jsonPath().getInt("mentionsShown") == 4);
        JsonPath body = byId(path).then().statusCode(200).extract().jsonPath();
        assertEquals(root, body.getString("conversation.id"));
        assertEquals(4, body.getInt("conversation.size"));
        assertEquals(1, body.getList("tree").size());
        assertEquals(root, body.getString("tree[0].mention.id"));
        assertEquals(2, body.getList("tree[0].replies").size());
        assertEquals(root + "-r2", body.getString("tree[0].replies[0].replies[0].mention.id"));
        assertEquals(2, body.getInt("tree[0].replies[0].replies[0].depth"));
    }

    @Test
    void conversationsArePagedMostRecentActivityFirst() {
        String p = prefix();
        Instant base = Instant.parse("2040-01-01T00:00:00Z").plusSeconds(Math.abs(p.hashCode() % 100_000) * 10L);
        List<String[]> conversations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = "x:" + p + i;
            conversations.add(conversation(id, 1, 0, base, base.plusSeconds(i)));
        }
        TopicRecords.send(bootstrap, "conversations", conversations);
        await().atMost(Duration.ofSeconds(30)).until(() -> byId("/api/conversations/" + encode("x:" + p + "2"))
                .statusCode() == 200);
        // Later tests may add conversations with later activity; page from this test's newest one.
        String cursor = new io.palabre.dashboard.rest.Cursor(base.plusSeconds(3), "~").encode();
        JsonPath first = given().queryParam("limit", 2).queryParam("cursor", cursor).get("/api/conversations")
                .then().statusCode(200).body("items", hasSize(2)).body("nextCursor", notNullValue())
                .extract().jsonPath();
        assertEquals("x:" + p + "2", first.getString("items[0].id"));
        assertEquals("x:" + p + "1", first.getString("items[1].id"));
        given().queryParam("limit", 1).queryParam("cursor", first.getString("nextCursor")).get("/api/conversations")
                .then().statusCode(200).body("items[0].id", equalTo("x:" + p + "0"));
    }

    @Test
    void mergedFragmentIsAnsweredByTheConversationItBelongsToAndStaleStatesAreIgnored() {
        String p = prefix();
        String root = "mastodon:https://example.social/users/a/statuses/" + p + "a";
        String fragment = "mastodon:https://example.social/users/b/statuses/" + p + "b";
        TopicRecords.send(bootstrap, "threaded-mentions", List.<String[]> of(mention(fragment + "c", fragment, fragment, T0)));
        TopicRecords.send(bootstrap, "conversations", List.<String[]> of(conversation(fragment, 1, 2, T0, T0)));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> byId("/api/conversations/" + encode(fragment)).statusCode() == 200);

        ObjectNode merged = (ObjectNode) read(conversation(root, 3, 2, T0, T0.plusSeconds(5))[1]);
        merged.putArray("mergedFrom").add(fragment);
        TopicRecords.send(bootstrap, "conversations", List.<String[]> of(new String[] { root, merged.toString() }));
        // A stale state of the fragment, as another partition could deliver it late.
        TopicRecords.send(bootstrap, "conversations", List.<String[]> of(conversation(fragment, 1, 2, T0, T0)));
        TopicRecords.send(bootstrap, "threaded-mentions", List.<String[]> of(mention(fragment + "d", fragment, fragment + "c", T0)));

        // The merge and the late mention travel on different topics: wait for both to be applied.
        await().atMost(Duration.ofSeconds(30)).until(() -> byId("/api/mentions/" + encode(fragment + "d"))
                .statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonPath body = byId("/api/conversations/" + encode(fragment)).jsonPath();
            return root.equals(body.getString("conversation.id")) && body.getInt("mentionsShown") == 2;
        });
        byId("/api/conversations/" + encode(fragment)).then().statusCode(200)
                .body("conversation.id", equalTo(root))
                .body("mentionsShown", equalTo(2));
        byId("/api/mentions/" + encode(fragment + "c")).then().body("conversationId", equalTo(root));
        byId("/api/mentions/" + encode(fragment + "d")).then().body("conversationId", equalTo(root));
    }

    @Test
    void theLatestStateOfAConversationWinsWhateverOrderItArrivesIn() {
        String p = prefix();
        String root = "bluesky:at://did:plc:" + p + "/app.bsky.feed.post/root";
        TopicRecords.send(bootstrap, "threaded-mentions", List.<String[]> of(mention(root, root, null, T0)));
        ObjectNode later = (ObjectNode) read(conversation(root, 4, 3, T0, T0.plusSeconds(40))[1]);
        later.put("updatedAt", T0.plusSeconds(50).toString());
        ObjectNode earlier = (ObjectNode) read(conversation(root, 2, 1, T0, T0.plusSeconds(20))[1]);
        earlier.put("updatedAt", T0.plusSeconds(30).toString());
        // Two consumers of analysis-service publish when their batch ends: the earlier state may come second, in
        // the same poll.
        TopicRecords.send(bootstrap, "conversations", List.<String[]> of(new String[] { root, later.toString() },
                new String[] { root, earlier.toString() }));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> byId("/api/conversations/" + encode(root)).statusCode() == 200);
        byId("/api/conversations/" + encode(root)).then().statusCode(200)
                .body("conversation.size", equalTo(4))
                .body("conversation.depth", equalTo(3));
    }

    @Test
    void mentionsAreFilteredByPlatformAndTime() {
        String p = prefix();
        Instant at = Instant.parse("2035-03-03T03:03:03Z");
        String id = "hackernews:" + p;
        TopicRecords.send(bootstrap, "threaded-mentions", List.<String[]> of(mention(id, id, null, at)));
        await().atMost(Duration.ofSeconds(30)).until(() -> byId("/api/mentions/" + encode(id)).statusCode() == 200);
        given().queryParam("platform", "hackernews").queryParam("from", "2035-03-03T03:03:03Z")
                .queryParam("to", "2035-03-03T03:03:04Z").get("/api/mentions")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo(id))
                .body("nextCursor", nullValue());
        given().queryParam("platform", "reddit").queryParam("from", "2035-03-03T03:03:03Z")
                .queryParam("to", "2035-03-03T03:03:04Z").get("/api/mentions")
                .then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void badParametersAndUnknownIdsAreProblems() {
        byId("/api/conversations/" + encode("x:no-such-thing")).then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("x:no-such-thing"));
        byId("/api/mentions/" + encode("x:no-such-thing")).then().statusCode(404)
                .contentType("application/problem+json");
        given().queryParam("limit", 0).get("/api/conversations").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("limit"));
        given().queryParam("limit", 100000).get("/api/mentions").then().statusCode(400);
        given().queryParam("cursor", "%%%").get("/api/conversations").then().statusCode(400)
                .body("detail", containsString("cursor"));
        given().queryParam("platform", "myspace").get("/api/mentions").then().statusCode(400)
                .body("detail", containsString("platform"));
        given().queryParam("from", "yesterday").get("/api/mentions").then().statusCode(400)
                .body("detail", containsString("from"));
        given().queryParam("limit", "ten").get("/api/mentions").then().statusCode(400)
                .contentType("application/problem+json");
        // NUL in any parameter, path or query, is refused before it reaches a query.
        byId("/api/mentions/x%3Aabc%00def").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("control character"));
        byId("/api/mentions?q=acme%00").then().statusCode(400).contentType("application/problem+json");
        byId("/api/conversations/x%3A%01").then().statusCode(400);
    }

    @Test
    void theWebUiIsServedUnderAContentSecurityPolicyWithoutInlineCode() {
        String policy = given().get("/").then().statusCode(200).header("X-Content-Type-Options", "nosniff")
                .extract().header("Content-Security-Policy");
        assertTrue(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), policy);
        assertTrue(policy.contains("frame-ancestors 'none'"), policy);
        given().get("/js/app.js").then().statusCode(200).header("Content-Security-Policy", containsString("'self'"));
        given().get("/api/conversations").then().header("X-Frame-Options", "DENY");
    }

    @Test
    void operationsEndpointsAnswer() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/conversations"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("palabre_dashboard_results_applied"));
    }

    /** The path is already encoded: RestAssured must not encode it again. */
    private static io.restassured.response.Response byId(String encodedPath) {
        return given().urlEncodingEnabled(false).get(encodedPath);
    }

    private static String prefix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private static ObjectNode read(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String[] mention(String id, String conversationId, String replyTo, Instant at) {
        String platform = id.substring(0, id.indexOf(':'));
        ObjectNode m = MAPPER.createObjectNode();
        m.put("id", id);
        m.put("platform", platform);
        m.put("kind", "post");
        m.putNull("url");
        m.put("createdAt", at.toString());
        ObjectNode a = m.putObject("author");
        a.put("id", platform + ":author-" + Math.abs(id.hashCode() % 7));
        a.put("handle", "author" + Math.abs(id.hashCode() % 7));
        a.putNull("displayName");
        a.put("bot", false);
        m.put("text", "text of " + id);
        m.put("lang", "en");
        if (replyTo == null) {
            m.putNull("replyTo");
        } else {
            m.putObject("replyTo").put("id", replyTo).putNull("authorId");
        }
        m.put("conversationId", conversationId);
        m.putArray("mentions");
        m.putArray("hashtags");
        m.putArray("links");
        m.putNull("quoteOf");
        m.putNull("repostOf");
        m.putObject("source").put("connector", "test").putNull("query").put("capturedAt", at.toString());
        ObjectNode threaded = MAPPER.createObjectNode();
        threaded.put("conversationId", conversationId);
        threaded.put("deleted", false);
        threaded.put("edited", false);
        threaded.put("lang", "en");
        threaded.put("langDetected", false);
        threaded.putArray("hashtags");
        threaded.putArray("links");
        threaded.putArray("relationships");
        threaded.put("postedAt", at.toString());
        threaded.put("version", 1);
        threaded.set("mention", m);
        return new String[] { conversationId, threaded.toString() };
    }

    static String[] conversation(String id, int size, int depth, Instant first, Instant last) {
        ObjectNode c = MAPPER.createObjectNode();
        c.put("id", id);
        c.put("rootPresent", true);
        c.put("size", size);
        c.put("depth", depth);
        c.put("participants", size);
        c.putArray("platforms").add(id.substring(0, id.indexOf(':')));
        c.putArray("languages").add("en");
        c.put("firstActivityAt", first.toString());
        c.put("lastActivityAt", last.toString());
        c.put("maxBranching", 1);
        c.put("organisationTookPart", false);
        c.putArray("mergedFrom");
        c.put("updatedAt", Instant.now().toString());
        return new String[] { id, c.toString() };
    }
}
