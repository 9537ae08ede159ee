package io.palabre.dashboard.dialogue;

import java.time.Instant;
import java.util.List;

/**
 * Dialogue metrics of one organisation account over a time window, as {@code GET /api/dialogue/{accountId}} answers
 * them: schema in docs/contracts/dialogue-metrics.schema.json, formulas in docs/dialogue-metrics.md. Ratios are null
 * when their denominator is zero.
 */
public record DialogueMetrics(
        String accountId,
        String window,
        Instant from,
        Instant to,
        Instant computedAt,
        int peopleMentions,
        int answered,
        Double responseRate,
        Long medianFirstResponseSeconds,
        Long p90FirstResponseSeconds,
        int unansweredCount,
        List<Unanswered> unanswered,
        int exchanges,
        Double averageTurns,
        int maxTurns,
        int dialogues,
        int partners,
        int reciprocatedPartners,
        Double reciprocity,
        int upwardFlow,
        int downwardFlow,
        int conversations,
        int peopleReplies,
        int organisationReplies,
        Double horizontality) {

    /** A person's mention the organisation has not answered. */
    public record Unanswered(String mentionId, String conversationId, String authorId, Instant createdAt,
            String url, String text) {
    }
}
