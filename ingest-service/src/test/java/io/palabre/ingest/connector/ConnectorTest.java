package io.palabre.ingest.connector;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.palabre.ingest.connector.FakePlatform.Reply;
import io.palabre.ingest.query.QueryRequest;
import io.palabre.ingest.query.QueryService;
import io.palabre.ingest.query.QueryView;
import io.palabre.testing.Contracts;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Polling connectors against a local fake platform replaying recorded payloads, publishing to the real broker
 * and keeping cursors in the real PostgreSQL. Each test uses its own query, so its own cursor.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
@WithTestResource(FakePlatformResource.class)
class ConnectorTest {

    private static final io.quarkus.security.identity.SecurityIdentity OPERATOR =
            io.palabre.support.security.Identities.of("test-operator", io.palabre.support.security.Role.OPERATOR, "test");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    ListeningService listening;

    @Inject
    QueryService queries;

    @Inject
    ConnectorState state;

    @Inject
    io.palabre.ingest.connector.mastodon.MastodonStreamingConnector streaming;

    @Inject
    io.palabre.ingest.connector.x.XFilteredStreamConnector xStream;

    @Test
    void hackerNewsPollPublishesMatchesRecordsTheCapAsAGapAndResumesFromItsStoredCursor() {
        FakePlatform fake = FakePlatformResource.platform;
        fake.program("/hn/", new Reply(200, Map.of(), FakePlatform.fixture("hn-algolia-search-by-date-comment.json")));
        QueryView query = query("starbucks OR \"wal-mart\"", List.of(), List.of("hackernews"));

        assertEquals(1, listening.runOnce("hackernews-algolia"));
        List<ConsumerRecord<String, String>> records = TopicRecords.readUntil(bootstrap, "mentions",
                rs -> rs.stream().anyMatch(r -> r.value().contains(query.name())), Duration.ofSeconds(30));
        JsonNode mention = records.stream().filter(r -> r.value().contains(query.name()))
                .map(r -> Contracts.tree(r.value())).findFirst().orElseThrow();
        assertEquals("hackernews:7919418", mention.get("id").asText());
        assertEquals("hackernews-algolia", mention.get("source").get("connector").asText());
        assertEquals("1403235154", state.cursor("hackernews-algolia", query.id()).orElseThrow());
        assertTrue(state.gaps("hackernews-algolia", 10).stream()
                .anyMatch(g -> g.scope().equals(query.name()) && g.reason().contains("106472 hits")),
                "more hits than Algolia returns is a recorded gap");

        // Its parent (7919290) was not collected: the story's tree is asked for, and what is missing is a gap.
        assertTrue(fake.requests().stream().anyMatch(r -> r.startsWith("/hn/api/v1/items/7918547")),
                fake.requests().toString());
        assertTrue(state.gaps("hackernews-algolia", 20).stream()
                .anyMatch(g -> g.kind().equals("parent") && "hackernews:7919290".equals(g.item())));

        // The next cycle (or a restarted service: the cursor is in the database) asks only for newer items.
        listening.runOnce("hackernews-algolia");
        String last = fake.requests().stream().filter(r -> r.startsWith("/hn/api/v1/search_by_date"))
                .reduce((a, b) -> b).orElseThrow();
        assertTrue(last.contains("created_at_i%3E1403235154"), last);
    }

    @Test
    void rateLimitedPlatformIsLeftAloneUntilItsRetryAfter() {
        FakePlatform fake = FakePlatformResource.platform;
        String tag = "limited" + UUID.randomUUID().toString().substring(0, 6);
        fake.program("/mastodon/api/v1/timelines/tag/" + tag,
                new Reply(429, Map.of("Retry-After", "120"), "{\"error\":\"Too many requests\"}"));
        query("", List.of(tag), List.of("mastodon"));
        int before = fake.requests().size();
        assertEquals(0, listening.runOnce("mastodon-hashtag"));
        int afterFirst = fake.requests().size();
        assertTrue(afterFirst > before);
        assertEquals(0, listening.runOnce("mastodon-hashtag"));
        assertEquals(1, fake.requests().stream().filter(r -> r.contains(tag)).count(),
                "no second call while the platform asks to wait");
        ListeningService.ScopeStatus status = listening.status("mastodon-hashtag").stream()
                .filter(s -> s.lastError != null && s.lastError.contains(tag)).findFirst().orElseThrow();
        assertTrue(status.waitUntil.isAfter(Instant.now().plusSeconds(100)), status.waitUntil.toString());
        given().get("/api/sources/status").then().statusCode(200)
                .body("connector", hasItem("mastodon-hashtag"))
                .body("find { it.connector == 'mastodon-hashtag' }.queries.waitingUntil", hasItem(notNullValue()));
    }

    @Test
    void mastodonTagTimelinePagesForwardFromTheNewestStatusSeen() {
        FakePlatform fake = FakePlatformResource.platform;
        String tag = "hoot" + UUID.randomUUID().toString().substring(0, 6);
        fake.program("/mastodon/api/v1/timelines/tag/" + tag,
                new Reply(200, Map.of("X-RateLimit-Remaining", "299"),
                        FakePlatform.fixture("mastodon-tag-timeline-mastodonpy.json")),
                new Reply(200, Map.of(), "[]"));
        QueryView query = query("", List.of(tag), List.of("mastodon"));
        assertEquals(1, listening.runOnce("mastodon-hashtag"));
        assertTrue(state.cursor("mastodon-hashtag", query.id()).orElseThrow().contains("117020593741189701"));
        listening.runOnce("mastodon-hashtag");
        String last = fake.requests().stream().filter(r -> r.contains(tag)).reduce((a, b) -> b).orElseThrow();
        assertTrue(last.contains("min_id=117020593741189701"), last);
    }

    @Test
    void failingPlatformIsRetriedWithBackoff() {
        FakePlatform fake = FakePlatformResource.platform;
        String tag = "broken" + UUID.randomUUID().toString().substring(0, 6);
        fake.program("/mastodon/api/v1/timelines/tag/" + tag, new Reply(500, Map.of(), "{\"error\":\"boom\"}"));
        query("", List.of(tag), List.of("mastodon"));
        listening.runOnce("mastodon-hashtag");
        ListeningService.ScopeStatus status = listening.status("mastodon-hashtag").stream()
                .filter(s -> s.lastError != null && s.lastError.contains(tag)).findFirst().orElseThrow();
        assertEquals(1, status.consecutiveFailures);
        assertTrue(status.lastError.contains("500"));
        assertTrue(status.waitUntil.isAfter(Instant.now()));
    }

    @Test
    void xRecentSearchAsksForTheThreadFieldsAuthenticatesAndFollowsSinceId() {
        FakePlatform fake = FakePlatformResource.platform;
        fake.program("/x/2/tweets/search/recent", new Reply(200,
                Map.of("x-rate-limit-remaining", "449", "x-rate-limit-reset", "1900000000"),
                FakePlatform.fixture("twitter-v2-conversation-search-docs.json")));
        QueryView query = query("\"agree with you\" OR disagree", List.of(), List.of("x"));
        assertEquals(3, listening.runOnce("x-recent-search"));
        String first = fake.requests().stream().filter(r -> r.startsWith("/x/")).reduce((a, b) -> b).orElseThrow();
        assertTrue(first.contains("conversation_id") && first.contains("referenced_tweets") && first.contains("start_time"),
                first);
        assertEquals("Bearer " + FakePlatformResource.SECRETS.get(2), fake.header(fake.requests().lastIndexOf(first), "Authorization"));
        assertEquals("1234567893", state.cursor("x-recent-search", query.id()).orElseThrow());
        listening.runOnce("x-recent-search");
        String second = fake.requests().stream().filter(r -> r.startsWith("/x/")).reduce((a, b) -> b).orElseThrow();
        assertTrue(second.contains("since_id=1234567893"), second);
    }

    @Test
    void redditAuthenticatesSearchesAndFiltersNewCommentsThenPagesFromTheNewestFullname() {
        FakePlatform fake = FakePlatformResource.platform;
        fake.program("/reddit-token/", new Reply(200, Map.of(), "{\"access_token\":\"abc\",\"expires_in\":3600}"));
        fake.program("/reddit/search", new Reply(200, Map.of("x-ratelimit-remaining", "99", "x-ratelimit-reset", "300"),
                FakePlatform.fixture("reddit-search-listing.json")));
        fake.program("/reddit/r/kakapo/comments", new Reply(200, Map.of(),
                FakePlatform.fixture("reddit-subreddit-comments-listing.json")));
        QueryView query = query("praw OR kakapo", List.of(), List.of("reddit"));
        int published = listening.runOnce("reddit");
        assertTrue(published > 0);
        int tokenCalls = (int) fake.requests().stream().filter(r -> r.startsWith("/reddit-token/")).count();
        assertEquals(1, tokenCalls);
        String search = fake.requests().stream().filter(r -> r.startsWith("/reddit/search")).findFirst().orElseThrow();
        assertEquals("bearer abc", fake.header(fake.requests().indexOf(search), "Authorization"));
        String cursor = state.cursor("reddit", query.id()).orElseThrow();
        assertTrue(cursor.contains("\"search\":\"t3_") && cursor.contains("\"r/kakapo\":\"t1_"), cursor);

        listening.runOnce("reddit");
        String again = fake.requests().stream().filter(r -> r.startsWith("/reddit/search")).reduce((a, b) -> b)
                .orElseThrow();
        assertTrue(again.contains("&before=t3_"), again);
        assertEquals(tokenCalls, fake.requests().stream().filter(r -> r.startsWith("/reddit-token/")).count(),
                "the token is reused until it expires");
    }

    @Test
    void theStatusNeverShowsAPlatformCredential() {
        for (String connector : List.of("x-recent-search", "reddit", "bluesky-search", "mastodon-hashtag")) {
            listening.runOnce(connector);
        }
        String status = io.restassured.RestAssured.get("/api/sources/status").then().statusCode(200).extract()
                .asString();
        for (String secret : FakePlatformResource.SECRETS) {
            assertTrue(!status.contains(secret), "the status shows " + secret);
        }
    }

    @Test
    void rssFeedsArePolledConditionallyAndOnlyNewItemsArePublished() throws Exception {
        FakePlatform fake = FakePlatformResource.platform;
        String path = "/feeds/" + UUID.randomUUID() + ".xml";
        String atom;
        try (var in = getClass().getResourceAsStream("/fixtures/feeds/comments.atom.xml")) {
            atom = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        fake.program(path, new Reply(200, Map.of("ETag", "\"v1\""), atom), new Reply(304, Map.of(), ""));
        QueryView query = remember(queries.create(new QueryRequest("feed-" + UUID.randomUUID(), "", List.of(),
                List.of("rss:" + fake.url() + path), List.of("rss"), List.of(), true), OPERATOR));
        assertEquals(2, listening.runOnce("rss"));
        assertEquals(0, listening.runOnce("rss"), "304: nothing new");
        int second = fake.requests().lastIndexOf(path);
        assertTrue(second > fake.requests().indexOf(path));
        assertEquals("\"v1\"", fake.header(second, "If-None-Match"));
        assertTrue(state.cursor("rss", query.id()).orElseThrow().contains("v1"));
    }

    @Test
    void mastodonReplyIsSentWithItsAncestorsSoItsParentResolvesToAGlobalId() throws Exception {
        FakePlatform fake = FakePlatformResource.platform;
        String tag = "ctx" + UUID.randomUUID().toString().substring(0, 6);
        // The streaming example is a reply (in_reply_to_id 108914398911648589) from another instance.
        JsonNode reply = Contracts.tree(Contracts.tree(FakePlatform.fixture("mastodon-streaming-websocket-update.json"))
                .get("payload").asText());
        String parentLocalId = reply.get("in_reply_to_id").asText();
        com.fasterxml.jackson.databind.node.ObjectNode parent = ((com.fasterxml.jackson.databind.node.ObjectNode)
                Contracts.tree(FakePlatform.fixture("mastodon-status-docs-example.json")))
                .put("id", parentLocalId).put("uri", "https://example.social/users/someone/statuses/77");
        fake.program("/mastodon/api/v1/timelines/tag/" + tag, new Reply(200, Map.of(), "[" + reply + "]"));
        fake.program("/mastodon/api/v1/statuses/" + reply.get("id").asText() + "/context",
                new Reply(200, Map.of(), "{\"ancestors\":[" + parent + "],\"descendants\":[]}"));
        QueryView query = query("", List.of(tag), List.of("mastodon"));
        assertEquals(2, listening.runOnce("mastodon-hashtag"));
        List<ConsumerRecord<String, String>> records = TopicRecords.readUntil(bootstrap, "mentions",
                rs -> rs.stream().filter(r -> r.value().contains(query.name()) || r.value().contains("statuses/77"))
                        .count() >= 2, Duration.ofSeconds(30));
        JsonNode published = records.stream().map(r -> Contracts.tree(r.value()))
                .filter(n -> query.name().equals(n.path("source").path("query").asText())).findFirst().orElseThrow();
        assertEquals("mastodon:https://example.social/users/someone/statuses/77",
                published.get("replyTo").get("id").asText());
        JsonNode context = records.stream().map(r -> Contracts.tree(r.value()))
                .filter(n -> n.get("id").asText().endsWith("statuses/77")).reduce((a, b) -> b).orElseThrow();
        assertTrue(context.get("source").get("context").asBoolean());
    }

    @Test
    void redditMissingSubmissionIsFetchedWithItsTreeAndMoreStubsAreExpanded() {
        FakePlatform fake = FakePlatformResource.platform;
        fake.program("/reddit-token/", new Reply(200, Map.of(), "{\"access_token\":\"abc\",\"expires_in\":3600}"));
        fake.program("/reddit/search", new Reply(200, Map.of(), "{\"kind\":\"Listing\",\"data\":{\"children\":[]}}"));
        fake.program("/reddit/r/kakapo/comments", new Reply(200, Map.of(),
                FakePlatform.fixture("reddit-subreddit-comments-listing.json")));
        String submission = "{\"kind\":\"t3\",\"data\":{\"name\":\"t3_654eqk\",\"author\":\"kakapo_fan\","
                + "\"title\":\"Kakapo days\",\"selftext\":\"\",\"created_utc\":1492000000.0,\"is_self\":true,"
                + "\"permalink\":\"/r/kakapo/comments/654eqk/\"}}";
        String more = "{\"kind\":\"more\",\"data\":{\"count\":1,\"name\":\"t1_zz1\",\"id\":\"zz1\","
                + "\"parent_id\":\"t3_654eqk\",\"depth\":0,\"children\":[\"zz1\"]}}";
        fake.program("/reddit/comments/654eqk", new Reply(200, Map.of(),
                "[{\"kind\":\"Listing\",\"data\":{\"children\":[" + submission + "]}},"
                        + "{\"kind\":\"Listing\",\"data\":{\"children\":[" + more + "]}}]"));
        fake.program("/reddit/api/morechildren", new Reply(200, Map.of(), "{\"json\":{\"data\":{\"things\":["
                + "{\"kind\":\"t1\",\"data\":{\"name\":\"t1_zz1\",\"author\":\"late_reply\",\"body\":\"hidden\","
                + "\"parent_id\":\"t3_654eqk\",\"link_id\":\"t3_654eqk\",\"created_utc\":1492000100.0}}]}}}"));
        QueryView query = query("favourite", List.of(), List.of("reddit"));
        listening.runOnce("reddit");
        assertTrue(fake.requests().stream().anyMatch(r -> r.startsWith("/reddit/api/morechildren")
                && r.contains("children=zz1") && r.contains("link_id=t3_654eqk")), fake.requests().toString());
        List<ConsumerRecord<String, String>> records = TopicRecords.readUntil(bootstrap, "mentions",
                rs -> rs.stream().anyMatch(r -> r.value().contains("reddit:t1_zz1")), Duration.ofSeconds(30));
        JsonNode root = records.stream().map(r -> Contracts.tree(r.value()))
                .filter(n -> n.get("id").asText().equals("reddit:t3_654eqk")).reduce((a, b) -> b).orElseThrow();
        assertTrue(root.get("source").get("context").asBoolean());
        assertTrue(records.stream().anyMatch(r -> r.value().contains(query.name())));
    }

    @Test
    void blueskySearchCreatesASessionFiltersByTermsAndResumesFromTheNewestIndexedAt() {
        FakePlatform fake = FakePlatformResource.platform;
        fake.program("/pds/xrpc/com.atproto.server.createSession",
                new Reply(200, Map.of(), "{\"accessJwt\":\"jwt-1\",\"refreshJwt\":\"r\",\"did\":\"did:plc:x\"}"));
        fake.program("/pds/xrpc/app.bsky.feed.searchPosts", new Reply(200,
                Map.of("RateLimit-Limit", "3000", "RateLimit-Remaining", "2999"),
                FakePlatform.fixture("bluesky-searchposts-response.json")));
        QueryView query = query("redistricting", List.of(), List.of("bluesky"));
        int published = listening.runOnce("bluesky-search");
        assertTrue(published > 0 && published <= 25, "published " + published);
        String search = fake.requests().stream().filter(r -> r.startsWith("/pds/xrpc/app.bsky.feed.searchPosts"))
                .findFirst().orElseThrow();
        assertEquals("Bearer jwt-1", fake.header(fake.requests().indexOf(search), "Authorization"));
        String cursor = state.cursor("bluesky-search", query.id()).orElseThrow();
        assertTrue(cursor.startsWith("2025-05-"), cursor);
        listening.runOnce("bluesky-search");
        String again = fake.requests().stream().filter(r -> r.startsWith("/pds/xrpc/app.bsky.feed.searchPosts"))
                .reduce((a, b) -> b).orElseThrow();
        assertTrue(again.contains("since=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8)),
                again);
    }

    @Test
    void mastodonStreamPublishesUpdatesEditsAndDeletesOfWhatItDeliveredAndReconnectsWhenItStalls() {
        FakePlatform fake = FakePlatformResource.platform;
        String tag = "live" + UUID.randomUUID().toString().substring(0, 6);
        String path = "/mastodon/api/v1/streaming/hashtag";
        fake.program(path, new Reply(200, Map.of(), FakePlatform.fixture("mastodon-streaming-hashtag-sse.txt") + "\n",
                60_000));
        QueryView query = query("", List.of(tag), List.of("mastodon"));
        streaming.refreshStreams();
        List<ConsumerRecord<String, String>> records = TopicRecords.readUntil(bootstrap, "mentions",
                rs -> rs.stream().filter(r -> r.value().contains(query.name())).count() >= 3, Duration.ofSeconds(30));
        List<JsonNode> ours = records.stream().filter(r -> r.value().contains(query.name()))
                .map(r -> Contracts.tree(r.value())).toList();
        assertEquals(List.of("post", "delete", "edit"), ours.stream().map(n -> n.get("kind").asText()).toList());
        assertEquals(ours.get(0).get("id"), ours.get(1).get("id"), "the delete names the streamed status");
        assertEquals("mastodon-streaming", ours.get(0).get("source").get("connector").asText());
        int first = fake.requests().indexOf(fake.requests().stream().filter(r -> r.contains("tag=" + tag))
                .findFirst().orElseThrow());
        assertEquals("Bearer " + FakePlatformResource.SECRETS.get(3), fake.header(first, "Authorization"));

        // The stream then falls silent: after the stall timeout the connector reconnects.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> fake.requests().stream().filter(r -> r.contains("tag=" + tag)).count() >= 2);
        assertTrue(streaming.status().stream().anyMatch(s -> s.lastError != null && s.lastError.startsWith("stalled")));
    }

    @Test
    void mastodonFullTextSearchUsesTheTokenAndTheTermsFilterTheHits() {
        FakePlatform fake = FakePlatformResource.platform;
        String word = "hoot";
        fake.program("/mastodon/api/v2/search", new Reply(200, Map.of(),
                "{\"accounts\":[],\"hashtags\":[],\"statuses\":"
                        + FakePlatform.fixture("mastodon-tag-timeline-mastodonpy.json") + "}"));
        QueryView matching = query(word + " -spam", List.of(), List.of("mastodon"));
        assertEquals(1, listening.runOnce("mastodon-hashtag"));
        String search = fake.requests().stream().filter(r -> r.startsWith("/mastodon/api/v2/search")).findFirst()
                .orElseThrow();
        assertTrue(search.contains("q=hoot") && search.contains("type=statuses"), search);
        assertEquals("Bearer " + FakePlatformResource.SECRETS.get(3), fake.header(fake.requests().indexOf(search), "Authorization"));
        assertTrue(state.cursor("mastodon-hashtag", matching.id()).orElseThrow().contains("search:"));
        deleteQueries();
        query(word + " AND nothingsaysthis", List.of(), List.of("mastodon"));
        assertEquals(0, listening.runOnce("mastodon-hashtag"), "the terms filter what search returns");
    }

    @Test
    void xFilteredStreamKeepsOneRulePerQueryAndPublishesUnderTheMatchingRulesQuery() throws Exception {
        FakePlatform fake = FakePlatformResource.platform;
        QueryView query = query("hello OR world", List.of("news"), List.of("x"));
        fake.program("/x/2/tweets/search/stream/rules",
                new Reply(200, Map.of(), "{\"data\":[{\"id\":\"r1\",\"value\":\"old\",\"tag\":\"gone\"}]}"),
                new Reply(200, Map.of(), "{\"meta\":{}}"));
        int before = fake.requests().size();
        xStream.syncRules();
        List<String> bodies = fake.bodies().subList(before, fake.bodies().size());
        assertTrue(bodies.stream().anyMatch(b -> b.startsWith("POST") && b.contains("\"delete\"") && b.contains("r1")),
                bodies.toString());
        assertTrue(bodies.stream().anyMatch(b -> b.startsWith("POST") && b.contains("\"tag\":\"" + query.id() + "\"")
                && b.contains("(hello OR world) OR #news")), bodies.toString());

        com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode)
                Contracts.tree(FakePlatform.fixture("twitter-v2-filtered-stream-event-docs.json"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.path("matching_rules").get(0)).put("tag", query.id());
        fake.program("/x/2/tweets/search/stream", new Reply(200, Map.of(), event + "\r\n\r\n", 60_000));
        List<ConsumerRecord<String, String>> records = TopicRecords.readUntil(bootstrap, "mentions",
                rs -> rs.stream().anyMatch(r -> r.value().contains(query.name())), Duration.ofSeconds(60));
        JsonNode published = records.stream().map(r -> Contracts.tree(r.value()))
                .filter(n -> query.name().equals(n.path("source").path("query").asText())).findFirst().orElseThrow();
        assertEquals("x-filtered-stream", published.get("source").get("connector").asText());
        assertEquals("x:" + event.path("data").path("id").asText(), published.get("id").asText());
        // The stream was unreachable before it was programmed: that silence is a recorded gap.
        assertTrue(state.gaps("x-filtered-stream", 20).stream().anyMatch(g -> g.kind().equals("range")),
                state.gaps("x-filtered-stream", 20).toString());
    }

    private final List<String> created = new java.util.ArrayList<>();

    /** Each test's queries are deleted after it, so that the next test's cycles poll only its own. */
    @org.junit.jupiter.api.AfterEach
    void deleteQueries() {
        created.forEach(id -> queries.delete(id, OPERATOR));
        created.clear();
    }

    private QueryView query(String terms, List<String> hashtags, List<String> platforms) {
        return remember(queries.create(new QueryRequest("q-" + UUID.randomUUID(), terms, hashtags, List.of(),
                platforms, List.of(), true), OPERATOR));
    }

    private QueryView remember(QueryView query) {
        created.add(query.id());
        return query;
    }
}
