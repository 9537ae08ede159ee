package io.palabre.analysis.domain;

import java.time.Instant;

/**
 * A record of {@code mentions} that analysis could not use, published on {@code mentions-dlq}; contract in
 * docs/contracts/mention-rejected.schema.json.
 */
public record Rejection(String reason, String payload, String stage, String origin, Instant rejectedAt) {

    /** Well under the broker's largest record, so that a dead letter is never refused for its size. */
    public static final int MAX_PAYLOAD_CHARS = 262_144;

    /** A rejection; a payload over {@link #MAX_PAYLOAD_CHARS} is cut, and the reason says so. */
    public static Rejection atAnalysis(String reason, String payload, String origin) {
        if (payload.length() <= MAX_PAYLOAD_CHARS) {
            return new Rejection(reason, payload, "analysis", origin, Instant.now());
        }
        return new Rejection(reason + " (payload cut to its first " + MAX_PAYLOAD_CHARS + " characters)",
                payload.substring(0, MAX_PAYLOAD_CHARS), "analysis", origin, Instant.now());
    }
}
