package io.palabre.analysis.domain;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.palabre.support.UntrustedText;

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

    /** Why analysis cannot use this mention, or null when it can. */
    public String problem() {
        if (id == null || id.isBlank()) {
            return "missing or invalid id";
        }
        if (platform == null) {
            return "missing or invalid platform";
        }
        if (kind == null || !List.of("post", "repost", "edit", "delete").contains(kind)) {
            return "missing or invalid kind (post, repost, edit or delete)";
        }
        if (createdAt == null) {
            return "missing or invalid createdAt";
        }
        if (createdAt.isBefore(EARLIEST) || createdAt.isAfter(LATEST)) {
            return "createdAt out of range (years 1 to 9999): " + createdAt;
        }
        if (author == null || author.id() == null || author.id().isBlank()) {
            return "missing or invalid author.id";
        }
        if (replyTo != null && (replyTo.id() == null || replyTo.id().equals(id))) {
            return "missing or invalid replyTo.id (another post's id)";
        }
        for (String value : new String[] { id, author.id(), replyTo == null ? null : replyTo.id(),
                replyTo == null ? null : replyTo.authorId(), conversationId, quoteOf, repostOf }) {
            if (value != null && !isPlainId(value)) {
                return "an id with control characters, lone surrogates or over " + MAX_ID_CHARS + " characters: "
                        + value.codePoints().limit(80).collect(StringBuilder::new, (b, cp) -> b.append(
                                Character.isISOControl(cp) ? "\\u%04x".formatted(cp) : Character.toString(cp)),
                                StringBuilder::append);
            }
        }
        if (mentions != null) {
            for (MentionedAccount named : mentions) {
                if (named.id() != null && !isPlainId(named.id())) {
                    return "a mentioned account id with control characters, lone surrogates or over " + MAX_ID_CHARS
                            + " characters";
                }
            }
        }
        return null;
    }

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** The longest id kept, as the mention contract says. */
    public static final int MAX_ID_CHARS = 1024;

    private static boolean isPlainId(String value) {
        return value.length() <= MAX_ID_CHARS && UntrustedText.unusable(value) < 0;
    }

}
