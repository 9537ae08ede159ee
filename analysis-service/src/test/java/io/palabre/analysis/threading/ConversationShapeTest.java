package io.palabre.analysis.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.palabre.analysis.domain.ConversationUpdated;

/**
 * Conversation shape on hand-built reply trees whose answers were worked out by hand; plain JUnit.
 */
class ConversationShapeTest {

    private static final Instant T = Instant.parse("2026-02-01T00:00:00Z");

    @Test
    void depthBranchingParticipantsAndSpanOfAFullTree() {
        // r <- a <- b <- c, and r <- d, r <- e: depth 3, r has three direct replies.
        ConversationShape shape = new ConversationShape("r", java.util.Set.of());
        shape.add("r", "post", null, "u1", T, "x", "en");
        shape.add("a", "post", "r", "u2", T.plusSeconds(10), "x", "en");
        shape.add("b", "post", "a", "u1", T.plusSeconds(20), "x", "fr");
        shape.add("c", "post", "b", "u3", T.plusSeconds(30), "x", null);
        shape.add("d", "post", "r", "u3", T.plusSeconds(5), "x", "en");
        shape.add("e", "post", "r", "u4", T.plusSeconds(40), "x", "en");
        ConversationUpdated u = shape.toEvent(List.of(), T);
        assertEquals(6, u.size());
        assertEquals(3, u.depth());
        assertEquals(3, u.maxBranching());
        assertEquals(4, u.participants());
        assertEquals(List.of("en", "fr"), u.languages());
        assertEquals(T, u.firstActivityAt());
        assertEquals(T.plusSeconds(40), u.lastActivityAt());
        assertTrue(u.rootPresent());
    }

    @Test
    void missingLinksCountAsOneStep() {
        // Root missing; a answers the root (depth 1); b answers a missing post m (m at depth >= 1, b at 2);
        // c answers b (3).
        ConversationShape shape = new ConversationShape("r", java.util.Set.of());
        shape.add("a", "post", "r", "u1", T, "bluesky", null);
        shape.add("b", "post", "m", "u2", T, "bluesky", null);
        shape.add("c", "post", "b", "u3", T, "bluesky", null);
        ConversationUpdated u = shape.toEvent(List.of(), T);
        assertFalse(u.rootPresent());
        assertEquals(3, u.depth());
    }

    @Test
    void repostsAloneFormNoConversation() {
        ConversationShape shape = new ConversationShape("x:1", java.util.Set.of());
        shape.add("x:1", "repost", null, "u1", T, "x", null);
        assertFalse(shape.hasPosts());
    }

    @Test
    void aReplyCycleDoesNotLoopForever() {
        ConversationShape shape = new ConversationShape("r", java.util.Set.of());
        shape.add("a", "post", "b", "u1", T, "x", null);
        shape.add("b", "post", "a", "u2", T, "x", null);
        assertTrue(shape.toEvent(List.of(), T).depth() >= 1);
    }
}
