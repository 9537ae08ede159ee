package io.palabre.ingest.domain;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The canonical mention event published on topic {@code mentions}; its contract is
 * docs/contracts/mention.schema.json.
 */
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
    public record Author(String id, String handle, String displayName, boolean bot) {
    }

    /** The post this one answers; the author may be unknown. */
    public record ReplyTo(String id, String authorId) {
    }

    /** An account named in the post; the id may be unknown. */
    public record MentionedAccount(String id, String handle) {
    }

    /**
     * What captured the mention and for which listening query; {@code context} is true (and otherwise absent) when
     * it was fetched to complete a thread rather than because it matched.
     */
    public record Source(String connector, String query, Instant capturedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean context) {
    }

    /** The same mention, captured by another source (a query's tag, or thread context). */
    public MentionCaptured withSource(Source other) {
        return new MentionCaptured(id, platform, kind, url, createdAt, author, text, lang, replyTo, conversationId,
                mentions, hashtags, links, quoteOf, repostOf, other);
    }

    /** Kafka record key: the conversation when the platform states it, so a thread stays on one partition. */
    public String partitionKey() {
        return conversationId != null ? conversationId : id;
    }
}
