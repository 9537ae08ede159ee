package io.palabre.analysis.domain;

import java.time.Instant;

/**
 * A record of {@code mentions} that analysis could not use, published on {@code mentions-dlq}; contract in
 * docs/contracts/mention-rejected.schema.json.
 */
public record Rejection(String reason, String payload, String stage, String origin, Instant rejectedAt) {

    public static Rejection atAnalysis(String reason, String payload, String origin) {
        return new Rejection(reason, payload, "analysis", origin, Instant.now());
    }
}
