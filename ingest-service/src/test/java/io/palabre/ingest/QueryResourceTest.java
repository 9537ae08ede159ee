package io.palabre.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.palabre.testing.Contracts;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Listening queries over HTTP, stored in the real PostgreSQL and published on the real broker's compacted topic.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class QueryResourceTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @jakarta.inject.Inject
    io.palabre.ingest.messaging.Outbox outbox;

    @Test
    void queryLifecycleIsPublishedOnTheCompactedTopic() {
        String name = "acme-" + UUID.randomUUID().toString().substring(0, 6);
        String id = given().contentType(ContentType.JSON).body("""
                {"name":"%s","terms":"\\"acme rail\\" OR acmerail -job*","hashtags":["#AcmeRail"],
                 "platforms":["bluesky","mastodon"],"organisationAccounts":["bluesky:did:plc:acme"]}"""
                .formatted(name)).post("/api/queries")
                .then().statusCode(201).header("Location", containsString("/api/queries/"))
                .body("hashtags", hasItem("acmerail")).body("enabled", equalTo(true))
                .extract().path("id");
        given().get("/api/queries/" + id).then().statusCode(200).body("name", equalTo(name));
        given().contentType(ContentType.JSON).body("""
                {"name":"%s","terms":"acme","platforms":["x"],"organisationAccounts":[],"enabled":false}"""
                .formatted(name)).put("/api/queries/" + id).then().statusCode(200).body("enabled", equalTo(false));
        given().delete("/api/queries/" + id).then().statusCode(204);
        given().get("/api/queries/" + id).then().statusCode(404).contentType("application/problem+json");

        List<ConsumerRecord<String, String>> records = TopicRecords.readUntil(bootstrap, "queries",
                rs -> rs.stream().filter(r -> r.key().equals(id)).count() >= 3, Duration.ofSeconds(30));
        List<ConsumerRecord<String, String>> ours = records.stream().filter(r -> r.key().equals(id)).toList();
        assertEquals(3, ours.size());
        assertTrue(Contracts.validate("query.schema.json", ours.get(0).value()).isEmpty(), ours.get(0).value());
        assertTrue(ours.get(1).value().contains("\"enabled\":false"));
        assertNull(ours.get(2).value(), "a deletion is a tombstone");
    }

    @Test
    void invalidQueryListsEveryProblem() {
        given().contentType(ContentType.JSON).body("""
                {"name":"","terms":"(acme OR","platforms":["myspace"],"accounts":["alice"]}""")
                .post("/api/queries").then().statusCode(400).contentType("application/problem+json")
                .body("errors", hasItem(containsString("name")))
                .body("errors", hasItem(containsString("terms")))
                .body("errors", hasItem(containsString("unknown platform 'myspace'")))
                .body("errors", hasItem(containsString("'alice' is not a global account id")));
        given().contentType(ContentType.JSON).body("{not json").post("/api/queries").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void controlCharactersInAQueryAreABadRequest() {
        given().contentType(ContentType.JSON).body("""
                {"name":"nul\\u0000name","terms":"ac\\u0007me","platforms":["x"]}""")
                .post("/api/queries").then().statusCode(400).contentType("application/problem+json")
                .body("errors", hasItem(containsString("name: may not hold control characters")))
                .body("errors", hasItem(containsString("terms: may not hold control characters")));
    }

    @Test
    void aChangeWaitsInTheOutboxOnlyUntilTheBrokerHasIt() throws Exception {
        String body = """
                {"name":"outbox-%s","terms":"acme","platforms":["x"]}""".formatted(UUID.randomUUID());
        String id = given().contentType(ContentType.JSON).body(body).post("/api/queries").then().statusCode(201)
                .extract().path("id");
        // Refused changes leave nothing to publish.
        given().contentType(ContentType.JSON).body(body).post("/api/queries").then().statusCode(409);
        List<ConsumerRecord<String, String>> records = TopicRecords.readUntil(bootstrap, "queries",
                rs -> rs.stream().anyMatch(r -> r.key().equals(id)), Duration.ofSeconds(30));
        assertEquals(1, records.stream().filter(r -> r.key().equals(id)).count());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> outbox.pending() == 0);
    }

    @Test
    void aQueryPostedAsAFormOrFromAnotherSiteIsRefused() {
        String body = """
                {"name":"form-%s","terms":"acme","platforms":["x"]}""".formatted(UUID.randomUUID());
        given().contentType("text/plain").body(body).post("/api/queries").then().statusCode(415)
                .contentType("application/problem+json");
        given().contentType("application/x-www-form-urlencoded").body("name=evil").post("/api/queries").then()
                .statusCode(415);
        given().header("Origin", "https://evil.example").contentType(ContentType.JSON).body(body).post("/api/queries")
                .then().statusCode(403);
    }

    @Test
    void duplicateNameIsAConflict() {
        String body = """
                {"name":"dup-%s","terms":"acme","platforms":["x"]}""".formatted(UUID.randomUUID());
        given().contentType(ContentType.JSON).body(body).post("/api/queries").then().statusCode(201);
        given().contentType(ContentType.JSON).body(body).post("/api/queries").then().statusCode(409)
                .contentType("application/problem+json");
    }
}
