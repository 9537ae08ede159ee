package io.palabre.analysis.domain;

import java.time.Instant;
import java.util.List;

/**
 * The state of one conversation, published on {@code conversations}; contract in
 * docs/contracts/conversation-updated.schema.json.
 */
public record ConversationUpdated(
        String id,
        boolean rootPresent,
        int size,
        int depth,
        int participants,
        List<String> platforms,
        List<String> languages,
        Instant firstActivityAt,
        Instant lastActivityAt,
        int maxBranching,
        boolean organisationTookPart,
        List<String> mergedFrom,
        Instant updatedAt) {
}
