package io.palabre.dashboard.dialogue;

import java.time.Instant;
import java.util.Set;

/**
 * One stored, undeleted post as dialogue metrics see it: who wrote it, in which conversation, and whom it
 * addresses (answers, names, quotes or reposts).
 *
 * @param mentioned the accounts the post names (normalised, without its author and the author it answers)
 */
public record Interaction(String id, String conversationId, String authorId, Instant createdAt, String kind,
        String replyToId, String replyToAuthorId, Set<String> mentioned, String quoteAuthorId, String repostAuthorId,
        String url, String text) {

    public boolean isRepost() {
        return "repost".equals(kind);
    }

    /** Whether this post answers, names or quotes the account (reposts are not addressing). */
    public boolean addresses(String account) {
        return !isRepost() && (account.equals(replyToAuthorId) || mentioned.contains(account)
                || account.equals(quoteAuthorId));
    }

    /** Whether this post answers, names, quotes or reposts the account. */
    public boolean interactsWith(String account) {
        return addresses(account) || isRepost() && account.equals(repostAuthorId);
    }

    /** The accounts this post interacts with. */
    public Set<String> targets() {
        java.util.Set<String> targets = new java.util.LinkedHashSet<>();
        if (isRepost()) {
            if (repostAuthorId != null) {
                targets.add(repostAuthorId);
            }
            return targets;
        }
        if (replyToAuthorId != null) {
            targets.add(replyToAuthorId);
        }
        targets.addAll(mentioned);
        if (quoteAuthorId != null) {
            targets.add(quoteAuthorId);
        }
        targets.remove(authorId);
        return targets;
    }
}
