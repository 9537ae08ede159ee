package io.palabre.dashboard;

import static io.palabre.dashboard.TestRecords.query;
import static io.palabre.dashboard.TestRecords.threaded;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The weekly dialogue report of an organisation account, from a week of known dialogue against the week before, as
 * JSON and as HTML and CSV downloads in English and French. Real broker and PostgreSQL.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class WeeklyReportTest {

    /** Monday of ISO week 2026-W40. */
    private static final Instant W40 = Instant.parse("2026-09-28T00:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aWeekOfDialogueAgainstTheOneBefore() {
        String p = UUID.randomUUID().toString().substring(0, 8);
        String queryName = "Acme " + p;
        String acme = "x:" + p + "acme";
        String ann = "x:" + p + "ann";
        String bob = "x:" + p + "bob";
        String cat = "x:" + p + "cat";
        String dan = "x:" + p + "dan";
        Instant w39 = W40.minus(Duration.ofDays(7));
        String c1 = "x:" + p + "c1";
        String c2 = "x:" + p + "c2";
        String c3 = "x:" + p + "c3";
        Instant catAt = W40.plus(Duration.ofHours(34));
        List<String[]> records = List.of(
                // The week before: ann asks, acme answers ten minutes later.
                captured(threaded(c1, c1, ann, null, w39.plus(Duration.ofHours(10)), Map.of("mention", acme),
                        List.of("old"), false), queryName),
                captured(threaded(c1 + "a", c1, acme, c1, w39.plus(Duration.ofHours(10)).plusSeconds(600),
                        Map.of("reply", ann), List.of(), false), queryName),
                // This week: bob is never answered; cat and acme talk for four turns; dan answers cat.
                captured(threaded(c2, c2, bob, null, W40.plus(Duration.ofHours(9)), Map.of("mention", acme),
                        List.of("strike", "rail"), false), queryName, "<script>alert(1)</script> =cmd"),
                captured(threaded(c3, c3, cat, null, catAt, Map.of("mention", acme), List.of("strike"), false),
                        queryName),
                captured(threaded(c3 + "a", c3, acme, c3, catAt.plus(Duration.ofHours(2)), Map.of("reply", cat),
                        List.of(), false), queryName),
                captured(threaded(c3 + "b", c3, cat, c3 + "a", catAt.plus(Duration.ofHours(3)),
                        Map.of("reply", acme), List.of(), false), queryName),
                captured(threaded(c3 + "c", c3, acme, c3 + "b", catAt.plus(Duration.ofHours(4)), Map.of("reply", cat),
                        List.of(), false), queryName),
                captured(threaded(c3 + "d", c3, dan, c3, catAt.plus(Duration.ofHours(5)), Map.of("reply", cat),
                        List.of(), false), queryName));
        TopicRecords.send(bootstrap, "threaded-mentions", records);
        TopicRecords.send(bootstrap, "queries", List.<String[]> of(query("q-" + p, queryName, acme)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .get("/api/reports/weekly/{id}?week=2026-W40", acme).then().statusCode(200)
                .body("thisWeek.peopleMentions", equalTo(3)));

        given().get("/api/reports/weekly/{id}?week=2026-W40", acme).then().statusCode(200)
                .body("week", equalTo("2026-W40")).body("from", equalTo("2026-09-28T00:00:00Z"))
                .body("queries", equalTo(List.of(queryName)))
                .body("thisWeek.mentions", equalTo(5)).body("previousWeek.mentions", equalTo(2))
                // cat's reply to acme is a person's mention too, answered an hour later
                .body("thisWeek.answered", equalTo(2)).body("thisWeek.unansweredCount", equalTo(1))
                .body("thisWeek.medianFirstResponseSeconds", equalTo(5400))
                .body("previousWeek.responseRate", equalTo(1.0f))
                .body("previousWeek.medianFirstResponseSeconds", equalTo(600))
                .body("thisWeek.dialogues", equalTo(1))
                .body("longestWaits[0].mentionId", equalTo(c2)).body("longestWaits[0].answeredAt", equalTo(null))
                .body("longestWaits[0].waitSeconds", equalTo((int) Duration.ofDays(7).minusHours(9).toSeconds()))
                .body("longestWaits.waitSeconds", equalTo(List.of((int) Duration.ofDays(7).minusHours(9).toSeconds(),
                        7200, 3600)))
                .body("dialogues[0].personId", equalTo(cat)).body("dialogues[0].turns", equalTo(4))
                .body("drawingConversation[0].accountId", equalTo(cat))
                .body("drawingConversation[0].replies", equalTo(3))
                .body("topHashtags[0].hashtag", equalTo("strike")).body("topHashtags[0].mentions", equalTo(2))
                .body("topHashtags.hashtag", not(org.hamcrest.Matchers.hasItem("old")));

        String html = given().get("/api/reports/weekly/{id}?week=2026-W40&format=html&lang=fr", acme).then()
                .statusCode(200).contentType(containsString("text/html"))
                .header("Content-Disposition", containsString("attachment; filename=\"palabre-dialogue-"))
                .extract().asString();
        assertTrue(html.contains("<html lang=\"fr\">") && html.contains("Rapport hebdomadaire de dialogue"), html);
        assertTrue(html.contains("66,7\u00a0%") || html.contains("66,7\u202f%"), "a French percentage: " + html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>"),
                "posts are text, never markup");
        String english = given().get("/api/reports/weekly/{id}?week=2026-W40&format=html", acme).then()
                .statusCode(200).extract().asString();
        assertTrue(english.contains("Weekly dialogue report") && english.contains("Longest waits"), english);
        String csv = given().get("/api/reports/weekly/{id}?week=2026-W40&format=csv", acme).then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        assertTrue(csv.startsWith("section,rank,name,this_week,previous_week,detail\r\n"), csv);
        assertTrue(csv.contains("figures,,response_rate,0.6666666666666666,1.0,\r\n"), csv);
        assertTrue(csv.contains("dialogues,1," + cat + ",4,,"), csv);

        given().get("/api/reports/weekly/{id}?week=2026-W60", acme).then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/api/reports/weekly/{id}?week=2099-W01", acme).then().statusCode(400);
        given().get("/api/reports/weekly/{id}?week=last", acme).then().statusCode(400);
        given().get("/api/reports/weekly/{id}?format=pdf", acme).then().statusCode(400);
        given().get("/api/reports/weekly/{id}?format=html&lang=de", acme).then().statusCode(400);
        given().get("/api/reports/weekly/{id}", ann).then().statusCode(404).contentType("application/problem+json");
        given().get("/api/reports/weekly/{id}", acme).then().statusCode(200);
    }

    /** The record as captured by the listening query of that name, with this text when given. */
    private static String[] captured(String[] record, String queryName, String... text) {
        String value = record[1].replace("\"query\":null", "\"query\":\"" + queryName + "\"");
        if (text.length > 0) {
            value = value.replaceFirst("\"text\":\"text of [^\"]*\"", "\"text\":\"" + text[0].replace("\"", "\\\\\"")
                    + "\"");
        }
        return new String[] { record[0], value };
    }
}
