package io.palabre.analysis.threading;

import static io.palabre.analysis.Mentions.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.analysis.domain.MentionCaptured;
import io.palabre.analysis.domain.MentionThreaded;
import io.palabre.analysis.domain.RelationshipUpdated;
import io.palabre.testing.LocalRuntimeResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A batch whose transactions committed but whose outcome was never published (the process died before the broker
 * acknowledged it) is received again: it must publish what its first attempt changed, including the stored posts
 * that learnt an author from it, which no longer wait. Real PostgreSQL.
 */
@QuarkusTest
@WithTestResource(LocalRuntimeResource.class)
class ReplayedBatchTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();
    private static final Instant T0 = Instant.parse("2026-05-02T09:00:00Z");

    @Inject
    ThreadingService threading;

    @Test
    void aReplayPublishesAgainThePostsWhoseAuthorsItsFirstAttemptResolved() throws Exception {
        String p = UUID.randomUUID().toString().substring(0, 8) + "-";
        String original = "bluesky:" + p + "a";
        String repost = "bluesky:" + p + "r";
        String quote = "bluesky:" + p + "q";
        // A repost and a quote of a post that has not arrived: neither knows whose post it points at.
        ObjectNode r = post("bluesky", p + "r", "rita", null, null, T0.plusSeconds(60));
        r.put("kind", "repost");
        r.put("repostOf", original);
        r.put("text", "");
        ObjectNode q = post("bluesky", p + "q", "quinn", null, null, T0.plusSeconds(90));
        q.put("quoteOf", original);
        ThreadingService.Outcome waiting = threading.apply(List.of(received(r), received(q)));
        assertTrue(waiting.relationships().isEmpty(), "no author known yet: " + waiting.relationships());

        ObjectNode a = post("bluesky", p + "a", "alice", null, null, T0);
        ThreadingService.Outcome first = threading.apply(List.of(received(a)));
        assertEquals(2, first.relationships().size(), "the first attempt resolves both: " + first.relationships());

        // The first attempt's outcome is lost; the batch is received again.
        ThreadingService.Outcome replay = threading.apply(List.of(received(a)));

        assertEquals(1, replay.duplicates());
        for (String id : List.of(repost, quote)) {
            MentionThreaded published = replay.mentions().stream().filter(m -> m.mention().contains('"' + id + '"'))
                    .findFirst().orElseThrow(() -> new AssertionError(id + " is not published again"));
            MentionThreaded before = first.mentions().stream().filter(m -> m.mention().contains('"' + id + '"'))
                    .findFirst().orElseThrow();
            assertEquals(before.version(), published.version(), "published as stored, not changed again");
            assertEquals(before.relationships(), published.relationships());
            assertEquals(1, published.relationships().size());
            assertEquals("bluesky:alice", published.relationships().get(0).accountId());
        }
        assertEquals(first.relationships(), replay.relationships(),
                "the relationships are published again, unchanged");
        RelationshipUpdated reposted = replay.relationships().stream().filter(u -> u.type().equals("repost"))
                .findFirst().orElseThrow();
        assertEquals("bluesky:rita", reposted.sourceId());
        assertEquals(1, reposted.weight());
    }

    private static ReceivedMention received(ObjectNode node) throws Exception {
        String json = node.toString();
        MentionCaptured m = MAPPER.readValue(json, MentionCaptured.class);
        return new ReceivedMention(m, json, "mentions/0", m.id(), 0, null, false);
    }
}
