package io.palabre.analysis;

import static io.palabre.analysis.Mentions.post;
import static io.palabre.analysis.Mentions.record;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.palabre.testing.Contracts;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Hostile records sent straight to {@code mentions} on the real broker, bypassing ingest's checks: analysis-service
 * stores each cleaned or sets it aside on {@code mentions-dlq} with a reason, and the valid mention sent after them is
 * threaded into the real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class HostileMentionsTest {

    private static final Instant T0 = Instant.parse("2026-02-02T10:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void hostileRecordsAreStoredCleanedOrDeadLetteredAndTheNextMentionIsStored() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        List<String[]> records = new ArrayList<>();

        ObjectNode nullInArray = post("mastodon", p + "nullarray", "ann", null, null, T0);
        nullInArray.withArray("mentions").addNull();
        nullInArray.withArray("hashtags").addNull().add("ok");
        records.add(record(nullInArray));

        ObjectNode nul = post("mastodon", p + "nul", "ann", null, null, T0);
        nul.put("url", "https://example.social/\u0000x");
        nul.put("text", "a\u0000b\u0007c LONE d");
        nul.with("author").put("displayName", "Ann\u0000");
        // A lone surrogate survives a topic only as a JSON escape: a raw one would be lost when the record is encoded.
        records.add(new String[] { record(nul)[0], record(nul)[1].replace("LONE", "\\ud800") });

        ObjectNode nulId = post("mastodon", p + "nul\u0000id", "ann", null, null, T0);
        records.add(record(nulId));

        ObjectNode long1mb = post("mastodon", p + "long", "ann", null, null, T0);
        long1mb.put("text", "é".repeat(400_000));
        records.add(record(long1mb));

        ObjectNode bulky = post("mastodon", p + "bulky", "ann", null, null, T0);
        for (int i = 0; i < 600; i++) {
            bulky.withArray("links").add("https://example.org/" + "x".repeat(1000) + i);
        }
        records.add(record(bulky));

        ObjectNode wrongType = post("mastodon", p + "wrongtype", "ann", null, null, T0);
        wrongType.put("hashtags", "not an array");
        records.add(record(wrongType));

        ObjectNode yearZero = post("mastodon", p + "year0", "ann", null, null, Instant.parse("0000-01-01T00:00:00Z"));
        records.add(record(yearZero));
        ObjectNode year9999 = post("mastodon", p + "year9999", "ann", null, null,
                Instant.parse("9999-12-31T23:59:59Z"));
        records.add(record(year9999));
        ObjectNode outOfRange = post("mastodon", p + "far", "ann", null, null, T0);
        outOfRange.put("createdAt", "+300000-01-01T00:00:00Z");
        records.add(record(outOfRange));

        // Fits the id's length in characters, not the database's index in bytes: only storing it can tell.
        ObjectNode wideId = post("mastodon", p + wide(1000), "ann", null, null, T0);
        records.add(record(wideId));

        ObjectNode rtl = post("mastodon", p + "rtl", "ann", null, null, T0);
        rtl.put("text", "مرحبا \u202Eevil\u202C 👋🏽 שלום");
        records.add(record(rtl));

        records.add(new String[] { p, "{\"id\":\"" + p + "\",\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}" });
        records.add(new String[] { p, post("mastodon", p + "dupkeys", "ann", null, null, T0).toString()
                .replaceFirst("\\{", "{\"text\":\"first\",") });

        TopicRecords.send(bootstrap, "mentions", records);
        String after = "mastodon:" + p + "after";
        TopicRecords.send(bootstrap, "mentions", List.<String[]> of(record(post("mastodon", p + "after", "bob",
                null, null, T0))));

        // Records travel on several partitions: wait for every one that must be stored.
        List<String> kept = List.of(after, "mastodon:" + p + "nullarray", "mastodon:" + p + "nul",
                "mastodon:" + p + "long", "mastodon:" + p + "year9999", "mastodon:" + p + "rtl",
                "mastodon:" + p + "dupkeys");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (String id : kept) {
                if (stored(id) == null) {
                    return false;
                }
            }
            return true;
        });

        assertTrue(stored("mastodon:" + p + "nullarray").contains("\"hashtags\":[\"ok\"]"));
        String cleaned = stored("mastodon:" + p + "nul");
        JsonNode cleanedJson = Contracts.tree(cleaned);
        assertEquals("https://example.social/x", cleanedJson.get("url").asText());
        assertEquals("abc \ufffd d", cleanedJson.get("text").asText());
        assertEquals("Ann", cleanedJson.get("author").get("displayName").asText());
        assertFalse(cleaned.contains("\\u0000"));
        assertEquals(100_000, Contracts.tree(stored("mastodon:" + p + "long")).get("text").asText().length());
        assertEquals(null, stored("mastodon:" + p + "year0"));
        assertTrue(stored("mastodon:" + p + "year9999") != null);
        assertEquals(rtl.get("text").asText(), Contracts.tree(stored("mastodon:" + p + "rtl")).get("text").asText());
        assertTrue(stored("mastodon:" + p + "dupkeys") != null);

        List<ConsumerRecord<String, String>> dead = TopicRecords.readUntil(bootstrap, "mentions-dlq",
                rs -> ours(rs, p).size() >= 7, Duration.ofSeconds(30));
        Map<String, String> reasons = ours(dead, p).stream().collect(Collectors.toMap(
                r -> r.get("payload").asText().length() > 40 ? r.get("payload").asText().substring(0, 40) : "?",
                r -> r.get("reason").asText(), (a, b) -> a + " | " + b));
        String all = String.join("\n", reasons.values());
        assertTrue(all.contains("an id with control characters"), all);
        assertTrue(all.contains("over the limit of"), all);
        assertTrue(all.contains("not a mention"), all);
        assertTrue(all.contains("createdAt out of range"), all);
        assertTrue(all.contains("cannot be stored"), all);
        assertEquals(null, stored("mastodon:" + p + "far"));
        assertEquals(null, stored("mastodon:" + p + "bulky"));
        assertEquals(null, stored("mastodon:" + p + "wrongtype"));
        for (JsonNode rejection : ours(dead, p)) {
            assertTrue(Contracts.validate("mention-rejected.schema.json", rejection.toString()).isEmpty(),
                    rejection.toString());
        }
    }

    /** Characters of three UTF-8 bytes each that do not compress: an index cannot hold a thousand of them. */
    static String wide(int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.appendCodePoint(0x4E00 + (int) ((i * 7919L) % 20_000));
        }
        return out.toString();
    }

    private static List<JsonNode> ours(List<ConsumerRecord<String, String>> records, String p) {
        return records.stream().filter(r -> r.value().contains(p)).map(r -> Contracts.tree(r.value())).toList();
    }

    private String stored(String id) throws SQLException {
        return (String) StoredRows.value(dataSource, "select payload from mention where id = ?", id);
    }
}
