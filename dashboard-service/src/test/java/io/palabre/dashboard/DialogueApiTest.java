package io.palabre.dashboard;

import static io.palabre.dashboard.TestRecords.query;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.testing.Contracts;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Dialogue metrics answered by the dashboard alone: which accounts are the organisation's comes from the listening
 * queries (topic {@code queries}, as ingest-service publishes them), the posts from the read model, and every window
 * is computed here. Real broker and PostgreSQL.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class DialogueApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void theOrganisationsAccountsComeFromTheQueriesAndEveryWindowIsComputedHere() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        String acme = "x:" + p + "acme";
        String ann = "x:" + p + "ann";
        String bob = "x:" + p + "bob";
        // Two hours ago ann asks acme, which answers ten minutes later; an hour ago bob names acme, unanswered.
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        String root = "x:" + p + "1";
        TopicRecords.send(bootstrap, "threaded-mentions", List.of(
                threaded(root, root, ann, null, t, Map.of("mention", acme)),
                threaded("x:" + p + "2", root, acme, root, t.plusSeconds(600), Map.of("reply", ann)),
                threaded("x:" + p + "3", "x:" + p + "3", bob, null, t.plusSeconds(3600), Map.of("mention", acme))));
        given().get("/api/dialogue/{id}?window=24h", acme).then().statusCode(404)
                .contentType("application/problem+json");

        TopicRecords.send(bootstrap, "queries", List.<String[]> of(query("q-" + p, "Acme " + p, acme)));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> given()
                .get("/api/dialogue/{id}?window=24h", acme).then().statusCode(200).extract().jsonPath()
                .getInt("answered") == 1);

        given().get("/api/dialogue").then().statusCode(200).body("$", hasItem(acme));
        String day = given().get("/api/dialogue/{id}?window=24h", acme).then().statusCode(200)
                .body("window", equalTo("24h")).body("peopleMentions", equalTo(2)).body("answered", equalTo(1))
                .body("responseRate", equalTo(0.5f)).body("medianFirstResponseSeconds", equalTo(600))
                .body("unanswered[0].mentionId", equalTo("x:" + p + "3")).extract().asString();
        assertTrue(Contracts.validate("dialogue-metrics.schema.json", day).isEmpty(), day);
        given().get("/api/dialogue/{id}", acme).then().statusCode(200).body("window", equalTo("30d"))
                .body("peopleMentions", equalTo(2));
        given().get("/api/dialogue/{id}/unanswered?window=7d", acme).then().statusCode(200)
                .body("window", equalTo("7d")).body("unansweredCount", equalTo(1))
                .body("items[0].authorId", equalTo(bob));
        // A window of its own, and the time series, from the same read model with the same formulas.
        given().get("/api/dialogue/{id}?from={from}&to={to}", acme, t.minusSeconds(1).toString(),
                t.plusSeconds(1800).toString()).then().statusCode(200).body("window", equalTo("custom"))
                .body("peopleMentions", equalTo(1)).body("answered", equalTo(1));
        given().get("/api/dialogue/{id}/timeline?interval=hour&from={from}", acme,
                t.minus(Duration.ofHours(1)).toString()).then().statusCode(200).body("interval", equalTo("hour"))
                .body("points.peopleMentions.sum()", equalTo(2));

        // Refused with the reason.
        given().get("/api/dialogue/{id}?window=1y", acme).then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/dialogue/{id}?window=7d&from=2031-05-01T00:00:00Z", acme).then().statusCode(400);
        given().get("/api/dialogue/{id}?to=2031-05-01T00:00:00Z", acme).then().statusCode(400);
        given().get("/api/dialogue/{id}?from=2031-05-02T00:00:00Z&to=2031-05-01T00:00:00Z", acme).then()
                .statusCode(400).contentType("application/problem+json");
        given().get("/api/dialogue/{id}/timeline?interval=week", acme).then().statusCode(400);
        given().get("/api/dialogue/{id}/timeline?interval=hour&from=2031-01-01T00:00:00Z&to=2031-06-01T00:00:00Z",
                acme).then().statusCode(400);
        given().get("/api/dialogue/{id}", ann).then().statusCode(404).contentType("application/problem+json");
        given().get("/api/dialogue/{id}/timeline", ann).then().statusCode(404);
        given().get("/api/dialogue/{id}/unanswered", ann).then().statusCode(404);

        // The query stops naming acme: its dialogue is no longer asked about.
        TopicRecords.send(bootstrap, "queries", List.<String[]> of(query("q-" + p, "Acme " + p)));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/dialogue/{id}?window=all", acme)
                .statusCode() == 404);
        given().get("/api/dialogue").then().statusCode(200).body("$", not(hasItem(acme)));
    }

    @Test
    void aListeningQueryThatCannotBeUsedIsSetAsideWithItsReason() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        String acme = "x:" + p + "acme";
        ObjectNode nullInside = (ObjectNode) MAPPER.readTree(query("q-" + p + "-cleaned", "Acme", acme)[1]);
        ((ArrayNode) nullInside.get("organisationAccounts")).addNull();
        nullInside.put("name", "Acme\u0000 " + p);
        TopicRecords.send(bootstrap, "queries", List.<String[]> of(
                new String[] { "q-" + p + "-json", "not json q-" + p + "-json" },
                query("q-" + p + "-nul", "Acme", "x:" + p + "\u0000nul"),
                new String[] { "q-" + p + "-array", "{\"id\":\"q-" + p + "-array\",\"organisationAccounts\":\"" + acme
                        + "\"}" },
                new String[] { "q-" + p + "-cleaned", nullInside.toString() }));

        // The null in the array is dropped and the NUL in the name cleaned: acme is named.
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/dialogue").then().extract().jsonPath()
                .getList("$").contains(acme));
        List<String> refused = List.of("q-" + p + "-json", "q-" + p + "-nul", "q-" + p + "-array");
        List<ConsumerRecord<String, String>> dlq = TopicRecords.readUntil(bootstrap, "dashboard-dlq",
                read -> reasons(read, refused).size() == 3, Duration.ofSeconds(30));
        Map<String, String> reasons = reasons(dlq, refused);
        assertTrue(reasons.get("q-" + p + "-json").startsWith("not a listening query"), reasons.toString());
        assertTrue(reasons.get("q-" + p + "-nul").contains("unusable account id"), reasons.toString());
        assertTrue(reasons.get("q-" + p + "-array").contains("not an array"), reasons.toString());
        assertEquals(List.of(), given().get("/api/dialogue").then().extract().jsonPath().getList("$").stream()
                .filter(id -> id.toString().contains("nul")).toList());
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** A threaded mention by {@code author}, making these relationships (type to account). */
    private static String[] threaded(String id, String conversationId, String author, String replyTo, Instant at,
            Map<String, String> relationships) {
        ObjectNode node = (ObjectNode) read(ReadModelTest.mention(id, conversationId, replyTo, at)[1]);
        ObjectNode mention = (ObjectNode) node.get("mention");
        mention.putObject("author").put("id", author).put("handle", author.substring(2)).putNull("displayName")
                .put("bot", false);
        ArrayNode targets = node.putArray("relationships");
        relationships.forEach((type, account) -> targets.addObject().put("type", type).put("accountId", account));
        return new String[] { conversationId, node.toString() };
    }

    /** The reasons of the dead letters from {@code queries} whose payload names one of these query ids, by id. */
    private static Map<String, String> reasons(List<ConsumerRecord<String, String>> records, List<String> ids) {
        return records.stream().map(r -> read(r.value())).filter(r -> r.path("origin").asText().startsWith("queries/"))
                .filter(r -> ids.stream().anyMatch(id -> r.path("payload").asText().contains(id)))
                .collect(Collectors.toMap(r -> ids.stream().filter(id -> r.path("payload").asText().contains(id))
                        .findFirst().orElseThrow(), r -> r.get("reason").asText(), (a, b) -> a));
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
