package io.palabre.ingest.connector;

import java.time.Instant;
import java.util.List;

import io.palabre.ingest.connector.PlatformHttp.PlatformException;
import io.palabre.ingest.query.ListeningQuery;

/**
 * A connector that asks a platform, at each cycle, for what a listening query matched since its cursor.
 */
public interface PollingConnector {

    /** Stable name, used for cursors, status and the mentions' {@code source.connector}. */
    String name();

    String platform();

    /** Whether it is set up (enabled, base URL, credentials) to run. */
    boolean configured();

    /**
     * One poll. Returns what was collected and the cursor to resume from once it is published; never advances
     * past what it did not return.
     */
    Poll poll(ListeningQuery query, String cursor) throws PlatformException;

    /** The result of one poll. */
    record Poll(Mapping mapping, String cursor, Instant newestItemAt, Instant nextAllowedAt, List<Missed> missed) {
    }

    /** What a poll knows it could not collect: a time range, or an item such as a parent. */
    record Missed(String kind, Instant from, Instant to, String item, String reason) {
    }
}
