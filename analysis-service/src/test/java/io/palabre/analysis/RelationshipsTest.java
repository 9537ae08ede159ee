package io.palabre.analysis;

import static io.palabre.analysis.Mentions.post;
import static io.palabre.analysis.Mentions.record;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.palabre.analysis.domain.RelationshipUpdated;
import io.palabre.analysis.messaging.MetricsSchedule;
import io.palabre.testing.Contracts;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Relationships, organisation accounts and graph metrics through the real broker and database.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class RelationshipsTest {

    private static final Instant T0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource dataSource;


    @Inject
    MetricsSchedule metrics;

    @Test
    void relationshipsDoNotDependOnArrivalOrderAndFollowDeletesAndEdits() throws Exception {
        String p = prefix();
        ObjectNode original = post("x", p + "1", p + "cat", null, p + "1", T0);
        ObjectNode quote = post("x", p + "2", p + "dan", null, p + "2", T0.plusSeconds(60));
        quote.put("quoteOf", "x:" + p + "1");
        ObjectNode repost = post("x", p + "3", p + "eve", null, p + "3", T0.plusSeconds(70));
        repost.put("kind", "repost");
        repost.put("repostOf", "x:" + p + "1");
        ObjectNode reply = post("x", p + "4", p + "ann", p + "1", p + "1", T0.plusSeconds(80));
        ((ObjectNode) reply.get("replyTo")).put("authorId", "x:" + p + "cat");
        named(reply, p + "bob", p + "cat");
        ObjectNode answer = post("x", p + "5", p + "bob", p + "4", p + "1", T0.plusSeconds(90));

        // The quote and the repost come before the post they point at; the answer states no parent author.
        send(quote, repost);
        send(answer);
        send(reply, reply);
        send(original);
        Map<String, Integer> expected = new TreeMap<>(Map.of(
                "quote|" + p + "dan|" + p + "cat", 1,
                "repost|" + p + "eve|" + p + "cat", 1,
                "reply|" + p + "ann|" + p + "cat", 1,
                "mention|" + p + "ann|" + p + "bob", 1,
                "reply|" + p + "bob|" + p + "ann", 1));
        awaitRelationships(p, expected);

        // The quote was published without its target, and again once the quoted post told whom it quotes.
        List<ConsumerRecord<String, String>> threaded = TopicRecords.readUntil(bootstrap, "threaded-mentions",
                rs -> rs.stream().anyMatch(r -> r.value().contains("\"accountId\":\"x:" + p + "cat\"")
                        && r.value().contains("\"id\":\"x:" + p + "2\"")), Duration.ofSeconds(30));
        JsonNode resolvedQuote = threaded.stream().map(r -> Contracts.tree(r.value()))
                .filter(t -> t.get("mention").get("id").asText().equals("x:" + p + "2")).reduce((x, y) -> y)
                .orElseThrow();
        assertEquals("quote", resolvedQuote.get("relationships").get(0).get("type").asText(), resolvedQuote.toString());
        assertTrue(Contracts.validate("mention-threaded.schema.json", resolvedQuote.toString()).isEmpty());

        // Deleting the reply withdraws what it said; editing the quote to name bob adds a mention.
        ObjectNode delete = reply.deepCopy();
        delete.put("kind", "delete");
        ObjectNode edit = quote.deepCopy();
        edit.put("kind", "edit");
        named(edit, p + "bob");
        send(delete, edit);
        expected.remove("reply|" + p + "ann|" + p + "cat");
        expected.remove("mention|" + p + "ann|" + p + "bob");
        expected.put("mention|" + p + "dan|" + p + "bob", 1);
        awaitRelationships(p, expected);

        // The maintained table equals the relationships recomputed from the mentions.
        Map<String, Integer> recomputed = RecountedRelationships.window(dataSource, Instant.EPOCH, Instant.now(), null, 1, 10_000).stream()
                .filter(r -> r.sourceId().contains(p)).collect(Collectors.toMap(RelationshipsTest::key,
                        RelationshipUpdated::weight, (a, b) -> a, TreeMap::new));
        assertEquals(expected, recomputed);

        List<ConsumerRecord<String, String>> published = TopicRecords.readUntil(bootstrap, "relationships",
                rs -> rs.stream().anyMatch(r -> r.key().equals("mention|x:" + p + "dan|x:" + p + "bob")),
                Duration.ofSeconds(30));
        List<ConsumerRecord<String, String>> ours = published.stream().filter(r -> r.key().contains(p)).toList();
        for (ConsumerRecord<String, String> r : ours) {
            assertTrue(Contracts.validate("relationship-updated.schema.json", r.value()).isEmpty(), r.value());
        }
        JsonNode withdrawn = ours.stream().filter(r -> r.key().equals("reply|x:" + p + "ann|x:" + p + "cat"))
                .map(r -> Contracts.tree(r.value())).reduce((a, b) -> b).orElseThrow();
        assertEquals(0, withdrawn.get("weight").asInt(), withdrawn.toString());
        assertEquals(2, withdrawn.get("version").asInt(), "created, then withdrawn: " + withdrawn);
    }

    @Test
    void organisationAccountsComeFromQueriesAndGraphMetricsFromTheScheduledRun() throws Exception {
        String p = prefix();
        String acme = "x:" + p + "acme";
        ObjectNode root = post("x", p + "1", p + "acme", null, p + "1", T0);
        ObjectNode question = post("x", p + "2", p + "ann", p + "1", p + "1", T0.plusSeconds(60));
        ((ObjectNode) question.get("replyTo")).put("authorId", acme);
        ObjectNode answer = post("x", p + "3", p + "acme", p + "2", p + "1", T0.plusSeconds(660));
        ((ObjectNode) answer.get("replyTo")).put("authorId", "x:" + p + "ann");
        ObjectNode unanswered = post("x", p + "4", p + "bob", null, p + "4", T0.plusSeconds(120));
        named(unanswered, p + "acme");
        send(root, question, answer, unanswered);
        awaitConversationFlag("x:" + p + "1", false);

        TopicRecords.send(bootstrap, "queries", List.<String[]> of(new String[] { "q-" + p, "{\"id\":\"q-" + p
                + "\",\"name\":\"Acme " + p + "\",\"organisationAccounts\":[\"" + acme + "\"]}" }));
        awaitConversationFlag("x:" + p + "1", true);
        awaitConversationFlag("x:" + p + "4", false);

        // The scheduled run: graph metrics for every account.
        assertTrue(metrics.runOnce());
        assertEquals(1L, count("select count(*) from account_metric where account_id = ?", acme));
        List<ConsumerRecord<String, String>> accountMetrics = TopicRecords.readUntil(bootstrap, "account-metrics",
                rs -> rs.stream().anyMatch(r -> r.key().equals(acme)), Duration.ofSeconds(30));
        JsonNode acmeMetrics = accountMetrics.stream().filter(r -> r.key().equals(acme))
                .map(r -> Contracts.tree(r.value())).reduce((a, b) -> b).orElseThrow();
        assertTrue(Contracts.validate("account-metrics.schema.json", acmeMetrics.toString()).isEmpty(),
                acmeMetrics.toString());
        assertEquals(1, acmeMetrics.get("degrees").get("reply").get("in").asInt(), acmeMetrics.toString());
        assertEquals(1, acmeMetrics.get("degrees").get("mention").get("in").asInt(), acmeMetrics.toString());
        assertEquals(0.5, acmeMetrics.get("reciprocity").asDouble(), 1e-9, "ann both ways, bob one way");
        // Analysts ask dashboard-service: analysis-service answers no question about accounts or dialogue.
        given().when().get("/api/analysis/accounts/{id}", acme).then().statusCode(404);
        given().when().get("/api/analysis/dialogue/{id}", acme).then().statusCode(404);
        given().queryParam("type", "reply").when().get("/api/analysis/relationships").then().statusCode(404);
    }

    private static String key(RelationshipUpdated r) {
        return r.type() + "|" + r.sourceId().substring(2) + "|" + r.targetId().substring(2);
    }

    private static void named(ObjectNode mention, String... handles) {
        var array = mention.putArray("mentions");
        for (String h : handles) {
            ObjectNode a = array.addObject();
            a.put("id", "x:" + h);
            a.put("handle", h);
        }
    }

    private void awaitRelationships(String p, Map<String, Integer> expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertEquals(expected, relationshipsOf(p)));
    }

    private Map<String, Integer> relationshipsOf(String p) throws SQLException {
        Map<String, Integer> found = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select type, source_id, target_id, weight from relationship where source_id like ?")) {
            ps.setString(1, "x:" + p + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1) + "|" + rs.getString(2).substring(2) + "|" + rs.getString(3).substring(2),
                            rs.getInt(4));
                }
            }
        }
        return found;
    }

    private void awaitConversationFlag(String id, boolean expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> count(
                "select count(*) from conversation where id = ? and organisation_took_part = " + expected, id) == 1);
    }

    private long count(String sql, String... params) throws SQLException {
        return StoredRows.count(dataSource, sql, params);
    }


    private static String prefix() {
        return UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    private void send(ObjectNode... mentions) {
        List<String[]> records = new ArrayList<>();
        for (ObjectNode m : mentions) {
            records.add(record(m));
        }
        TopicRecords.send(bootstrap, "mentions", records);
    }
}
