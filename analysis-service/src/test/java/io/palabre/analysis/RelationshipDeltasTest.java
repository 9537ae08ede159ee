package io.palabre.analysis;

import static io.palabre.analysis.Mentions.post;
import static io.palabre.analysis.Mentions.record;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.palabre.analysis.domain.RelationshipUpdated;
import io.palabre.testing.LocalRuntimeResource;
import io.palabre.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The maintained relationship table against its definition, through the real broker and database: after posts among
 * a few authors, edits that change whom they name, versions that move a post earlier, and deletes, all shuffled, each
 * relationship's weight, first and last time equal what the stored mentions make (recomputed by the windowed query).
 * Withdrawals are applied by delta; this checks that the delta is exact, the boundary cases included.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class RelationshipDeltasTest {

    private static final Instant T0 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private static final int POSTS = 60;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource dataSource;


    @Test
    void withdrawalsByDeltaLeaveWhatTheMentionsMake() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8) + "-";
        Random random = new Random(17);
        String[] authors = new String[5];
        for (int i = 0; i < authors.length; i++) {
            authors[i] = p + "author" + i;
        }
        List<ObjectNode> posts = new ArrayList<>();
        List<String[]> records = new ArrayList<>();
        for (int i = 0; i < POSTS; i++) {
            String author = authors[random.nextInt(authors.length)];
            ObjectNode parent = i == 0 || random.nextInt(4) == 0 ? null : posts.get(random.nextInt(posts.size()));
            // Posts a minute apart, several at the same second: ties at the first and last time are common.
            Instant at = T0.plusSeconds(60L * (i / 3));
            ObjectNode post = post("x", p + i, author, parent == null ? null : parent.get("id").asText().substring(2),
                    null, at);
            if (parent != null) {
                ((ObjectNode) post.get("replyTo")).put("authorId", parent.get("author").get("id").asText());
            }
            name(post, authors[random.nextInt(authors.length)], authors[random.nextInt(authors.length)]);
            posts.add(post);
            records.add(record(post));
        }
        for (int i = 0; i < 25; i++) {
            ObjectNode edit = posts.get(random.nextInt(POSTS)).deepCopy();
            edit.put("kind", "edit");
            edit.put("createdAt", Instant.parse(edit.get("createdAt").asText()).plusSeconds(600 + i).toString());
            name(edit, authors[random.nextInt(authors.length)]);
            records.add(record(edit));
        }
        for (int i = 0; i < 12; i++) {
            ObjectNode earlier = posts.get(random.nextInt(POSTS)).deepCopy();
            earlier.put("createdAt", Instant.parse(earlier.get("createdAt").asText()).minusSeconds(30 + i).toString());
            records.add(record(earlier));
        }
        for (int i = 0; i < 8; i++) {
            ObjectNode delete = posts.get(random.nextInt(POSTS)).deepCopy();
            delete.put("kind", "delete");
            records.add(record(delete));
        }
        Collections.shuffle(records, random);
        // In a few sends, so that versions meet stored posts as well as posts of their own batch.
        for (int from = 0; from < records.size(); from += 20) {
            TopicRecords.send(bootstrap, "mentions", records.subList(from, Math.min(records.size(), from + 20)));
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> StoredRows.count(dataSource, "select count(*) from mention where id like ?",
                        "x:" + p + "%") == POSTS);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Map<String, String> maintained = described(RecountedRelationships.allTime(dataSource, null, 1, 100_000), p);
            Map<String, String> recomputed = described(RecountedRelationships.window(dataSource, Instant.EPOCH,
                    Instant.now().plus(1, ChronoUnit.DAYS), null, 1, 100_000), p);
            assertTrue(maintained.size() > 20, "relationships made: " + maintained.size());
            assertEquals(recomputed, maintained);
        });
        assertTrue(StoredRows.count(dataSource, "select count(*) from mention where id like ? and deleted",
                "x:" + p + "%") > 0, "some posts deleted");
        assertTrue(StoredRows.count(dataSource, "select count(*) from mention where id like ? and edited",
                "x:" + p + "%") > 0, "some posts edited");
    }

    private static void name(ObjectNode post, String... handles) {
        ArrayNode array = post.putArray("mentions");
        for (String h : handles) {
            array.addObject().put("id", "x:" + h).put("handle", h);
        }
    }

    /** Each relationship of this test: weight, first and last time. */
    private static Map<String, String> described(List<RelationshipUpdated> all, String p) {
        Map<String, String> out = new TreeMap<>();
        for (RelationshipUpdated r : all) {
            if (r.sourceId().contains(p)) {
                out.put(r.type() + "|" + r.sourceId() + "|" + r.targetId(), r.weight() + " " + r.firstSeenAt() + " "
                        + r.lastSeenAt());
            }
        }
        return out;
    }
}
