package io.palabre.dashboard.domain;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A mention with its conversation as read from topic {@code threaded-mentions}
 * (docs/contracts/mention-threaded.schema.json); only the fields the read model serves are kept.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MentionThreaded(String conversationId, boolean deleted, boolean edited, String lang,
        boolean langDetected, List<String> hashtags, List<String> links, List<Target> relationships,
        Instant postedAt, long version, Mention mention) {

    /** When the post was made: its newest version carries the edit's time, not the post's. */
    public Instant postedAtOrCreated() {
        return postedAt != null ? postedAt : mention.createdAt();
    }

    /** The mention's fields that the dashboard serves. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Mention(String id, String platform, String kind, String url, Instant createdAt, Author author,
            String text, String lang, ReplyTo replyTo, String quoteOf, String repostOf, List<String> hashtags,
            Source source) {
    }

    /** One relationship the mention makes. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Target(String type, String accountId) {
    }

    /** What captured it: the listening query's name, when a connector did. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Source(String connector, String query) {
    }

    /** Who wrote it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Author(String id, String handle, String displayName, Boolean bot) {
    }

    /** What it answers. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReplyTo(String id) {
    }
}
