package io.palabre.analysis.domain;

import java.time.Instant;

/**
 * The whole-history state of one relationship after a change, published on {@code relationships}; contract in
 * docs/contracts/relationship-updated.schema.json. Weight 0 (and no dates) means the relationship is gone.
 *
 * @param version grows with every change of this relationship, whichever instance made it: consumers keep the
 *        record with the highest version
 */
public record RelationshipUpdated(String sourceId, String targetId, String type, int weight, Instant firstSeenAt,
        Instant lastSeenAt, long version) {

    /** Record key: one per relationship, so a compacted topic keeps the latest state. */
    public String key() {
        return type + "|" + sourceId + "|" + targetId;
    }
}
