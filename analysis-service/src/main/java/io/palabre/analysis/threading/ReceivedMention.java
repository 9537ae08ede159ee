package io.palabre.analysis.threading;

import io.palabre.analysis.domain.MentionCaptured;
import io.palabre.analysis.text.TextLanguage;

/**
 * One event read from {@code mentions}: the mention, its JSON as received, where it was read, its record's key and
 * partition, and the language detected in its text when the platform stated none (null when it states one, or none
 * can be told). Detection is done when the record is read, by the consumer that parses it, not while a batch holds
 * its place in the database.
 */
public record ReceivedMention(MentionCaptured mention, String json, String origin, String key, int partition,
        String detectedLanguage) {

    /** The language of the text of a post whose platform stated none, or null. */
    public static String detect(MentionCaptured m, TextLanguage detector) {
        if (m.lang() != null && !m.lang().isBlank() || m.isDelete() || "repost".equals(m.kind())) {
            return null;
        }
        return detector.detect(m.text());
    }

    /**
     * The key the contract gives a mention's record: the root its platform states, else its own id. For a post that
     * states its root, or has no parent, this is also its conversation: the record reaches the partition that owns
     * the conversation.
     */
    public static String ownerKey(MentionCaptured m) {
        return m.conversationId() != null ? m.conversationId() : m.id();
    }

    /**
     * Whether this record's conversation is the one its key names, so that only the consumer of its partition writes
     * it: a post that states its root, or a post that answers nothing, keyed as the contract says. A reply that
     * names only its parent (Mastodon) belongs to its parent's conversation, wherever that is.
     */
    boolean ownedByItsPartition() {
        MentionCaptured m = mention;
        if (m.conversationId() == null && m.replyTo() != null && m.replyTo().id() != null) {
            return false;
        }
        return ownerKey(m).equals(key);
    }
}
