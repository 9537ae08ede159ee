package io.palabre.dashboard.domain;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A conversation's state as read from topic {@code conversations} (docs/contracts/conversation-updated.schema.json).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
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
