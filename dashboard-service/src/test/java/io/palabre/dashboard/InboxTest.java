package io.palabre.dashboard;

import static io.palabre.dashboard.TestRecords.query;
import static io.palabre.dashboard.TestRecords.threaded;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TestTokens;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The inbox of people waiting for an organisation account's answer: oldest first, filtered, assigned and marked
 * handled by the team, which never counts as an answer. Real broker and PostgreSQL.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class InboxTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void theTeamAssignsAndHandlesWhatWaitsAndTheResponseRateStillCountsOnlyReplies() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        String acme = "x:" + p + "acme";
        String ann = "x:" + p + "ann";
        String bob = "x:" + p + "bob";
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String asked = "x:" + p + "1";
        String named = "x:" + p + "2";
        String[] bobsMention = threaded(named, named, bob, null, now.minus(Duration.ofMinutes(10)),
                Map.of("mention", acme), List.of(), false);
        bobsMention[1] = bobsMention[1].replace("\"lang\":\"en\"", "\"lang\":\"fr\"");
        TopicRecords.send(bootstrap, "threaded-mentions", List.of(
                threaded(asked, asked, ann, null, now.minus(Duration.ofHours(2)), Map.of("mention", acme), List.of(),
                        false),
                bobsMention,
                threaded("x:" + p + "3", "x:" + p + "3", ann, null, now, Map.of(), List.of(), false)));
        TopicRecords.send(bootstrap, "queries", List.<String[]> of(query("q-" + p, "Acme " + p, acme)));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> given().get("/api/inbox/{id}", acme)
                .then().statusCode(200).extract().jsonPath().getInt("waiting") == 2);

        given().get("/api/inbox/{id}", acme).then().statusCode(200).body("items.mentionId", contains(asked, named))
                .body("items[0].platform", equalTo("x")).body("items[0].authorHandle", equalTo(p + "ann"))
                .body("items[0].waitingSeconds", org.hamcrest.Matchers.greaterThanOrEqualTo(7200));
        given().get("/api/inbox/{id}?lang=fr", acme).then().body("items.mentionId", contains(named));
        given().get("/api/inbox/{id}?minAgeMinutes=60", acme).then().body("items.mentionId", contains(asked));
        given().get("/api/inbox/{id}?maxAgeMinutes=60", acme).then().body("items.mentionId", contains(named));
        given().get("/api/inbox/{id}?platform=bluesky", acme).then().body("items.size()", equalTo(0));

        // Assigned, then handled: who and when are recorded.
        given().contentType("application/json").body(Map.of("assignedTo", "rosa"))
                .put("/api/inbox/{id}/items/{mention}", acme, asked).then().statusCode(200)
                .body("assignedTo", equalTo("rosa")).body("assignedBy", equalTo("test-admin"))
                .body("assignedAt", notNullValue()).body("handledAt", nullValue());
        given().get("/api/inbox/{id}?assignedTo=rosa", acme).then().body("items.mentionId", contains(asked));
        given().auth().oauth2(TestTokens.OPERATOR).contentType("application/json").body(Map.of("handled", true))
                .put("/api/inbox/{id}/items/{mention}", acme, asked).then().statusCode(200)
                .body("handledBy", equalTo("test-operator")).body("assignedTo", equalTo("rosa"));
        given().get("/api/inbox/{id}", acme).then().body("items.mentionId", contains(named)).body("handled", equalTo(1))
                .body("waiting", equalTo(2));
        given().get("/api/inbox/{id}?state=handled", acme).then().body("items.mentionId", contains(asked))
                .body("items[0].handledBy", equalTo("test-operator"));
        given().get("/api/dialogue/{id}?window=24h", acme).then().statusCode(200).body("answered", equalTo(0))
                .body("unansweredCount", equalTo(2));

        // Unmarked, then answered in public: the mention leaves the inbox by itself.
        given().contentType("application/json").body(Map.of("handled", false))
                .put("/api/inbox/{id}/items/{mention}", acme, asked).then().statusCode(200)
                .body("handledAt", nullValue());
        TopicRecords.send(bootstrap, "threaded-mentions", List.<String[]> of(threaded("x:" + p + "answer", asked, acme, asked,
                now, Map.of("reply", ann), List.of(), false)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/inbox/{id}?state=all", acme)
                .then().body("items.mentionId", contains(named)));

        // Refused with the reason.
        given().auth().oauth2(TestTokens.ANALYST).contentType("application/json").body(Map.of("handled", true))
                .put("/api/inbox/{id}/items/{mention}", acme, named).then().statusCode(403);
        given().get("/api/inbox/{id}", ann).then().statusCode(404).contentType("application/problem+json");
        given().contentType("application/json").body(Map.of("handled", true))
                .put("/api/inbox/{id}/items/{mention}", acme, "x:" + p + "3").then().statusCode(404)
                .contentType("application/problem+json");
        given().contentType("application/json").body(Map.of("handled", "yes"))
                .put("/api/inbox/{id}/items/{mention}", acme, named).then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType("application/json").body(Map.of())
                .put("/api/inbox/{id}/items/{mention}", acme, named).then().statusCode(400);
        given().get("/api/inbox/{id}?window=1y", acme).then().statusCode(400);
        given().get("/api/inbox/{id}?state=maybe", acme).then().statusCode(400);
        given().get("/api/inbox/{id}?minAgeMinutes=-5", acme).then().statusCode(400);
    }
}
