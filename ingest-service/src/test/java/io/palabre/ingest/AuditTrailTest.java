package io.palabre.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.testing.Contracts;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TestTokens;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Every write to ingest-service leaves an audit event naming its caller on topic {@code audit} of the real broker,
 * through the outbox in the real PostgreSQL, valid against the contract.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class AuditTrailTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void queryChangesAndImportsAreAuditedWithTheirCaller() throws Exception {
        String name = "audited-" + UUID.randomUUID().toString().substring(0, 6);
        String id = given().auth().oauth2(TestTokens.OPERATOR).contentType(ContentType.JSON).body("""
                {"name":"%s","terms":"acme","platforms":["mastodon"]}""".formatted(name)).post("/api/queries")
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(TestTokens.OPERATOR).contentType(ContentType.JSON).body("""
                {"name":"%s","terms":"acme","platforms":["mastodon"],"enabled":false}""".formatted(name))
                .put("/api/queries/" + id).then().statusCode(200);
        given().auth().oauth2(TestTokens.OPERATOR).delete("/api/queries/" + id).then().statusCode(204);
        String importId = given().auth().oauth2(TestTokens.OPERATOR).contentType("application/x-ndjson")
                .body("{}\n".getBytes()).post("/api/imports?format=palabre&query=" + id).then().statusCode(202)
                .extract().path("importId");
        given().auth().oauth2(TestTokens.OPERATOR).get("/api/imports/" + importId).then().statusCode(200)
                .body("createdBy", org.hamcrest.Matchers.equalTo("test-operator"));

        List<ConsumerRecord<String, String>> records = TopicRecords.readUntil(bootstrap, "audit",
                rs -> ours(rs, id, importId).size() >= 4, Duration.ofSeconds(30));
        List<JsonNode> events = ours(records, id, importId);
        assertEquals(List.of("query.create", "query.update", "query.delete", "import.create"),
                events.stream().map(e -> e.path("action").asText()).toList());
        for (JsonNode e : events) {
            assertEquals("test-operator", e.path("actor").asText(), e.toString());
            assertEquals("token 00000000000000a2", e.path("via").asText(), e.toString());
            assertEquals("ingest-service", e.path("service").asText(), e.toString());
            assertTrue(Contracts.validate("audit-event.schema.json", e.toString()).isEmpty(), e.toString());
        }
        assertEquals(name, events.get(0).path("detail").path("name").asText());
        assertEquals("palabre", events.get(3).path("detail").path("format").asText());
        assertEquals(id, events.get(3).path("detail").path("query").asText());
    }

    private static List<JsonNode> ours(List<ConsumerRecord<String, String>> records, String queryId,
            String importId) {
        return records.stream().map(r -> {
            try {
                return MAPPER.readTree(r.value());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(e -> queryId.equals(e.path("target").asText()) || importId.equals(e.path("target").asText()))
                // The topic has several partitions: the events' own times order them.
                .sorted(java.util.Comparator.comparing(e -> java.time.Instant.parse(e.path("at").asText())))
                .toList();
    }
}
