package io.palabre.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.palabre.launcher.FreePorts;
import io.palabre.launcher.PalabreStack;
import io.palabre.testing.WebhookReceiver;

/**
 * Each of the five alert rules fires from mentions imported through ingest-service, threaded by analysis-service and
 * read by dashboard-service, and then resolves. Every event reaches a real webhook receiver (which checks each HMAC
 * signature) and a real SMTP server exactly once, although the receiver refuses the first attempts and
 * dashboard-service, which delivers, is killed with SIGKILL while deliveries wait.
 */
class AlertsIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path PROJECT = Path.of(System.getProperty("palabre.project.dir", "..")).toAbsolutePath()
            .normalize();
    private static final String ACME = "mastodon:acme@alerts.example";
    private static final Set<String> TYPES = Set.of("unanswered", "response-rate", "volume-spike",
            "conversation-growth", "pagerank-top");

    private int sequence;

    @Test
    void eachRuleFiresAndResolvesDeliveredOnceAcrossARestartOfTheServiceThatDelivers() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant hourEnd = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        if (Duration.between(now, hourEnd).toMinutes() < 4) {
            Thread.sleep(Duration.between(now, hourEnd).plusSeconds(5).toMillis()); // the volume rule counts this hour
            now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        }
        int smtpPort = FreePorts.next();
        GreenMail mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        Map<String, Map<String, String>> config = Map.of(
                "dashboard-service", Map.of("quarkus.mailer.host", "127.0.0.1",
                        "quarkus.mailer.port", Integer.toString(smtpPort), "quarkus.mailer.start-tls", "DISABLED",
                        "palabre.alerts.tick", "2s", "palabre.alerts.delivery.first-backoff", "1s",
                        "palabre.alerts.delivery.max-backoff", "4s", "palabre.alerts.delivery.max-attempts", "50"),
                "analysis-service", Map.of("palabre.analysis.metrics.interval", "3s"));
        Path logs = Path.of("target", "alerts-logs").toAbsolutePath();
        try (WebhookReceiver receiver = new WebhookReceiver();
                KillableStack stack = KillableStack.start(PROJECT, Files.createTempDirectory("palabre-alerts-"), logs,
                        config)) {
            String dashboard = stack.url("dashboard-service");
            String ingest = stack.url("ingest-service");
            createQuery(ingest);
            await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> Api.get(dashboard + "/api/dialogue")
                    .toString().contains(ACME));

            // Before the rules: zed already reposts acme, and is at the top of its partners once metrics run.
            // Reposts are relationships, never people waiting for an answer.
            String acmePost = post("acme", null, null, now.minus(Duration.ofHours(4)), List.of(), List.of());
            String zedPost = post("zed", null, null, now.minus(Duration.ofHours(4)), List.of(), List.of());
            String yanPost = post("yan", null, null, now.minus(Duration.ofHours(4)), List.of(), List.of());
            importMentions(ingest, List.of(acmePost, zedPost, yanPost));
            importMentions(ingest, List.of(repost("zed", acmePost, now.minus(Duration.ofHours(3)))));
            await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> Api.get(dashboard
                    + "/api/accounts/" + Api.encode(ACME)).get("topPartners").toString().contains("zed")
                    && Api.get(dashboard + "/api/accounts/" + Api.encode(account("zed"))).get("account")
                    .hasNonNull("pagerank"));

            Map<String, Long> rules = new LinkedHashMap<>();
            String tag = "alertspike" + now.getEpochSecond();
            rules.put("unanswered", rule(dashboard, receiver, "unanswered", Map.of("accountId", ACME, "threshold", 1)));
            rules.put("response-rate", rule(dashboard, receiver, "response-rate", Map.of("accountId", ACME,
                    "threshold", 0.9, "minCount", 1, "windowMinutes", 60)));
            rules.put("volume-spike", rule(dashboard, receiver, "volume-spike", Map.of("hashtag", tag,
                    "threshold", 3, "minCount", 5)));
            rules.put("conversation-growth", rule(dashboard, receiver, "conversation-growth", Map.of("accountId", ACME,
                    "threshold", 2)));
            rules.put("pagerank-top", rule(dashboard, receiver, "pagerank-top", Map.of("accountId", ACME,
                    "threshold", 1)));
            await().atMost(Duration.ofSeconds(30)).until(() -> Api.get(dashboard + "/api/alerts/rules/"
                    + rules.get("pagerank-top")).hasNonNull("evaluatedAt"));

            // The receiver refuses everything for now: deliveries wait, with attempts, while the data comes in.
            receiver.failNext(1_000_000);
            List<String> data = new ArrayList<>();
            // ann asked acme five minutes ago: unanswered past one minute, and a response rate of 0.
            String asked = post("ann", null, null, now.minus(Duration.ofMinutes(5)), List.of(ACME), List.of());
            data.add(asked);
            // Six posts with the hashtag now (this clock hour), none at this hour in the last seven days.
            List<String> tagged = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                tagged.add(post("tagger" + i, null, null, Instant.now(), List.of(), List.of(tag)));
            }
            data.addAll(tagged);
            // host's conversation, in which acme takes part, gains three replies within the hour (none to acme).
            String root = post("host", null, null, now.minus(Duration.ofMinutes(30)), List.of(), List.of());
            data.add(root);
            // acme writes in it without answering anyone (a post that states the conversation): no relationship.
            ObjectNode inConversation = (ObjectNode) read(post("acme", null, null, now.minus(Duration.ofMinutes(25)),
                    List.of(), List.of()));
            inConversation.put("conversationId", id(root));
            data.add(inConversation.toString());
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                replies.add(post("replier" + i, id(root), account("host"), now.minus(Duration.ofMinutes(20 - i)),
                        List.of(), List.of()));
            }
            data.addAll(replies);
            // yan reposts acme, and two fans repost yan: yan enters the top of acme's partners by PageRank.
            data.add(repost("yan", acmePost, now.minus(Duration.ofMinutes(40))));
            data.add(repost("fan1", yanPost, now.minus(Duration.ofMinutes(39))));
            data.add(repost("fan2", yanPost, now.minus(Duration.ofMinutes(38))));
            importMentions(ingest, data);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> firedTypes(dashboard).containsAll(TYPES));
            await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> pendingWithAttempts(dashboard) >= 5);

            // dashboard-service is killed while the deliveries wait; restarted, it sends each once.
            stack.restartServiceAfterKill("dashboard-service");
            receiver.failNext(0);
            List<JsonNode> fired = awaitBodies(receiver, b -> "fired".equals(b.path("event").asText())
                    && !enteringAgain(b), 5);
            assertEquals(TYPES, fired.stream().map(b -> b.path("alert").path("type").asText())
                    .collect(Collectors.toSet()));
            JsonNode entered = fired.stream().filter(b -> b.path("alert").path("type").asText().equals("pagerank-top"))
                    .findFirst().orElseThrow();
            assertEquals(account("yan"), entered.path("alert").path("key").asText());
            assertTrue(receiver.received().stream().map(r -> read(r.body())).noneMatch(b -> b.path("alert")
                    .path("key").asText().equals(account("zed"))), "zed was at the top when the rule first looked: "
                    + "recorded, not announced");
            assertEquals(id(asked), fired.stream().filter(b -> b.path("alert").path("type").asText()
                    .equals("unanswered")).findFirst().orElseThrow().path("alert").path("key").asText());

            // Resolution: acme answers ann, the hashtag's posts and the replies are deleted, and four fans repost zed,
            // which passes yan.
            List<String> resolving = new ArrayList<>();
            resolving.add(post("acme", id(asked), account("ann"), now.plusSeconds(1), List.of(), List.of()));
            for (String t : tagged) {
                resolving.add(delete(t));
            }
            for (String r : replies) {
                resolving.add(delete(r));
            }
            for (int i = 3; i < 7; i++) {
                resolving.add(repost("fan" + i, zedPost, now.minus(Duration.ofMinutes(50 - i))));
            }
            importMentions(ingest, resolving);
            List<JsonNode> resolved = awaitBodies(receiver, b -> "resolved".equals(b.path("event").asText())
                    && !enteringAgain(b), 5);
            assertEquals(fired.stream().map(b -> b.path("alert").path("id").asLong()).collect(Collectors.toSet()),
                    resolved.stream().map(b -> b.path("alert").path("id").asLong()).collect(Collectors.toSet()),
                    "each alert that fired resolves");

            // Exactly once: each announced event (an alert fired, an alert resolved) reaches the receiver once and the
            // mailbox once, and a duplicate would show up within a few seconds more.
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                int events = announcedEvents(dashboard);
                return accepted(receiver).size() == events && mail.getReceivedMessages().length == events
                        && Api.get(dashboard + "/api/alerts/deliveries?status=pending").isEmpty();
            });
            Thread.sleep(5000);
            int events = announcedEvents(dashboard);
            List<WebhookReceiver.Received> accepted = accepted(receiver);
            List<String> distinct = accepted.stream().map(r -> read(r.body())).map(b -> b.path("event").asText() + " "
                    + b.path("alert").path("id").asText()).distinct().toList();
            assertEquals(events, distinct.size(), "each event once at the receiver: " + distinct);
            assertEquals(events, accepted.size(), "and no delivery taken twice");
            List<String> mails = new ArrayList<>();
            for (MimeMessage m : mail.getReceivedMessages()) {
                mails.add(m.getHeader("X-Palabre-Delivery", ","));
            }
            assertEquals(events, mails.stream().distinct().count(), "each event once in the mailbox: " + mails);
            assertEquals(events, mails.size());
            List<WebhookReceiver.Received> requests = receiver.received().stream()
                    .filter(r -> r.path().startsWith("/alerts/")).toList();
            assertTrue(requests.stream().allMatch(WebhookReceiver.Received::signatureValid), "every signature "
                    + "verifies");
            assertTrue(requests.size() > accepted.size(), "the refused attempts were retried");
            assertEquals(0, Api.get(dashboard + "/api/alerts/deliveries?status=failed").size());
        } finally {
            mail.stop();
        }
    }

    /**
     * Another partner entering the top after yan left it (zed, or ann once acme answers her): a true alert, but not
     * one of the five this test follows.
     */
    private static boolean enteringAgain(JsonNode body) {
        return body.path("alert").path("type").asText().equals("pagerank-top")
                && !body.path("alert").path("key").asText().equals(account("yan"));
    }

    /** What the receiver took: for each delivery id, its last request (the earlier ones were refused). */
    private static List<WebhookReceiver.Received> accepted(WebhookReceiver receiver) {
        Map<String, WebhookReceiver.Received> last = new LinkedHashMap<>();
        receiver.received().stream().filter(r -> r.path().startsWith("/alerts/")).forEach(r -> last.put(
                r.deliveryId(), r));
        return new ArrayList<>(last.values());
    }

    /** Alerts fired, plus those resolved: what the rules announced. */
    private static int announcedEvents(String dashboard) throws Exception {
        int events = 0;
        for (JsonNode a : Api.get(dashboard + "/api/alerts?limit=500").get("items")) {
            events += a.hasNonNull("resolvedAt") ? 2 : 1;
        }
        return events;
    }

    private static Set<String> firedTypes(String dashboard) throws Exception {
        return java.util.stream.StreamSupport.stream(Api.get(dashboard + "/api/alerts?limit=100").get("items")
                .spliterator(), false).map(a -> a.get("type").asText()).collect(Collectors.toSet());
    }

    private static long pendingWithAttempts(String dashboard) throws Exception {
        return java.util.stream.StreamSupport.stream(Api.get(dashboard + "/api/alerts/deliveries?status=pending")
                .spliterator(), false).filter(d -> d.get("attempts").asInt() > 0).count();
    }

    private static List<JsonNode> awaitBodies(WebhookReceiver receiver, Predicate<JsonNode> wanted, int count) {
        return await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, JsonNode> byDelivery = new LinkedHashMap<>();
            for (WebhookReceiver.Received r : receiver.received()) {
                if (r.path().startsWith("/alerts/")) {
                    byDelivery.put(r.deliveryId(), read(r.body()));
                }
            }
            return byDelivery.values().stream().filter(wanted).toList();
        }, got -> got.size() >= count);
    }

    private long rule(String dashboard, WebhookReceiver receiver, String type, Map<String, Object> settings)
            throws Exception {
        ObjectNode body = MAPPER.createObjectNode().put("name", type + " rule").put("type", type)
                .put("cooldownMinutes", 0).put("webhookUrl", receiver.url("/alerts/" + type));
        body.putArray("emails").add(type + "@alerts.example");
        settings.forEach((k, v) -> body.set(k, MAPPER.valueToTree(v)));
        HttpResponse<String> made = Api.HTTP.send(Api.request(dashboard + "/api/alerts/rules")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, made.statusCode(), made.body());
        JsonNode rule = MAPPER.readTree(made.body());
        receiver.secret("/alerts/" + type, rule.get("webhookSecret").asText());
        return rule.get("id").asLong();
    }

    private static void createQuery(String ingest) {
        ObjectNode q = MAPPER.createObjectNode().put("name", "Acme alerts").put("terms", "acme");
        q.putArray("platforms").add("mastodon");
        q.putArray("organisationAccounts").add(ACME);
        q.put("enabled", false);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            HttpResponse<String> r = Api.HTTP.send(Api.request(ingest + "/api/queries")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            q.toString())).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 201 || r.statusCode() == 409;
        });
    }

    private static void importMentions(String ingest, List<String> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : lines) {
            out.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            HttpResponse<String> r = PalabreStack.importNdjson(ingest, Api.ADMIN.token(), out.toByteArray());
            JsonNode report = MAPPER.readTree(r.body());
            assertEquals(0, report.get("rejected").asLong(), r.body());
            return r.statusCode() == 202 && report.get("failed").asLong() == 0;
        });
    }

    private static String account(String name) {
        return name.equals("acme") ? ACME : "mastodon:" + name + "@alerts.example";
    }

    /** A Mastodon post by {@code author} (a reply when {@code replyTo} is set), naming these accounts. */
    private String post(String author, String replyTo, String replyToAuthor, Instant at, List<String> names,
            List<String> hashtags) {
        String id = "mastodon:https://alerts.example/users/" + author + "/statuses/" + Instant.now().toEpochMilli()
                + (++sequence);
        ObjectNode m = MAPPER.createObjectNode().put("id", id).put("platform", "mastodon").put("kind", "post")
                .put("url", "https://alerts.example/@" + author + "/" + sequence).put("createdAt", at.toString());
        m.putObject("author").put("id", account(author)).put("handle", author + "@alerts.example")
                .putNull("displayName").put("bot", false);
        m.put("text", "post " + sequence + " by " + author).put("lang", "en");
        if (replyTo == null) {
            m.putNull("replyTo");
        } else {
            m.putObject("replyTo").put("id", replyTo).put("authorId", replyToAuthor);
        }
        m.putNull("conversationId");
        ArrayNode mentions = m.putArray("mentions");
        names.forEach(n -> mentions.addObject().put("id", n).put("handle", n.substring(n.indexOf(':') + 1)));
        ArrayNode tags = m.putArray("hashtags");
        hashtags.forEach(tags::add);
        m.putArray("links");
        m.putNull("quoteOf").putNull("repostOf");
        m.putObject("source").put("connector", "import:palabre").putNull("query").put("capturedAt",
                Instant.now().toString());
        return m.toString();
    }

    /** {@code author}'s repost of a post made by {@link #post}. */
    private String repost(String author, String original, Instant at) {
        ObjectNode m = (ObjectNode) read(post(author, null, null, at, List.of(), List.of()));
        m.put("kind", "repost").put("text", "").put("repostOf", id(original));
        return m.toString();
    }

    /** The delete of a post made by {@link #post}. */
    private static String delete(String post) {
        ObjectNode m = (ObjectNode) read(post);
        m.put("kind", "delete").put("text", "").putNull("url").put("createdAt", Instant.now().toString());
        m.putArray("mentions");
        m.putArray("hashtags");
        m.putNull("lang");
        return m.toString();
    }

    private static String id(String post) {
        return read(post).get("id").asText();
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
