package io.palabre.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.testing.Contracts;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Imports over HTTP into the real Kafka broker and PostgreSQL of the local runtime; nothing is stubbed.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class ImportResourceTest {

    private static final String NDJSON = "application/x-ndjson";

    static {
        // Bodies of these types are sent as the text they are.
        io.restassured.RestAssured.config = io.restassured.RestAssured.config().encoderConfig(
                io.restassured.config.EncoderConfig.encoderConfig()
                        .encodeContentTypeAs(NDJSON, io.restassured.http.ContentType.TEXT)
                        .encodeContentTypeAs("multipart/form-data", io.restassured.http.ContentType.TEXT));
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aBodyThatIsNotNdjsonOrJsonIsRefusedAsAWebPageFormWouldPostIt() {
        String line = example("mention-mastodon-post.json");
        for (String type : new String[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data" }) {
            given().contentType(type).body(line).post("/api/imports?format=palabre").then().statusCode(415)
                    .contentType("application/problem+json");
        }
        // A form posted from another site: refused whatever its type, since no other origin is allowed.
        given().header("Origin", "https://evil.example").contentType(NDJSON).body(line)
                .post("/api/imports?format=palabre").then().statusCode(403);
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/api/imports").then().header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void malformedLineIsRejectedWithItsReasonWhileTheGoodLinesAroundItLand() {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String good1 = withId(example("mention-mastodon-post.json"), "mastodon:https://mastodon.social/users/a/statuses/" + marker + "1");
        String good2 = withId(example("mention-mastodon-post.json"), "mastodon:https://mastodon.social/users/a/statuses/" + marker + "2");
        String badDate = Contracts.read(Contracts.examples("mention-bad-date", false).get(0)).trim();
        String body = good1 + "\n{not json at all\n" + badDate + "\n\n" + good2 + "\n";

        Response response = given().contentType(NDJSON).body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/imports?format=palabre");
        response.then().statusCode(202)
                .body("lines", equalTo(4))
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(2))
                .body("failed", equalTo(0))
                .body("problems", hasSize(2))
                .body("problems[0].line", equalTo(2))
                .body("problems[0].reason", containsString("not JSON"))
                .body("problems[1].line", equalTo(3))
                .body("problems[1].reason", containsString("createdAt"));
        String importId = response.path("importId");

        List<ConsumerRecord<String, String>> mentions = TopicRecords.readUntil(bootstrap, "mentions",
                records -> records.stream().filter(r -> r.value().contains(marker)).count() >= 2,
                Duration.ofSeconds(30));
        List<ConsumerRecord<String, String>> ours = mentions.stream().filter(r -> r.value().contains(marker)).toList();
        assertEquals(2, ours.size());
        for (ConsumerRecord<String, String> record : ours) {
            JsonNode node = Contracts.tree(record.value());
            assertEquals(node.get("id").asText(), record.key(), "no conversation id stated, so the key is the id");
            assertTrue(Contracts.validate("mention.schema.json", record.value()).isEmpty(), record.value());
        }

        List<ConsumerRecord<String, String>> dead = TopicRecords.readUntil(bootstrap, "mentions-dlq",
                records -> records.stream().filter(r -> r.value().contains(importId)).count() >= 2,
                Duration.ofSeconds(30));
        List<JsonNode> rejections = dead.stream().filter(r -> r.value().contains(importId))
                .map(r -> Contracts.tree(r.value())).toList();
        assertEquals(2, rejections.size());
        assertTrue(rejections.stream().anyMatch(r -> r.get("payload").asText().equals("{not json at all")));
        assertTrue(rejections.stream().anyMatch(r -> r.get("payload").asText().equals(badDate)));
        for (JsonNode rejection : rejections) {
            assertTrue(Contracts.validate("mention-rejected.schema.json", rejection.toString()).isEmpty());
        }

        given().get("/api/imports/" + importId).then().statusCode(200)
                .body("accepted", equalTo(2)).body("rejected", equalTo(2));
    }

    @Test
    void keyIsTheStatedConversationSoAThreadStaysOnOnePartition() {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String reply = example("mention-bluesky-reply.json").replace("3k43tv4rft22g\",\"platform", marker + "\",\"platform");
        given().contentType(NDJSON).body(reply + "\n").post("/api/imports?format=palabre").then().statusCode(202).body("accepted", equalTo(1));
        List<ConsumerRecord<String, String>> records = TopicRecords.readUntil(bootstrap, "mentions",
                rs -> rs.stream().anyMatch(r -> r.value().contains(marker)), Duration.ofSeconds(30));
        ConsumerRecord<String, String> ours = records.stream().filter(r -> r.value().contains(marker)).findFirst()
                .orElseThrow();
        assertEquals("bluesky:at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3k43tv4rft22g", ours.key());
    }

    @Test
    void platformPayloadsImportAsOneDocumentOrOnePerLineAndNonMentionsAreCounted() throws Exception {
        String chain = new String(getClass().getResourceAsStream("/fixtures/platforms/reddit-comments-context-chain.json")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        given().contentType(NDJSON).body(chain.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/imports?format=reddit&query=praw").then().statusCode(202)
                .body("accepted", equalTo(10))
                .body("rejected", equalTo(0));
        List<ConsumerRecord<String, String>> records = TopicRecords.readUntil(bootstrap, "mentions",
                rs -> rs.stream().anyMatch(r -> r.value().contains("reddit:t1_dkk4qjd")), Duration.ofSeconds(30));
        JsonNode comment = records.stream().filter(r -> r.value().contains("\"id\":\"reddit:t1_dkk4qjd\""))
                .map(r -> Contracts.tree(r.value())).findFirst().orElseThrow();
        assertEquals("reddit:t3_6otocc", comment.get("conversationId").asText());
        assertEquals("praw", comment.get("source").get("query").asText());
        assertEquals("import:reddit", comment.get("source").get("connector").asText());

        byte[] jetstream = getClass().getResourceAsStream("/fixtures/platforms/bluesky-jetstream-v1-golden-events.ndjson")
                .readAllBytes();
        given().contentType(NDJSON).body(jetstream).post("/api/imports?format=bluesky-jetstream").then().statusCode(202)
                .body("lines", equalTo(10))
                .body("accepted", equalTo(2))
                .body("rejected", equalTo(0))
                .body("skipped.'jetstream app.bsky.feed.like record is not a post'", equalTo(1))
                .body("skipped.'jetstream identity event is not a post'", equalTo(1));
    }

    @Test
    void poisonedPlatformPayloadCostsItsOwnLineNeverTheImport() {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String good = "{\"id\":\"1\",\"uri\":\"https://mastodon.social/users/ann/statuses/" + marker + "\","
                + "\"created_at\":\"2026-11-20T10:00:00.000Z\",\"content\":\"<p>hello</p>\","
                + "\"account\":{\"id\":\"9\",\"acct\":\"ann\",\"url\":\"https://mastodon.social/@ann\"}}";
        // Recorded as platforms send it, poisoned: an account with neither username, acct nor url.
        String poisoned = good.replace(marker, marker + "p").replace(
                "\"account\":{\"id\":\"9\",\"acct\":\"ann\",\"url\":\"https://mastodon.social/@ann\"}",
                "\"account\":{\"id\":\"9\"}");
        given().contentType(NDJSON).body(good + "\n" + poisoned + "\n" + "[{\"account\":null}]\n").post("/api/imports?format=mastodon")
                .then().statusCode(202)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(2))
                .body("problems[0].line", equalTo(2))
                .body("problems[0].reason", containsString("account without username or domain"))
                .body("problems[1].reason", containsString("mastodon status"));
    }

    @Test
    void hostileTextIsCleanedAtTheEdgeAndAnIdWithControlsIsRefused() {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String id = "mastodon:https://mastodon.social/users/a/statuses/" + marker;
        ObjectNode hostile = (ObjectNode) Contracts.tree(example("mention-mastodon-post.json"));
        hostile.put("id", id);
        hostile.put("url", "javascript:alert(1)\u0000");
        hostile.put("text", "nul\u0000 bell\u0007 LONE " + hostile.get("text").asText());
        hostile.putArray("links").add("javascript:alert(2)").add("https://example.org/ok");
        ObjectNode badId = (ObjectNode) Contracts.tree(example("mention-mastodon-post.json"));
        badId.put("id", id + "\u0000x");
        // A lone surrogate reaches the service only as a JSON escape.
        String hostileLine = hostile.toString().replace("LONE", "\\ud800");
        given().contentType(NDJSON).body(hostileLine + "\n" + badId + "\n").post("/api/imports?format=palabre").then().statusCode(202)
                .body("accepted", equalTo(1))
                .body("rejected", equalTo(1))
                .body("problems[0].line", equalTo(2))
                .body("problems[0].reason", containsString("control characters"));
        JsonNode published = TopicRecords.readUntil(bootstrap, "mentions",
                rs -> rs.stream().anyMatch(r -> r.value().contains(marker)), Duration.ofSeconds(30)).stream()
                .filter(r -> r.value().contains(marker)).map(r -> Contracts.tree(r.value())).findFirst().orElseThrow();
        assertTrue(published.get("url").isNull(), published.toString());
        assertTrue(published.get("text").asText().startsWith("nul bell \ufffd "), published.toString());
        List<String> links = new java.util.ArrayList<>();
        published.get("links").forEach(l -> links.add(l.asText()));
        assertEquals(List.of("https://example.org/ok"), links, published.toString());
    }

    @Test
    void anImportKeepsAtMostTheListedProblemsInMemory() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1200; i++) {
            body.append("{not json ").append(i).append('\n');
        }
        given().contentType(NDJSON).body(body.toString()).post("/api/imports?format=palabre").then().statusCode(202)
                .body("rejected", equalTo(1200))
                .body("problems", hasSize(1000))
                .body("problemsTruncated", equalTo(true));
    }

    @Test
    void controlCharactersInParametersAreABadRequest() {
        given().urlEncodingEnabled(false).get("/api/imports/abc%00def").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("control character"));
        given().urlEncodingEnabled(false).get("/api/queries?name=%00").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void oversizedLineIsRejectedWithoutHoldingItWhole() {
        String huge = "{\"text\":\"" + "x".repeat(1_200_000) + "\"}";
        given().contentType(NDJSON).body(huge + "\n").post("/api/imports?format=palabre").then().statusCode(202)
                .body("rejected", equalTo(1))
                .body("problems[0].reason", containsString("more than the limit"));
    }

    @Test
    void missingOrUnknownFormatIsAProblem() {
        given().contentType(NDJSON).body("{}").post("/api/imports").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", containsString("format"));
        given().contentType(NDJSON).body("{}").post("/api/imports?format=csv").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("Unknown format 'csv'"));
    }

    @Test
    void unknownImportIsNotFound() {
        given().get("/api/imports/does-not-exist").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("does-not-exist"));
    }

    @Test
    void operationsEndpointsAnswer() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/imports"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    private static String example(String name) {
        return Contracts.read(Path.of(Contracts.dir().toString(), "examples", name)).trim();
    }

    private static String withId(String json, String id) {
        return json.replaceFirst("\"id\":\"[^\"]+\"", "\"id\":\"" + id + "\"");
    }
}
