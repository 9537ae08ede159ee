package io.palabre.analysis.threading;

import static io.palabre.analysis.Mentions.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.palabre.analysis.Mentions;
import io.palabre.analysis.StoredConversations;
import io.palabre.analysis.domain.MentionCaptured;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Replies that name only their parent (Mastodon), routed to their parent's conversation: threaded by the transaction
 * of that conversation's partition when the route still holds, by the one that runs alone when it no longer does.
 * Real broker and PostgreSQL.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class RoutedRepliesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();
    private static final Instant T0 = Instant.parse("2026-05-01T09:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    ThreadingService threading;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry registry;

    @Test
    void aRoutedReplyIsThreadedInItsPartitionsTransaction() throws Exception {
        String p = prefix();
        threading.apply(List.of(received(post("mastodon", p + "a", "alice", null, null, T0), "mastodon:" + p + "a",
                0, false)));
        double local = threaded("partition");
        double cross = threaded("cross");
        threading.apply(List.of(received(post("mastodon", p + "b", "bob", p + "a", null, T0.plusSeconds(60)),
                "mastodon:" + p + "a", 1, true)));
        assertEquals(local + 1, threaded("partition"), "threaded with the partition of its parent's conversation");
        assertEquals(cross, threaded("cross"));
        assertEquals("mastodon:" + p + "a", conversationOf("mastodon:" + p + "b"));
        assertEquals(2L, count("select size from conversation where id = ?", "mastodon:" + p + "a"));
        assertEquals(1L, count("select count(*) from mention where id = ? and reply_to_author_id = 'mastodon:alice'",
                "mastodon:" + p + "b"));
    }

    @Test
    void aRouteThatNoLongerHoldsIsThreadedByTheTransactionThatRunsAlone() throws Exception {
        String p = prefix();
        // c answers b, which is missing: c is stored in the fragment named after b, and a reply d to c is routed there.
        threading.apply(List.of(received(post("mastodon", p + "c", "carol", p + "b", null, T0.plusSeconds(120)),
                "mastodon:" + p + "c", 0, false)));
        assertEquals("mastodon:" + p + "b", conversationOf("mastodon:" + p + "c"));
        // Before d is threaded, b comes: it answers a, so the fragment b merges into a's conversation.
        threading.apply(List.of(received(post("mastodon", p + "a", "alice", null, null, T0), "mastodon:" + p + "a",
                1, false), received(post("mastodon", p + "b", "bob", p + "a", null, T0.plusSeconds(60)),
                        "mastodon:" + p + "b", 2, false)));
        double cross = threaded("cross");
        threading.apply(List.of(received(post("mastodon", p + "d", "dan", p + "c", null, T0.plusSeconds(180)),
                "mastodon:" + p + "b", 0, true)));
        assertEquals(cross + 1, threaded("cross"), "the route named a conversation merged since");
        assertEquals("mastodon:" + p + "a", conversationOf("mastodon:" + p + "d"));
        assertEquals(4L, count("select size from conversation where id = ?", "mastodon:" + p + "a"));
        // A route that names another conversation altogether is not trusted either.
        threading.apply(List.of(received(post("mastodon", p + "e", "eve", p + "d", null, T0.plusSeconds(240)),
                "mastodon:" + p + "elsewhere", 0, true)));
        assertEquals("mastodon:" + p + "a", conversationOf("mastodon:" + p + "e"));
        assertEquals(0L, count("select count(*) from conversation where id = ?", "mastodon:" + p + "elsewhere"));
    }

    @Test
    void aRoutedReplyReceivedAgainAfterItsBatchDiedBetweenItsTransactionsStillMergesWhatWaitedForIt()
            throws Exception {
        String p = prefix();
        String root = "mastodon:" + p + "a";
        String b = "mastodon:" + p + "b";
        threading.apply(List.of(received(post("mastodon", p + "a", "alice", null, null, T0), root, 0, false)));
        // c and d answer b, which is missing: they are stored in the fragment named after b.
        threading.apply(List.of(received(post("mastodon", p + "c", "carol", p + "b", null, T0.plusSeconds(120)),
                "mastodon:" + p + "c", 1, false), received(post("mastodon", p + "d", "dan", p + "c", null,
                        T0.plusSeconds(180)), "mastodon:" + p + "d", 1, false)));
        assertEquals(b, conversationOf("mastodon:" + p + "c"));
        // b is routed to a's conversation; its first transaction commits and its second fails before the merge is
        // written, as when the process dies between them.
        String trigger = "fail_" + p.replace("-", "");
        execute("create function " + trigger + "() returns trigger language plpgsql as $$ begin "
                + "raise exception 'the process died here'; end $$");
        execute("create trigger " + trigger + " before insert on merged_conversation for each row when (new.id = '"
                + b + "') execute function " + trigger + "()");
        ReceivedMention routedB = received(post("mastodon", p + "b", "bob", p + "a", null, T0.plusSeconds(60)),
                root, 0, true);
        try {
            assertThrows(SQLException.class, () -> threading.apply(List.of(routedB)));
        } finally {
            execute("drop trigger " + trigger + " on merged_conversation");
            execute("drop function " + trigger + "()");
        }
        assertEquals(root, conversationOf(b), "the first transaction committed");
        assertEquals(b, conversationOf("mastodon:" + p + "c"), "the merge was not written");

        // Received again, read while routing is off (its check failed after a restart): the transaction that runs
        // alone finds b stored, and b is still the link c and d waited for.
        threading.apply(List.of(received(post("mastodon", p + "b", "bob", p + "a", null, T0.plusSeconds(60)),
                root, 0, false)));

        assertEquals(root, conversationOf("mastodon:" + p + "c"));
        assertEquals(root, conversationOf("mastodon:" + p + "d"));
        assertEquals(4L, count("select size from conversation where id = ?", root));
        assertEquals(0L, count("select count(*) from conversation where id = ?", b));
        assertEquals(1L, count("select count(*) from mention where id = ? and reply_to_author_id = 'mastodon:bob'",
                "mastodon:" + p + "c"), "c learns whom it answers, which also waited for b");
    }

    @Test
    void aReplyFromMentionsWhoseParentIsStoredIsRoutedThroughTheBroker() throws Exception {
        String p = prefix();
        String root = "mastodon:" + p + "a";
        TopicRecords.send(bootstrap, "mentions", List.<String[]> of(Mentions.record(post("mastodon", p + "a",
                "alice", null, null, T0))));
        await().atMost(Duration.ofSeconds(30)).until(() -> root.equals(conversationOf(root)));
        TopicRecords.send(bootstrap, "mentions", List.<String[]> of(Mentions.record(post("mastodon", p + "b", "bob",
                p + "a", null, T0.plusSeconds(60)))));
        await().atMost(Duration.ofSeconds(30)).until(() -> root.equals(conversationOf("mastodon:" + p + "b")));
        List<ConsumerRecord<String, String>> routed = TopicRecords.readUntil(bootstrap, "routed-mentions",
                read -> read.stream().anyMatch(r -> r.value().contains("\"mastodon:" + p + "b\"")),
                Duration.ofSeconds(30));
        ConsumerRecord<String, String> b = routed.stream().filter(r -> r.value().contains("\"mastodon:" + p + "b\""))
                .findFirst().orElseThrow(() -> new AssertionError("the reply was not routed"));
        assertEquals(root, b.key(), "keyed by its parent's conversation");
        assertTrue(registry.get("palabre.analysis.mentions.routed").counter().count() >= 1);
    }

    private double threaded(String transaction) {
        return registry.get("palabre.analysis.threading.records").tag("transaction", transaction).counter().count();
    }

    private static ReceivedMention received(ObjectNode node, String key, int partition, boolean routed)
            throws Exception {
        String json = node.toString();
        MentionCaptured m = MAPPER.readValue(json, MentionCaptured.class);
        return new ReceivedMention(m, json, routed ? "routed-mentions/" + partition : "mentions/" + partition, key,
                partition, null, routed);
    }

    private String conversationOf(String mentionId) throws SQLException {
        return StoredConversations.conversationOf(dataSource, mentionId);
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private long count(String sql, String param) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? ((Number) rs.getObject(1)).longValue() : 0;
            }
        }
    }

    private static String prefix() {
        return UUID.randomUUID().toString().substring(0, 8) + "-";
    }
}
