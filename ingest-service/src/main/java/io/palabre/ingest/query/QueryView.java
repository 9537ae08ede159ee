package io.palabre.ingest.query;

import java.time.Instant;
import java.util.List;

/**
 * A listening query as served, and as published on the compacted topic {@code queries}
 * (docs/contracts/query.schema.json).
 */
public record QueryView(String id, String name, String terms, List<String> hashtags, List<String> accounts,
        List<String> platforms, List<String> organisationAccounts, boolean enabled, int version, Instant createdAt,
        Instant updatedAt) {

    static QueryView of(ListeningQuery q) {
        return new QueryView(q.id, q.name, q.terms, List.of(q.hashtags), List.of(q.accounts), List.of(q.platforms),
                List.of(q.organisationAccounts), q.enabled, q.version, q.createdAt, q.updatedAt);
    }
}
