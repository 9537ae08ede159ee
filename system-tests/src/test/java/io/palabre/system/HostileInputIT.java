package io.palabre.system;

import static io.palabre.system.Api.encode;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.launcher.ConsumerLag;
import io.palabre.launcher.PalabreStack;

/**
 * Valid and hostile records published straight onto {@code mentions}, bypassing ingest's checks, into the packaged
 * services on the real broker and PostgreSQL: every valid one reaches the dashboard, every hostile one is stored
 * cleaned or dead-lettered with a reason, every consumer group catches up, and a valid mention published after them
 * is served within seconds with every service still up.
 */
class HostileInputIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-07-01T12:00:00Z");

    /** What must become of a record. */
    private enum Fate { SERVED, SERVED_CLEAN, DEAD_LETTERED }

    private record Case(String name, Fate fate, String id, String json) {
    }

    @Test
    void hostileRecordsNeverStopThePipeline() throws Exception {
        Path projectDir = Path.of(System.getProperty("palabre.project.dir", "..")).toAbsolutePath().normalize();
        String p = UUID.randomUUID().toString().substring(0, 8);
        try (PalabreStack stack = PalabreStack.start(Api.settings(projectDir,
                Files.createTempDirectory("palabre-hostile-"), Path.of("target", "hostile-logs").toAbsolutePath()))) {
            List<Case> cases = cases(p);
            publish(stack.bootstrapServers(), cases);

            // Every record has a fate: served by the dashboard (cleaned where it had to be) or dead-lettered.
            Map<String, String> reasons = new LinkedHashMap<>();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                reasons.putAll(deadLetters(stack.bootstrapServers(), p));
                for (Case c : cases) {
                    boolean served = Api.status(mentionUrl(stack, c.id())) == 200;
                    if (c.fate() == Fate.DEAD_LETTERED ? !reasons.containsKey(c.name()) : !served) {
                        return false;
                    }
                }
                return true;
            });
            for (Case c : cases) {
                if (c.fate() == Fate.DEAD_LETTERED) {
                    // Not served: 404, or 400 for an id that cannot even be asked for (a NUL).
                    int status = Api.status(mentionUrl(stack, c.id()));
                    assertTrue(status == 404 || status == 400, c.name() + " is not served: " + status);
                    assertFalse(reasons.get(c.name()).isBlank(), c.name() + " has a reason");
                } else {
                    assertClean(c, Api.get(mentionUrl(stack, c.id())));
                }
            }
            JsonNode served = Api.get(mentionUrl(stack, "mastodon:https://example.social/users/u/statuses/" + p
                    + "-rtl"));
            assertEquals("مرحبا 👋🏽 שלום \u202Eevil\u202C", served.get("text").asText(), "emoji and RTL intact");
            assertEquals(100_000, Api.get(mentionUrl(stack, "mastodon:https://example.social/users/u/statuses/" + p
                    + "-huge")).get("text").asText().length(), "a 1 MB text is cut to the contract's longest");

            // Every group catches up, nothing is left stuck behind a record.
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    ConsumerLag.lag(stack.bootstrapServers(), "analysis-service", List.of("mentions",
                            "routed-mentions")) == 0
                    && ConsumerLag.lag(stack.bootstrapServers(), "dashboard-service", List.of("conversations",
                            "threaded-mentions", "relationships", "account-metrics")) == 0);

            // The next valid mention is served within seconds, every service up.
            String next = "mastodon:https://example.social/users/u/statuses/" + p + "-next";
            long sent = System.nanoTime();
            publish(stack.bootstrapServers(), List.of(new Case("next", Fate.SERVED, next, valid(next).toString())));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Api.status(mentionUrl(stack, next)) == 200);
            long seconds = (System.nanoTime() - sent) / 1_000_000_000L;
            assertTrue(seconds < 20, "served after " + seconds + " s");
            for (String service : PalabreStack.SERVICES) {
                HttpResponse<String> ready = Api.HTTP.send(Api.request(
                        stack.service(service).url() + "/q/health/ready").build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ready.statusCode(), service + ": " + ready.body());
            }
        }
    }

    private static List<Case> cases(String p) throws Exception {
        List<Case> cases = new ArrayList<>();
        String base = "mastodon:https://example.social/users/u/statuses/" + p + "-";
        ObjectNode m;

        m = valid(base + "plain");
        cases.add(new Case("plain", Fate.SERVED, base + "plain", m.toString()));

        m = valid(base + "nul");
        m.put("text", "before\u0000after");
        m.put("url", "https://example.social/\u0000x");
        m.with("author").put("displayName", "Nul\u0000Name");
        cases.add(new Case("nul", Fate.SERVED_CLEAN, base + "nul", m.toString()));

        m = valid(base + "controls");
        m.put("text", "bell\u0007 escape\u001b[31m del\u007f tab\tok");
        cases.add(new Case("controls", Fate.SERVED_CLEAN, base + "controls", m.toString()));

        m = valid(base + "surrogate");
        m.put("text", "lone LONE here");
        cases.add(new Case("surrogate", Fate.SERVED_CLEAN, base + "surrogate",
                m.toString().replace("LONE", "\\udc00")));

        m = valid(base + "huge");
        m.put("text", "x".repeat(1_000_000));
        cases.add(new Case("huge", Fate.SERVED_CLEAN, base + "huge", m.toString()));

        m = valid(base + "nulls");
        m.withArray("mentions").addNull();
        m.withArray("hashtags").addNull().add("fine");
        m.withArray("links").addNull();
        cases.add(new Case("nulls", Fate.SERVED, base + "nulls", m.toString()));

        m = valid(base + "wrongtype");
        m.put("hashtags", "not an array");
        cases.add(new Case("wrongtype", Fate.DEAD_LETTERED, base + "wrongtype", m.toString()));

        m = valid(base + "year0");
        m.put("createdAt", "0000-01-01T00:00:00Z");
        cases.add(new Case("year0", Fate.DEAD_LETTERED, base + "year0", m.toString()));

        m = valid(base + "year9999");
        m.put("createdAt", "9999-12-31T23:59:59Z");
        cases.add(new Case("year9999", Fate.SERVED, base + "year9999", m.toString()));

        m = valid(base + "deep");
        cases.add(new Case("deep", Fate.DEAD_LETTERED, base + "deep", m.toString().replaceFirst("\\}$",
                ",\"extra\":" + "[".repeat(5000) + "]".repeat(5000) + "}")));

        m = valid(base + "dupkeys");
        cases.add(new Case("dupkeys", Fate.SERVED, base + "dupkeys",
                m.toString().replaceFirst("\\{", "{\"text\":\"shadowed\",")));

        m = valid(base + "rtl");
        m.put("text", "مرحبا 👋🏽 שלום \u202Eevil\u202C");
        cases.add(new Case("rtl", Fate.SERVED, base + "rtl", m.toString()));

        m = valid(base + "nulid\u0000x");
        cases.add(new Case("nulid", Fate.DEAD_LETTERED, base + "nulid\u0000x", m.toString()));

        m = valid(base + "script");
        m.put("url", "javascript:alert(document.cookie)");
        cases.add(new Case("script", Fate.SERVED_CLEAN, base + "script", m.toString()));

        cases.add(new Case("notjson", Fate.DEAD_LETTERED, base + "notjson", "{\"id\":\"" + base + "notjson\", oops"));
        return cases;
    }

    /** What a served record must look like once cleaned. */
    private static void assertClean(Case c, JsonNode served) {
        for (String field : List.of("text", "url")) {
            String value = served.path(field).asText("");
            assertEquals(-1, unusable(value), c.name() + " " + field + ": " + value.substring(0,
                    Math.min(80, value.length())));
        }
        String url = served.path("url").isNull() ? null : served.path("url").asText(null);
        assertTrue(url == null || url.startsWith("https://") || url.startsWith("http://"), c.name() + " url " + url);
        if (c.name().equals("surrogate")) {
            assertEquals("lone \ufffd here", served.get("text").asText());
        }
        if (c.name().equals("nul")) {
            assertEquals("beforeafter", served.get("text").asText());
            assertEquals("https://example.social/x", url);
        }
        if (c.name().equals("script")) {
            assertEquals(null, url, "only http(s) URLs are served");
        }
    }

    /** Where a text holds NUL or another C0 control (but tab and line ends) or a lone surrogate, or -1. */
    private static int unusable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch) || ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
                return i;
            }
        }
        return -1;
    }

    private static ObjectNode valid(String id) {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("id", id);
        m.put("platform", "mastodon");
        m.put("kind", "post");
        m.put("url", "https://example.social/@u/1");
        m.put("createdAt", AT.toString());
        ObjectNode a = m.putObject("author");
        a.put("id", "mastodon:u@example.social");
        a.put("handle", "u@example.social");
        a.put("displayName", "U");
        a.put("bot", false);
        m.put("text", "hello");
        m.put("lang", "en");
        m.putNull("replyTo");
        m.putNull("conversationId");
        m.putArray("mentions");
        m.putArray("hashtags");
        m.putArray("links");
        m.putNull("quoteOf");
        m.putNull("repostOf");
        m.putObject("source").put("connector", "test").putNull("query").put("capturedAt", AT.toString());
        return m;
    }

    private static void publish(String bootstrap, List<Case> cases) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (Case c : cases) {
                producer.send(new ProducerRecord<>("mentions", c.name(), c.json()));
            }
            producer.flush();
        }
    }

    /** Dead-letter reasons of this test's records, by case name (the record key), from both dead-letter topics. */
    private static Map<String, String> deadLetters(String bootstrap, String p) {
        Map<String, String> reasons = new LinkedHashMap<>();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "hostile-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of("mentions-dlq", "dashboard-dlq"));
            for (int empty = 0; empty < 3;) {
                var polled = consumer.poll(Duration.ofMillis(500));
                empty = polled.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<String, String> r : polled) {
                    try {
                        JsonNode rejection = MAPPER.readTree(r.value());
                        String payload = rejection.path("payload").asText();
                        if (payload.contains(p)) {
                            String name = payload.contains(p + "-nulid") ? "nulid" : payload.replaceAll(
                                    "(?s).*" + p + "-([a-z0-9]+).*", "$1");
                            reasons.put(name, rejection.path("reason").asText());
                        }
                    } catch (java.io.IOException ignored) {
                        // not ours
                    }
                }
            }
        }
        return reasons;
    }

    private static String mentionUrl(PalabreStack stack, String id) {
        return stack.dashboardUrl() + "/api/mentions/" + encode(id);
    }
}
