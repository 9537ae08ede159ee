package io.palabre.dashboard.domain;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A relationship's whole-history state as read from topic {@code relationships}
 * (docs/contracts/relationship-updated.schema.json).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RelationshipUpdated(String sourceId, String targetId, String type, int weight, Instant firstSeenAt,
        Instant lastSeenAt, long version) {
}
