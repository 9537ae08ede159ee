package io.palabre.dashboard.alerts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What an alert rule watches. The meaning of a rule's {@code threshold}, {@code windowMinutes} and {@code minCount}
 * depends on its type (docs/alerts.md).
 */
public enum RuleType {

    /**
     * A person's mention of an organisation account unanswered for longer than threshold minutes. The backlog a new
     * rule finds is recorded, not announced (the inbox lists it): the rule announces mentions that pass the wait.
     */
    UNANSWERED(true, true),
    /** The account's response rate over the last window below threshold (0 to 1), from minCount mentions on. */
    RESPONSE_RATE(true, false),
    /** Mentions this hour (of a query, a hashtag, or all) above median + threshold × MAD of the same hour, 7 days. */
    VOLUME_SPIKE(false, false),
    /** A conversation the account takes part in gaining more than threshold replies in the last hour. */
    CONVERSATION_GROWTH(true, false),
    /** An account entering the top threshold by PageRank among the account's partners (its ego network). */
    PAGERANK_TOP(true, true);

    private final boolean needsAccount;
    private final boolean announcesOnlyChanges;

    RuleType(boolean needsAccount, boolean announcesOnlyChanges) {
        this.needsAccount = needsAccount;
        this.announcesOnlyChanges = announcesOnlyChanges;
    }

    /** The name the API uses: {@code response-rate}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<RuleType> of(String id) {
        return Arrays.stream(values()).filter(t -> t.id().equals(id)).findFirst();
    }

    /** Scoped to one organisation account. */
    public boolean needsAccount() {
        return needsAccount;
    }

    /**
     * Announces what enters, not what is there when the rule first looks: the conditions found at a rule's first
     * evaluation are recorded unannounced.
     */
    public boolean announcesOnlyChanges() {
        return announcesOnlyChanges;
    }
}
