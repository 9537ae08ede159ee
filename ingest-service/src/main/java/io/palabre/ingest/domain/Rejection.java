package io.palabre.ingest.domain;

import java.time.Instant;

/**
 * A payload that could not become a mention, published on {@code mentions-dlq} with the reason; its contract is
 * docs/contracts/mention-rejected.schema.json.
 */
public record Rejection(String reason, String payload, String stage, String origin, Instant rejectedAt) {

    /** Well under the broker's largest record, so that a dead letter is never refused for its size. */
    public static final int MAX_PAYLOAD_CHARS = 262_144;

    /** A rejection; a payload over {@link #MAX_PAYLOAD_CHARS} is cut, and the reason says so. */
    public static Rejection atIngest(String reason, String payload, String origin) {
        String p = payload == null ? "" : payload;
        if (p.length() <= MAX_PAYLOAD_CHARS) {
            return new Rejection(reason, p, "ingest", origin, Instant.now());
        }
        return new Rejection(reason + " (payload cut to its first " + MAX_PAYLOAD_CHARS + " characters)",
                p.substring(0, MAX_PAYLOAD_CHARS), "ingest", origin, Instant.now());
    }
}
