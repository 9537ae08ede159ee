package io.palabre.analysis;

import static io.palabre.analysis.Mentions.post;
import static io.palabre.analysis.Mentions.record;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
 * Mentions sent to the real broker, threaded by analysis-service into the real PostgreSQL; nothing is stubbed.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class ThreadingTest {

    private static final Instant T0 = Instant.parse("2026-01-10T10:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void replyArrivingBeforeItsParentJoinsTheSameConversation() throws Exception {
        String p = prefix();
        // Mastodon states no root: C answers B answers A, and they arrive C, B, A.
        send(post("mastodon", p + "c", "carol", p + "b", null, T0.plusSeconds(120)));
        awaitConversation("mastodon:" + p + "c", "mastodon:" + p + "b");
        send(post("mastodon", p + "b", "bob", p + "a", null, T0.plusSeconds(60)));
        send(post("mastodon", p + "a", "alice", null, null, T0));

        String root = "mastodon:" + p + "a";
        // b alone already makes a (still missing) the root of b and c; a itself may come in a later batch.
        awaitConversation("mastodon:" + p + "c", root);
        awaitConversation(root, root);
        assertEquals(root, conversationOf("mastodon:" + p + "b"));
        Map<String, Object> conversation = conversation(root);
        assertEquals(3, conversation.get("size"));
        assertEquals(2, conversation.get("depth"));
        assertEquals(3, conversation.get("participants"));
        assertEquals(true, conversation.get("root_present"));
        assertEquals(0L, count("select count(*) from conversation where id like ? and id <> ?", "mastodon:" + p + "%",
                root));
    }

    @Test
    void fragmentsMergeWhenTheMissingLinkShowsUp() throws Exception {
        String p = prefix();
        send(post("mastodon", p + "a", "alice", null, null, T0));
        awaitConversation("mastodon:" + p + "a", "mastodon:" + p + "a");
        send(post("mastodon", p + "c", "carol", p + "b", null, T0.plusSeconds(120)));
        send(post("mastodon", p + "d", "dave", p + "c", null, T0.plusSeconds(180)));
        awaitConversation("mastodon:" + p + "d", "mastodon:" + p + "b");
        assertEquals(2, conversation("mastodon:" + p + "b").get("size"));

        send(post("mastodon", p + "b", "bob", p + "a", null, T0.plusSeconds(60)));
        String root = "mastodon:" + p + "a";
        awaitConversation("mastodon:" + p + "d", root);
        assertEquals(4, conversation(root).get("size"));
        assertEquals(3, conversation(root).get("depth"));
        assertTrue(conversation("mastodon:" + p + "b").isEmpty(), "the fragment is gone");

        List<ConsumerRecord<String, String>> updates = TopicRecords.readUntil(bootstrap, "conversations",
                rs -> rs.stream().anyMatch(r -> r.key().equals(root) && r.value().contains("mastodon:" + p + "b\"")),
                Duration.ofSeconds(30));
        JsonNode merge = updates.stream().filter(r -> r.key().equals(root) && r.value().contains(p + "b\""))
                .map(r -> Contracts.tree(r.value())).reduce((a, b) -> b).orElseThrow();
        assertEquals("mastodon:" + p + "b", merge.get("mergedFrom").get(0).asText());
        assertTrue(Contracts.validate("conversation-updated.schema.json", merge.toString()).isEmpty(),
                merge.toString());
    }

    @Test
    void statedRootGroupsRepliesWhoseParentsAreMissing() throws Exception {
        String p = prefix();
        send(post("bluesky", p + "r2", "erin", p + "r1", p + "root", T0.plusSeconds(30)));
        send(post("bluesky", p + "r3", "fay", p + "r2", p + "root", T0.plusSeconds(40)));
        String root = "bluesky:" + p + "root";
        awaitConversation("bluesky:" + p + "r3", root);
        assertEquals(root, conversationOf("bluesky:" + p + "r2"));
        Map<String, Object> conversation = conversation(root);
        assertEquals(false, conversation.get("root_present"));
        assertEquals(3, conversation.get("depth"), "root, missing r1, r2, r3");
    }

    @Test
    void sameMentionTwiceGivesOneRowAndTheSameState() throws Exception {
        String p = prefix();
        ObjectNode a = post("x", p + "1", "xavier", null, p + "1", T0);
        ObjectNode b = post("x", p + "2", "yara", p + "1", p + "1", T0.plusSeconds(5));
        send(a, b);
        awaitConversation("x:" + p + "2", "x:" + p + "1");
        Map<String, Object> before = conversation("x:" + p + "1");
        send(a, b, a);
        String marker = prefix();
        send(post("x", marker, "zed", null, null, T0));
        awaitConversation("x:" + marker, "x:" + marker);
        assertEquals(2L, count("select count(*) from mention where id like ?", "x:" + p + "%"));
        Map<String, Object> after = conversation("x:" + p + "1");
        for (String bookkeeping : List.of("updated_at", "revision")) {
            before.remove(bookkeeping);
            after.remove(bookkeeping);
        }
        assertEquals(before, after);
    }

    @Test
    void deleteBeforeItsPostStoresThePostAsDeletedAndEditsReplaceTheText() throws Exception {
        String p = prefix();
        ObjectNode gone = post("reddit", "t1_" + p + "gone", "ann", null, "t3_" + p, T0);
        ObjectNode delete = gone.deepCopy();
        delete.put("kind", "delete");
        delete.put("text", "");
        send(delete);
        send(gone);
        ObjectNode kept = post("reddit", "t1_" + p + "kept", "ben", null, "t3_" + p, T0);
        send(kept);
        ObjectNode edit = kept.deepCopy();
        edit.put("kind", "edit");
        edit.put("text", "better words");
        send(edit);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "select count(*) from mention where id = ? and edited", "reddit:t1_" + p + "kept") == 1);
        assertEquals(1L, count("select count(*) from mention where id = ? and deleted and payload like '%\"text\":\"\"%'",
                "reddit:t1_" + p + "gone"));
        assertEquals(1L, count("select count(*) from mention where id = ? and payload like '%better words%'",
                "reddit:t1_" + p + "kept"));
    }

    @Test
    void recordThatIsNotAMentionGoesToTheDeadLetterTopicAndTheNextOneIsStored() throws Exception {
        String p = prefix();
        TopicRecords.send(bootstrap, "mentions", List.of(new String[] { p, "{\"id\":\"" + p + "\", broken" },
                new String[] { p, "{\"id\":\"x:" + p + "\",\"kind\":\"post\"}" }));
        send(post("x", p + "ok", "olga", null, null, T0));
        awaitConversation("x:" + p + "ok", "x:" + p + "ok");
        List<ConsumerRecord<String, String>> dead = TopicRecords.readUntil(bootstrap, "mentions-dlq",
                rs -> rs.stream().filter(r -> r.value().contains(p)).count() >= 2, Duration.ofSeconds(30));
        List<JsonNode> ours = dead.stream().filter(r -> r.value().contains(p)).map(r -> Contracts.tree(r.value()))
                .toList();
        assertEquals(2, ours.size());
        assertTrue(ours.stream().anyMatch(r -> r.get("reason").asText().startsWith("not a mention")
                && r.get("payload").asText().endsWith("broken")), ours.toString());
        assertTrue(ours.stream().anyMatch(r -> r.get("reason").asText().equals("missing or invalid platform")),
                ours.toString());
        for (JsonNode rejection : ours) {
            assertTrue(Contracts.validate("mention-rejected.schema.json", rejection.toString()).isEmpty());
        }
    }

    @Test
    void threadedMentionsFollowTheirContract() throws Exception {
        String p = prefix();
        send(post("hackernews", p + "story", "pg", null, null, T0),
                post("hackernews", p + "c1", "dang", p + "story", p + "story", T0.plusSeconds(9)));
        List<ConsumerRecord<String, String>> records = TopicRecords.readUntil(bootstrap, "threaded-mentions",
                rs -> rs.stream().filter(r -> r.value().contains(p)).count() >= 2, Duration.ofSeconds(30));
        List<ConsumerRecord<String, String>> ours = records.stream().filter(r -> r.value().contains(p)).toList();
        assertFalse(ours.isEmpty());
        for (ConsumerRecord<String, String> r : ours) {
            assertEquals("hackernews:" + p + "story", r.key());
            assertTrue(Contracts.validate("mention-threaded.schema.json", r.value()).isEmpty(), r.value());
        }
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

    private void awaitConversation(String mentionId, String expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> expected.equals(conversationOf(mentionId)));
    }

    private String conversationOf(String mentionId) throws SQLException {
        return StoredConversations.conversationOf(dataSource, mentionId);
    }

    private Map<String, Object> conversation(String id) throws SQLException {
        Map<String, Object> row = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select * from conversation where id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        Object value = rs.getObject(i);
                        row.put(rs.getMetaData().getColumnName(i),
                                value instanceof java.sql.Array array ? List.of((Object[]) array.getArray()) : value);
                    }
                }
            }
        }
        return row;
    }

    private long count(String sql, String... params) throws SQLException {
        return StoredRows.count(dataSource, sql, params);
    }

}
