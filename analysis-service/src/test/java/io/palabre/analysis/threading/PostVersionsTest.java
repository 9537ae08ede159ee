package io.palabre.analysis.threading;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/**
 * The rule that picks a post's winning version, alone: plain JUnit, nothing else involved.
 */
class PostVersionsTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void laterVersionWinsWhateverItsKind() {
        assertTrue(PostVersions.isNewer(T.plusSeconds(1), false, "a", T, () -> true, "z"));
        assertFalse(PostVersions.isNewer(T, true, "z", T.plusSeconds(1), () -> false, "a"));
    }

    @Test
    void atTheSameTimeAnEditWinsOverTheOriginal() {
        assertTrue(PostVersions.isNewer(T, true, "a", T, () -> false, "z"));
        assertFalse(PostVersions.isNewer(T, false, "z", T, () -> true, "a"));
    }

    @Test
    void twoCapturesOfTheSameEditSettleOnTheLargerPayloadAndTheSameAgainChangesNothing() {
        assertTrue(PostVersions.isNewer(T, true, "b", T, () -> true, "a"));
        assertFalse(PostVersions.isNewer(T, true, "a", T, () -> true, "b"));
        assertFalse(PostVersions.isNewer(T, true, "a", T, () -> true, "a"));
    }

    @Test
    void theStoredKindIsReadOnlyAtATie() {
        assertTrue(PostVersions.isNewer(T.plusSeconds(1), false, "a", T, () -> {
            throw new AssertionError("read");
        }, "b"));
    }
}
