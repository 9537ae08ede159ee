package io.palabre.ingest.domain;

import java.time.Instant;

/**
 * A payload that could not become a mention, published on {@code mentions-dlq} with the reason; its contract is
 * docs/contracts/mention-rejected.schema.json.
 */
public record Rejection(String reason, String payload, String stage, String origin, Instant rejectedAt) {

    public static Rejection atIngest(String reason, String payload, String origin) {
        return new Rejection(reason, payload, "ingest", origin, Instant.now());
    }
}
