package io.palabre.dashboard.alerts;

import static io.palabre.dashboard.TestRecords.metrics;
import static io.palabre.dashboard.TestRecords.query;
import static io.palabre.dashboard.TestRecords.relationship;
import static io.palabre.dashboard.TestRecords.threaded;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.mail.internet.MimeMessage;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.testing.Contracts;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TestTokens;
import io.palabre.testing.TopicRecords;
import io.palabre.testing.WebhookReceiver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Each of the five rules fires from data fed through the read model's topics and then resolves; every event is
 * delivered once to a real webhook receiver (which checks the HMAC signatures) and a real SMTP server. Real broker and
 * PostgreSQL.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
@WithTestResource(GreenMailResource.class)
class AlertsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static WebhookReceiver receiver;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource dataSource;

    @BeforeAll
    static void receive() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiving() {
        receiver.close();
    }

    @Test
    void eachRuleFiresOnceIsDeliveredSignedToTheWebhookAndTheMailboxAndResolves() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        String acme = "x:" + p + "acme";
        String ann = "x:" + p + "ann";
        String tag = "tag" + p;
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        if (Duration.between(now, now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1))).toSeconds() < 90) {
            Thread.sleep(100_000); // the volume rule counts this hour: do not straddle two
            now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        }
        TopicRecords.send(bootstrap, "queries", List.<String[]> of(query("q-" + p, "Acme " + p, acme)));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/dialogue").then().extract().jsonPath()
                .getList("$").contains(acme));

        // Before anything is sent: a partner already at the top, which the ranking rule must not announce.
        String zed = "x:" + p + "zed";
        TopicRecords.send(bootstrap, "relationships", List.<String[]> of(relationship(zed, acme, "mention", 1)));
        TopicRecords.send(bootstrap, "account-metrics", List.<String[]> of(metrics(zed, 0.2)));
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/accounts/{id}", zed).statusCode() == 200
                && partners(acme).contains(zed));

        String hook = receiver.url("/hooks/" + p + "/");
        String mailbox = p + "@acme.test";
        Map<String, Long> rules = new java.util.LinkedHashMap<>();
        rules.put("unanswered", rule("unanswered", acme, null, 1.0, null, null, hook + "unanswered", mailbox));
        rules.put("response-rate", rule("response-rate", acme, null, 0.9, null, 1, hook + "rate", mailbox));
        rules.put("volume-spike", rule("volume-spike", null, tag, 3.0, null, 5, hook + "volume", mailbox));
        rules.put("conversation-growth", rule("conversation-growth", acme, null, 2.0, null, null, hook + "growth",
                mailbox));
        rules.put("pagerank-top", rule("pagerank-top", acme, null, 1.0, null, null, hook + "pagerank", mailbox));
        // The ranking rule takes its first look before a new partner comes.
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/alerts/rules/{id}",
                rules.get("pagerank-top")).then().extract().path("evaluatedAt") != null);

        // ann asked acme two hours ago and is still waiting (unanswered, response rate 0).
        String asked = "x:" + p + "1";
        List<String[]> mentions = new ArrayList<>();
        mentions.add(threaded(asked, asked, ann, null, now.minus(Duration.ofHours(2)), Map.of("mention", acme),
                List.of(), false));
        // Six posts with the hashtag this hour; none in the last seven days at this hour.
        for (int i = 0; i < 6; i++) {
            String id = "x:" + p + "t" + i;
            mentions.add(threaded(id, id, "x:" + p + "tagger" + i, null, now.minusSeconds(i), Map.of(), List.of(tag),
                    false));
        }
        // acme posted in a conversation that gains three replies within the hour.
        String root = "x:" + p + "root";
        mentions.add(threaded(root, root, acme, null, now.minus(Duration.ofMinutes(30)), Map.of(), List.of(), false));
        for (int i = 0; i < 3; i++) {
            mentions.add(threaded("x:" + p + "r" + i, root, "x:" + p + "replier" + i, root,
                    now.minus(Duration.ofMinutes(20 - i)), Map.of(), List.of(), false));
        }
        TopicRecords.send(bootstrap, "threaded-mentions", mentions);
        // A new partner enters the top 1 around acme.
        String yan = "x:" + p + "yan";
        TopicRecords.send(bootstrap, "relationships", List.<String[]> of(relationship(yan, acme, "reply", 2)));
        TopicRecords.send(bootstrap, "account-metrics", List.<String[]> of(metrics(yan, 0.9)));

        for (Map.Entry<String, Long> rule : rules.entrySet()) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/alerts?rule={id}",
                    rule.getValue()).then().statusCode(200).body("items.state", hasItem("fired")));
        }
        List<JsonNode> fired = awaitHooks(p, body -> "fired".equals(body.path("event").asText()), 5);
        assertEquals(Set.of("unanswered", "response-rate", "volume-spike", "conversation-growth", "pagerank-top"),
                fired.stream().map(b -> b.path("alert").path("type").asText()).collect(Collectors.toSet()));
        JsonNode entered = fired.stream().filter(b -> b.path("alert").path("type").asText().equals("pagerank-top"))
                .findFirst().orElseThrow();
        assertEquals(yan, entered.path("alert").path("details").path("partnerId").asText(),
                "the partner already at the top when the rule first looked is not announced");
        JsonNode waiting = fired.stream().filter(b -> b.path("alert").path("type").asText().equals("unanswered"))
                .findFirst().orElseThrow();
        assertEquals(asked, waiting.path("alert").path("key").asText());
        for (JsonNode body : fired) {
            assertTrue(Contracts.validate("alert-webhook.schema.json", body.toString()).isEmpty(), body.toString());
        }

        // acme answers ann; the replies and the hashtag's posts are deleted; yan falls below zed.
        List<String[]> after = new ArrayList<>();
        after.add(threaded("x:" + p + "answer", asked, acme, asked, now.plusSeconds(1), Map.of("reply", ann),
                List.of(), false));
        for (int i = 0; i < 6; i++) {
            String id = "x:" + p + "t" + i;
            after.add(threaded(id, id, "x:" + p + "tagger" + i, null, now.minusSeconds(i), Map.of(), List.of(tag),
                    true));
        }
        for (int i = 0; i < 3; i++) {
            after.add(threaded("x:" + p + "r" + i, root, "x:" + p + "replier" + i, root,
                    now.minus(Duration.ofMinutes(20 - i)), Map.of(), List.of(), true));
        }
        TopicRecords.send(bootstrap, "threaded-mentions", after);
        TopicRecords.send(bootstrap, "account-metrics", List.<String[]> of(metrics(yan, 0.01)));

        List<JsonNode> resolved = awaitHooks(p, body -> "resolved".equals(body.path("event").asText()), 5);
        assertEquals(fired.stream().map(b -> b.path("alert").path("id").asLong()).collect(Collectors.toSet()),
                resolved.stream().map(b -> b.path("alert").path("id").asLong()).collect(Collectors.toSet()),
                "each alert that fired resolves");
        for (Map.Entry<String, Long> rule : rules.entrySet()) {
            given().get("/api/alerts?rule={id}&state=resolved", rule.getValue()).then().statusCode(200)
                    .body("items.key", hasItem(rule.getKey().equals("unanswered") ? asked
                            : rule.getKey().equals("pagerank-top") ? yan : anyKey(rule.getValue())));
        }

        // Exactly once: one request per delivery id, each signed with the rule's secret, and one e-mail each.
        Thread.sleep(3000); // time for a duplicate to show up, were there one
        List<WebhookReceiver.Received> mine = receiver.received().stream()
                .filter(r -> r.path().startsWith("/hooks/" + p + "/")).toList();
        List<JsonNode> bodies = mine.stream().map(r -> read(r.body())).filter(this::notZedEnteringAgain).toList();
        assertEquals(10, bodies.size(), "five fired and five resolved: " + bodies);
        assertEquals(mine.size(), mine.stream().map(WebhookReceiver.Received::deliveryId).distinct().count());
        assertTrue(mine.stream().allMatch(WebhookReceiver.Received::signatureValid), "every signature verifies");
        List<MimeMessage> mails = new ArrayList<>();
        for (MimeMessage m : GreenMailResource.mail.getReceivedMessagesForDomain("acme.test")) {
            if (m.getAllRecipients()[0].toString().equals(mailbox)) {
                mails.add(m);
            }
        }
        assertEquals(mine.size(), mails.size(), "one e-mail per webhook delivery");
        assertTrue(mails.stream().anyMatch(m -> subject(m).startsWith("[Palabre] Alert: ")));
        assertTrue(mails.stream().anyMatch(m -> subject(m).startsWith("[Palabre] Resolved: ")));
        given().get("/api/alerts/deliveries?status=failed").then().statusCode(200)
                .body("target", org.hamcrest.Matchers.not(hasItem(hook + "unanswered")));
    }

    @Test
    void aFailedDeliveryIsRetriedWithBackoffAndVisibleMeanwhile() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        String tag = "retry" + p;
        Instant start = Instant.now();
        if (Duration.between(start, start.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1))).toSeconds() < 90) {
            Thread.sleep(100_000); // the volume rule counts this hour: do not straddle two
        }
        receiver.failNext(2);
        long rule = rule("volume-spike", null, tag, 1.0, null, 1, receiver.url("/retry/" + p), null);
        Instant now = Instant.now();
        List<String[]> posts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            posts.add(threaded("x:" + p + i, "x:" + p + i, "x:" + p + "a" + i, null, now, Map.of(), List.of(tag),
                    false));
        }
        TopicRecords.send(bootstrap, "threaded-mentions", posts);
        long alert = await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/api/alerts?rule={id}", rule)
                .then().extract().jsonPath().getList("items.id", Long.class), ids -> !ids.isEmpty()).get(0);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/alerts/{id}", alert).then()
                .statusCode(200).body("deliveries[0].status", org.hamcrest.Matchers.equalTo("delivered"))
                .body("deliveries[0].attempts", org.hamcrest.Matchers.equalTo(3)));
        List<WebhookReceiver.Received> got = receiver.received().stream()
                .filter(r -> r.path().equals("/retry/" + p)).toList();
        assertEquals(3, got.size(), "two refused, then taken");
        assertEquals(1, got.stream().map(WebhookReceiver.Received::deliveryId).distinct().count(),
                "the same delivery each time, so a receiver can drop what it already took");

        // Refused on every try: failed, with the reason, and sent again by hand.
        receiver.failNext(1000);
        String never = receiver.url("/never/" + p);
        given().contentType("application/json").body(Map.of("name", "spike " + p, "type", "volume-spike",
                "hashtag", tag, "threshold", 1.0, "minCount", 1, "cooldownMinutes", 0, "webhookUrl", never))
                .put("/api/alerts/rules/{id}", rule).then().statusCode(200);
        List<String[]> deleted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            deleted.add(threaded("x:" + p + i, "x:" + p + i, "x:" + p + "a" + i, null, now, Map.of(), List.of(tag),
                    true));
        }
        TopicRecords.send(bootstrap, "threaded-mentions", deleted);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/api/alerts?rule={id}&state=resolved",
                rule).then().body("items.id", hasItem((int) alert)));
        JsonNode failed = await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (JsonNode d : read(given().get("/api/alerts/deliveries?status=failed").then().statusCode(200)
                    .extract().asString())) {
                if (d.path("target").asText().equals(never)) {
                    return d;
                }
            }
            return null;
        }, java.util.Objects::nonNull);
        assertEquals("the receiver answered 503", failed.path("lastError").asText());
        assertEquals(3, failed.path("attempts").asInt(), "palabre.alerts.delivery.max-attempts in tests");
        receiver.failNext(0);
        long failedId = failed.path("id").asLong();
        given().post("/api/alerts/deliveries/{id}/retry", failedId).then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/alerts/deliveries?status="
                + "delivered").then().body("id", hasItem((int) failedId)));
        given().post("/api/alerts/deliveries/{id}/retry", failedId).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void rulesThatCannotBeUsedAreRefusedWithEveryReason() {
        given().contentType("application/json").body(Map.of("name", "", "type", "response-rate", "threshold", 2))
                .post("/api/alerts/rules").then().statusCode(400).contentType("application/problem+json")
                .body("errors.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(3));
        given().contentType("application/json").body(Map.of("name", "n", "type", "unanswered", "accountId",
                "x:nobody-" + UUID.randomUUID())).post("/api/alerts/rules").then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("not an organisation account"));
        given().contentType("application/json").body("[1,2]").post("/api/alerts/rules").then().statusCode(400);
        given().get("/api/alerts/rules/{id}", "nope").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/alerts/rules/{id}", 987_654_321).then().statusCode(404);
        given().get("/api/alerts?state=maybe").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.ANALYST).contentType("application/json")
                .body(Map.of("name", "n", "type", "volume-spike")).post("/api/alerts/rules").then().statusCode(403);
    }

    private List<String> partners(String account) throws java.sql.SQLException {
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement("select partner_id from account_partner "
                + "where account_id = ?")) {
            ps.setString(1, account);
            List<String> partners = new ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    partners.add(rs.getString(1));
                }
            }
            return partners;
        }
    }

    private String anyKey(long rule) {
        return given().get("/api/alerts?rule={id}&state=resolved", rule).then().extract().path("items[0].key");
    }

    /** Whether this is not zed entering the top again after yan fell (a true alert, but not one of the five). */
    private boolean notZedEnteringAgain(JsonNode body) {
        return !(body.path("alert").path("type").asText().equals("pagerank-top")
                && body.path("alert").path("details").path("partnerId").asText().endsWith("zed"));
    }

    private List<JsonNode> awaitHooks(String p, Predicate<JsonNode> wanted, int count) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> receiver.received().stream()
                .filter(r -> r.path().startsWith("/hooks/" + p + "/")).map(r -> read(r.body())).filter(wanted)
                .filter(this::notZedEnteringAgain).toList(), got -> got.size() >= count);
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long rule(String type, String account, String hashtag, Double threshold, Integer window,
            Integer minCount, String hook, String mailbox) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("name", type + " rule");
        body.put("type", type);
        body.put("accountId", account);
        body.put("hashtag", hashtag);
        body.put("threshold", threshold);
        body.put("windowMinutes", window);
        body.put("minCount", minCount);
        body.put("cooldownMinutes", 0);
        body.put("webhookUrl", hook);
        body.put("emails", mailbox == null ? List.of() : List.of(mailbox));
        var made = given().contentType("application/json").body(body).post("/api/alerts/rules").then()
                .statusCode(201).extract();
        if (hook != null) {
            receiver.secret(java.net.URI.create(hook).getPath(), made.path("webhookSecret"));
        }
        return ((Number) made.path("id")).longValue();
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
