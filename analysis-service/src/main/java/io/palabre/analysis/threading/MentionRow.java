package io.palabre.analysis.threading;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.palabre.analysis.domain.MentionCaptured;

/** A mention row as one batch sees it: read from the store, or created from a mention the batch brings. */
final class MentionRow {
    final String id;
    /** The mention that created the row in this batch; null for a stored row. */
    final MentionCaptured mention;
    String conversationId;
    String payload;
    boolean deleted;
    boolean edited;
    /** Created by this batch. */
    boolean fresh;
    /** A stored row this batch changed. */
    boolean changed;
    /** Its content was replaced by another version in this batch. */
    boolean reinterpreted;
    /** The platform's time of the version whose content is stored. */
    Instant versionAt;
    /** Grows with every change of the stored row, so that consumers keep its latest state. */
    long version;
    String platform;
    String statedConversationId;
    String kind;
    String authorId;
    String replyToAuthorId;
    String quoteAuthorId;
    String repostAuthorId;
    List<String> mentioned = List.of();
    List<String> hashtags = List.of();
    List<String> links = List.of();
    String lang;
    boolean langDetected;
    Instant createdAt;
    String quoteOf;
    String repostOf;
    String replyToId;

    MentionRow(String id, MentionCaptured mention) {
        this.id = id;
        this.mention = mention;
    }

    /** A new row from the first version of a post the batch brings. */
    static MentionRow created(MentionCaptured m, String json) {
        MentionRow r = new MentionRow(m.id(), m);
        r.payload = json;
        r.edited = m.isEdit();
        r.fresh = true;
        r.platform = m.platform();
        r.statedConversationId = m.conversationId();
        r.kind = m.isEdit() ? "post" : m.kind();
        r.authorId = m.author().id();
        r.replyToAuthorId = m.replyTo() == null ? null : m.replyTo().authorId();
        r.createdAt = m.createdAt();
        r.versionAt = m.createdAt();
        r.version = 1;
        r.quoteOf = "repost".equals(r.kind) ? null : m.quoteOf();
        r.repostOf = "repost".equals(r.kind) ? m.repostOf() : null;
        r.replyToId = m.replyTo() == null ? null : m.replyTo().id();
        return r;
    }

    /** Ids of the posts whose authors this row still needs. */
    List<String> unresolvedTargets() {
        List<String> targets = new ArrayList<>(1);
        if (quoteOf != null && quoteAuthorId == null) {
            targets.add(quoteOf);
        }
        if (repostOf != null && repostAuthorId == null) {
            targets.add(repostOf);
        }
        if (replyToId != null && replyToAuthorId == null) {
            targets.add(replyToId);
        }
        return targets;
    }

    /** Sets the authors of the posts this row quotes, reposts or answers that {@code authorOf} knows. */
    void resolveAuthors(Function<String, String> authorOf) {
        if (quoteOf != null && quoteAuthorId == null) {
            quoteAuthorId = authorOf.apply(quoteOf);
        }
        if (repostOf != null && repostAuthorId == null) {
            repostAuthorId = authorOf.apply(repostOf);
        }
        if (replyToId != null && replyToAuthorId == null) {
            replyToAuthorId = authorOf.apply(replyToId);
        }
    }

    /** The relationships this row makes as stored (authors not yet resolved make none). */
    List<Relationships.Key> relationships() {
        return Relationships.of(kind, authorId, replyToAuthorId, mentioned, quoteAuthorId, repostAuthorId);
    }
}
