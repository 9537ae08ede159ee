package io.palabre.analysis.domain;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A canonical mention as analysis-service reads it from topic {@code mentions}
 * (docs/contracts/mention.schema.json); fields it does not know are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MentionCaptured(
        String id,
        String platform,
        String kind,
        String url,
        Instant createdAt,
        Author author,
        String text,
        String lang,
        ReplyTo replyTo,
        String conversationId,
        List<MentionedAccount> mentions,
        List<String> hashtags,
        List<String> links,
        String quoteOf,
        String repostOf,
        Source source) {

    /** The account that wrote the post. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Author(String id, String handle, String displayName, boolean bot) {
    }

    /** The post this one answers. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReplyTo(String id, String authorId) {
    }

    /** An account named in the post. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MentionedAccount(String id, String handle) {
    }

    /** What captured the mention. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Source(String connector, String query, Instant capturedAt) {
    }

    public boolean isDelete() {
        return "delete".equals(kind);
    }

    public boolean isEdit() {
        return "edit".equals(kind);
    }

    /** What is missing for analysis to use this mention, or null when nothing is. */
    public String missingField() {
        if (id == null || id.isBlank()) {
            return "id";
        }
        if (platform == null) {
            return "platform";
        }
        if (kind == null || !List.of("post", "repost", "edit", "delete").contains(kind)) {
            return "kind (post, repost, edit or delete)";
        }
        if (createdAt == null) {
            return "createdAt";
        }
        if (author == null || author.id() == null || author.id().isBlank()) {
            return "author.id";
        }
        if (replyTo != null && (replyTo.id() == null || replyTo.id().equals(id))) {
            return "replyTo.id (another post's id)";
        }
        return null;
    }
}
