package io.palabre.ingest.connector.bluesky;

import java.util.TreeMap;

/**
 * Which Jetstream cursor may be saved, and when to pause the stream. Events are handled in stream order, each with the
 * publications it caused; the cursor may move to an event's time only once that event and every earlier one are
 * handled and all their publications acknowledged. A failed publication holds the cursor just before its event until
 * the stream is replayed from there ({@link #restart}). Too many publications in flight pause the reading, which
 * resumes once half of them are acknowledged.
 */
final class PublicationWatermark {

    private final int maxInFlight;
    private final TreeMap<Long, Integer> open = new TreeMap<>();
    private long generation;
    private long handled;
    private long failedAt = Long.MAX_VALUE;
    private int inFlight;
    private boolean paused;

    PublicationWatermark(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    /** A publication of the event at {@code timeUs} is on its way; returns the token its outcome must bring back. */
    synchronized long sent(long timeUs) {
        open.merge(timeUs, 1, Integer::sum);
        inFlight++;
        return generation;
    }

    /** Every publication of the event at {@code timeUs}, the latest in stream order, has been sent. */
    synchronized void handled(long timeUs) {
        handled = timeUs;
    }

    /**
     * The broker's answer for one publication (failed or not); returns whether the paused stream may read again. An
     * answer from before the last {@link #restart} is ignored.
     */
    synchronized boolean answered(long token, long timeUs, boolean failed) {
        if (token != generation) {
            return false;
        }
        open.computeIfPresent(timeUs, (t, n) -> n == 1 ? null : n - 1);
        inFlight--;
        if (failed) {
            failedAt = Math.min(failedAt, timeUs);
        }
        if (paused && inFlight <= maxInFlight / 2) {
            paused = false;
            return true;
        }
        return false;
    }

    /** After an event is handled: whether to ask for the next one now (or wait, paused, for acknowledgements). */
    synchronized boolean mayRead() {
        paused = inFlight >= maxInFlight;
        return !paused;
    }

    /** The latest time the cursor may be saved at, or 0 when nothing is safe yet. */
    synchronized long safeCursor() {
        long limit = handled;
        if (!open.isEmpty()) {
            limit = Math.min(limit, open.firstKey() - 1);
        }
        if (failedAt != Long.MAX_VALUE) {
            limit = Math.min(limit, failedAt - 1);
        }
        return Math.max(0, limit);
    }

    /** Whether a publication failed since the last restart: the stream must be replayed from the saved cursor. */
    synchronized boolean failed() {
        return failedAt != Long.MAX_VALUE;
    }

    synchronized int inFlight() {
        return inFlight;
    }

    /** The stream starts again from the saved cursor: what was in flight is forgotten, answers to it ignored. */
    synchronized void restart() {
        generation++;
        open.clear();
        handled = 0;
        failedAt = Long.MAX_VALUE;
        inFlight = 0;
        paused = false;
    }
}
