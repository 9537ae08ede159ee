package io.palabre.ingest.connector.bluesky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The Jetstream cursor and back-pressure rules alone: plain JUnit.
 */
class PublicationWatermarkTest {

    @Test
    void theCursorNeverPassesAPublicationNotYetAcknowledged() {
        PublicationWatermark w = new PublicationWatermark(100);
        long t1 = w.sent(10);
        w.handled(10);
        w.handled(20);
        long t3 = w.sent(30);
        w.handled(30);
        assertEquals(9, w.safeCursor());
        w.answered(t1, 10, false);
        assertEquals(29, w.safeCursor());
        w.answered(t3, 30, false);
        assertEquals(30, w.safeCursor());
    }

    @Test
    void aFailedPublicationHoldsTheCursorBeforeItsEventUntilTheStreamRestarts() {
        PublicationWatermark w = new PublicationWatermark(100);
        long a = w.sent(10);
        w.handled(10);
        long b = w.sent(20);
        w.handled(20);
        long c = w.sent(30);
        w.handled(30);
        w.answered(a, 10, false);
        w.answered(b, 20, true);
        w.answered(c, 30, false);
        assertTrue(w.failed());
        assertEquals(19, w.safeCursor(), "later successes do not carry the cursor past the failure");
        w.restart();
        assertFalse(w.failed());
        assertEquals(0, w.safeCursor(), "nothing is safe again until the replay is handled");
    }

    @Test
    void answersFromBeforeARestartAreIgnored() {
        PublicationWatermark w = new PublicationWatermark(100);
        long old = w.sent(10);
        w.restart();
        long now = w.sent(10);
        w.handled(10);
        w.answered(old, 10, true);
        assertFalse(w.failed());
        assertEquals(9, w.safeCursor());
        w.answered(now, 10, false);
        assertEquals(10, w.safeCursor());
    }

    @Test
    void readingPausesAtTheLimitAndResumesAtHalf() {
        PublicationWatermark w = new PublicationWatermark(4);
        long[] tokens = new long[4];
        for (int i = 0; i < 4; i++) {
            tokens[i] = w.sent(i + 1);
            w.handled(i + 1);
        }
        assertFalse(w.mayRead());
        assertFalse(w.answered(tokens[0], 1, false), "3 in flight: still paused");
        assertTrue(w.answered(tokens[1], 2, false), "2 in flight: read again");
        assertFalse(w.answered(tokens[2], 3, false), "resumed once only");
        assertTrue(w.mayRead());
    }
}
