package io.palabre.analysis.threading;

import io.palabre.analysis.domain.MentionCaptured;
import io.palabre.analysis.text.TextLanguage;

/**
 * One event read from {@code mentions} or {@code routed-mentions}: the mention, its JSON as received, where it was
 * read, its record's key and partition, the language detected in its text when the platform stated none (null when
 * it states one, or none can be told), and whether it is a reply routed to its parent's conversation (read from
 * {@code routed-mentions}, keyed by that conversation, whose partitions are those of {@code mentions}). Detection is
 * done when the record is read, by the consumer that parses it, not while a batch holds its place in the database.
 */
public record ReceivedMention(MentionCaptured mention, String json, String origin, String key, int partition,
        String detectedLanguage, boolean routed) {

    /** A record of {@code mentions}, as ingest-service keyed it. */
    public ReceivedMention(MentionCaptured mention, String json, String origin, String key, int partition,
            String detectedLanguage) {
        this(mention, json, origin, key, partition, detectedLanguage, false);
    }

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

    /** Whether this is a reply that names only its parent (Mastodon), not its root. */
    public static boolean answersOnlyItsParent(MentionCaptured m) {
        return m.conversationId() == null && m.replyTo() != null && m.replyTo().id() != null;
    }

    /**
     * Whether this record's conversation should be the one its key names, so that only the consumer of its partition
     * writes it: a post that states its root, or a post that answers nothing, keyed as the contract says; or a reply
     * that names only its parent, routed to the conversation its parent had (the first transaction checks that it
     * still has). A reply that names only its parent read from {@code mentions} belongs to its parent's
     * conversation, wherever that is.
     */
    boolean ownedByItsPartition() {
        MentionCaptured m = mention;
        if (answersOnlyItsParent(m)) {
            return routed;
        }
        return ownerKey(m).equals(key);
    }
}
