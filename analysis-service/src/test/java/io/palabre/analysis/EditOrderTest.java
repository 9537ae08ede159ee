package io.palabre.analysis;

import static io.palabre.analysis.Mentions.post;
import static io.palabre.analysis.Mentions.record;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.palabre.testing.Contracts;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every arrival order of a post's versions, sent to the real broker and stored by analysis-service in the real
 * PostgreSQL, ends in the same state, and redelivering an old version changes nothing.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class EditOrderTest {

    private static final Instant T0 = Instant.parse("2026-03-03T10:00:00Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theNewestEditWinsInEveryArrivalOrderAndRedeliveryChangesNothing() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        List<List<Integer>> orders = permutations(List.of(0, 1, 2, 3));
        // For each order, its own post: the original and three edits, sent one round per position, so that the
        // versions of one post land in different polls.
        for (int position = 0; position < 4; position++) {
            List<String[]> round = new ArrayList<>();
            for (int o = 0; o < orders.size(); o++) {
                round.add(record(version(p + o, orders.get(o).get(position))));
            }
            TopicRecords.send(bootstrap, "mentions", round);
        }
        // Redelivery of the first edit after everything, as a replay would.
        List<String[]> again = new ArrayList<>();
        for (int o = 0; o < orders.size(); o++) {
            again.add(record(version(p + o, 1)));
        }
        TopicRecords.send(bootstrap, "mentions", again);
        TopicRecords.send(bootstrap, "mentions", List.<String[]> of(record(post("reddit", "t1_" + p + "marker",
                "zed", null, "t3_" + p, T0))));
        await().atMost(Duration.ofSeconds(60)).until(() -> text("reddit:t1_" + p + "marker") != null);
        // The marker is a new post, stored by its batch's first transaction; the versions before it change stored
        // posts, which the batch's second transaction does a moment later.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int o = 0; o < orders.size(); o++) {
                String id = "reddit:t1_" + p + o;
                assertEquals("third edit", text(id), "order " + orders.get(o));
                assertEquals(T0, instant("select created_at from mention where id = ?", id), "order " + orders.get(o));
                assertEquals(T0.plusSeconds(300), instant("select version_at from mention where id = ?", id));
                assertEquals(1L, count("select count(*) from mention where id = ? and edited and kind = 'post'", id));
            }
        });
    }

    @Test
    void aDeleteWinsOverEveryEditInEveryArrivalOrder() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8);
        List<List<Integer>> orders = permutations(List.of(1, 2, 3, 4));
        for (int position = 0; position < 4; position++) {
            List<String[]> round = new ArrayList<>();
            for (int o = 0; o < orders.size(); o++) {
                int v = orders.get(o).get(position);
                round.add(record(v == 4 ? deletion(p + o) : version(p + o, v)));
            }
            TopicRecords.send(bootstrap, "mentions", round);
        }
        List<String[]> originals = new ArrayList<>();
        for (int o = 0; o < orders.size(); o++) {
            originals.add(record(version(p + o, 0)));
        }
        TopicRecords.send(bootstrap, "mentions", originals);
        TopicRecords.send(bootstrap, "mentions", List.<String[]> of(record(post("reddit", "t1_" + p + "marker",
                "zed", null, "t3_" + p, T0))));
        await().atMost(Duration.ofSeconds(60)).until(() -> text("reddit:t1_" + p + "marker") != null);
        // As above: the originals after the deletes are applied by the second transaction of the marker's batch.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int o = 0; o < orders.size(); o++) {
                String id = "reddit:t1_" + p + o;
                assertEquals("", text(id), "order " + orders.get(o));
                assertEquals(1L, count("select count(*) from mention where id = ? and deleted", id));
                assertEquals(T0, instant("select created_at from mention where id = ?", id));
            }
        });
    }

    /** Version 0 is the original post at T0; version n an edit n minutes later. */
    private static ObjectNode version(String local, int n) {
        ObjectNode m = post("reddit", "t1_" + local, "ann", null, "t3_" + local.substring(0, 8), T0.plusSeconds(100L * n));
        if (n > 0) {
            m.put("kind", "edit");
            m.put("text", List.of("", "first edit", "second edit", "third edit").get(n));
        }
        return m;
    }

    private static ObjectNode deletion(String local) {
        ObjectNode m = post("reddit", "t1_" + local, "ann", null, "t3_" + local.substring(0, 8), T0.plusSeconds(400));
        m.put("kind", "delete");
        m.put("text", "");
        return m;
    }

    private static List<List<Integer>> permutations(List<Integer> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<Integer>> all = new ArrayList<>();
        for (Integer first : items) {
            List<Integer> rest = new ArrayList<>(items);
            rest.remove(first);
            for (List<Integer> tail : permutations(rest)) {
                List<Integer> order = new ArrayList<>();
                order.add(first);
                order.addAll(tail);
                all.add(order);
            }
        }
        return all;
    }

    private String text(String id) throws SQLException {
        Object payload = StoredRows.value(dataSource, "select payload from mention where id = ?", id);
        return payload == null ? null : Contracts.tree((String) payload).get("text").asText();
    }

    private Instant instant(String sql, String id) throws SQLException {
        return ((java.sql.Timestamp) StoredRows.value(dataSource, sql, id)).toInstant();
    }

    private long count(String sql, String id) throws SQLException {
        return StoredRows.count(dataSource, sql, id);
    }
}
