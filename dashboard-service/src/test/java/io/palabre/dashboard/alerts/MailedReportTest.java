package io.palabre.dashboard.alerts;

import static io.palabre.dashboard.TestRecords.query;
import static io.palabre.dashboard.TestRecords.threaded;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TestTokens;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A weekly report sent by e-mail to a real SMTP server: in the subscription's language, the report as the message,
 * its CSV attached, once per week however often the schedule runs. Real broker and PostgreSQL.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
@WithTestResource(GreenMailResource.class)
class MailedReportTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aSubscriptionReceivesTheWeeksReportInItsLanguageWithTheCsvAttached() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        String acme = "x:" + p + "acme";
        String asked = "x:" + p + "1";
        Instant w40 = Instant.parse("2026-09-28T09:00:00Z");
        TopicRecords.send(bootstrap, "threaded-mentions", List.of(
                threaded(asked, asked, "x:" + p + "ann", null, w40, Map.of("mention", acme), List.of(), false),
                threaded(asked + "a", asked, acme, asked, w40.plusSeconds(900), Map.of("reply", "x:" + p + "ann"),
                        List.of(), false)));
        TopicRecords.send(bootstrap, "queries", List.<String[]> of(query("q-" + p, "Acme " + p, acme)));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/dialogue").then().extract().jsonPath()
                .getList("$").contains(acme));

        String mailbox = p + "@reports.test";
        int id = given().contentType("application/json").body(Map.of("accountId", acme, "emails", List.of(mailbox),
                "lang", "fr")).post("/api/reports/subscriptions").then().statusCode(201).extract()
                .path("subscription.id");
        given().post("/api/reports/subscriptions/{id}/send?week=2026-W40", id).then().statusCode(202);
        MimeMessage mail = await().atMost(Duration.ofSeconds(30)).until(() -> mine(mailbox), m -> m.size() == 1)
                .get(0);
        assertEquals("[Palabre] Rapport hebdomadaire de dialogue: " + acme + ", 2026-W40", mail.getSubject());
        Multipart parts = (Multipart) mail.getContent();
        String html = null;
        String csv = null;
        for (BodyPart part : parts(parts)) {
            if (part.getContentType().startsWith("text/html")) {
                html = part.getContent().toString();
            } else if (part.getFileName() != null && part.getFileName().endsWith(".csv")) {
                csv = new String(part.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        assertTrue(html != null && html.contains("Taux de réponse") && html.contains("15 min"), String.valueOf(html));
        assertTrue(csv != null && csv.contains("figures,,median_first_response_seconds,900,"), String.valueOf(csv));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/reports/subscriptions").then()
                .body("find { it.subscription.id == " + id + " }.sendings[0].status", equalTo("sent")));

        // The schedule runs again and again: the week is not sent twice.
        given().post("/api/reports/subscriptions/{id}/send?week=2026-W40", id).then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> mine(mailbox).size() == 2);
        Thread.sleep(3000);
        assertEquals(2, mine(mailbox).size(), "sent again only because it was asked for");

        given().auth().oauth2(TestTokens.ANALYST).contentType("application/json").body(Map.of("accountId", acme,
                "emails", List.of(mailbox))).post("/api/reports/subscriptions").then().statusCode(403);
        given().contentType("application/json").body(Map.of("accountId", "x:nobody", "emails", List.of("nope"),
                "lang", "de")).post("/api/reports/subscriptions").then().statusCode(400)
                .contentType("application/problem+json").body("errors.size()", equalTo(3));
        given().post("/api/reports/subscriptions/{id}/send?week=2026-W99", id).then().statusCode(400);
        given().delete("/api/reports/subscriptions/{id}", id).then().statusCode(204);
        given().delete("/api/reports/subscriptions/{id}", id).then().statusCode(404)
                .contentType("application/problem+json");
    }

    private static List<MimeMessage> mine(String mailbox) throws Exception {
        List<MimeMessage> mine = new ArrayList<>();
        for (MimeMessage m : GreenMailResource.mail.getReceivedMessages()) {
            if (m.getAllRecipients()[0].toString().equals(mailbox)) {
                mine.add(m);
            }
        }
        return mine;
    }

    /** Every leaf part of a message, nested multiparts opened. */
    private static List<BodyPart> parts(Multipart multipart) throws Exception {
        List<BodyPart> parts = new ArrayList<>();
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.getContent() instanceof Multipart nested) {
                parts.addAll(parts(nested));
            } else {
                parts.add(part);
            }
        }
        return parts;
    }
}
