package io.palabre.analysis.threading;

import static io.palabre.analysis.Mentions.post;
import static io.palabre.analysis.Mentions.record;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.palabre.analysis.domain.ConversationUpdated;
import io.palabre.analysis.service.OrganisationAccounts;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Conversations kept up to date batch after batch from cached shapes must equal the same conversations counted again
 * from all their mentions: replies before their parents, fragments merging, stated roots, replays.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class ConversationAggregatesTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OrganisationAccounts organisations;

    @Inject
    MeterRegistry registry;

    @Test
    void conversationsKeptFromCachedShapesEqualConversationsCountedAgain() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8) + "-";
        Random random = new Random(7);
        List<ObjectNode> mentions = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            boolean mastodon = t % 2 == 0;
            String platform = mastodon ? "mastodon" : "bluesky";
            String root = p + "t" + t + "-0";
            int size = 4 + random.nextInt(14);
            for (int i = 0; i < size; i++) {
                String id = p + "t" + t + "-" + i;
                String parent = i == 0 ? null : p + "t" + t + "-" + random.nextInt(i);
                ObjectNode m = post(platform, id, "author" + random.nextInt(6), parent, mastodon ? null : root,
                        T0.plusSeconds(t * 3600L + i * 60L));
                m.put("lang", random.nextBoolean() ? "en" : "fr");
                mentions.add(m);
            }
        }
        Collections.shuffle(mentions, random);
        double hitsBefore = hits();
        // Waves of a few mentions, each stored before the next is sent: every conversation is touched many times.
        for (int from = 0; from < mentions.size(); from += 7) {
            List<ObjectNode> wave = mentions.subList(from, Math.min(mentions.size(), from + 7));
            List<String[]> records = new ArrayList<>();
            wave.forEach(m -> records.add(record(m)));
            if (from % 21 == 0 && from > 0) {
                records.add(record(mentions.get(random.nextInt(from)))); // a replay of a stored mention
            }
            TopicRecords.send(bootstrap, "mentions", records);
            long expected = from + wave.size();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> stored(p) == expected);
        }
        assertTrue(hits() > hitsBefore, "some conversations were kept from their cached shape");

        Map<String, List<Object>> stored = storedConversations(p);
        Map<String, List<Object>> counted = countedAgain(stored.keySet());
        assertEquals(12, stored.size(), stored.keySet()::toString);
        assertEquals(counted, stored);
    }

    private double hits() {
        var counter = registry.find("palabre.analysis.shape.cache").tag("result", "hit").functionCounter();
        return counter == null ? 0 : counter.count();
    }

    private long stored(String p) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from mention where id like ?")) {
            ps.setString(1, "%:" + p + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Map<String, List<Object>> storedConversations(String p) throws SQLException {
        Map<String, List<Object>> rows = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select id, root_present, size, depth, participants, platforms, languages, first_activity_at, "
                        + "last_activity_at, max_branching from conversation where id like ?")) {
            ps.setString(1, "%:" + p + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), List.of(rs.getBoolean(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                            List.of((String[]) rs.getArray(6).getArray()),
                            List.of((String[]) rs.getArray(7).getArray()), rs.getTimestamp(8).toInstant(),
                            rs.getTimestamp(9).toInstant(), rs.getInt(10)));
                }
            }
        }
        return rows;
    }

    /** The same conversations read from all their mentions, with nothing cached, in a transaction rolled back. */
    private Map<String, List<Object>> countedAgain(Set<String> ids) throws SQLException {
        Map<String, List<Object>> rows = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<ConversationUpdated> updates = new ConversationStore(new ShapeCache(0)).update(c, Map.of(),
                        new LinkedHashSet<>(ids), Map.of(), organisations.ids());
                for (ConversationUpdated u : updates) {
                    rows.put(u.id(), List.of(u.rootPresent(), u.size(), u.depth(), u.participants(), u.platforms(),
                            u.languages(), u.firstActivityAt(), u.lastActivityAt(), u.maxBranching()));
                }
            } finally {
                c.rollback();
            }
        }
        return rows;
    }
}
