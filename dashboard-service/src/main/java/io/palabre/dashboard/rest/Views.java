package io.palabre.dashboard.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.palabre.dashboard.domain.Conversation;
import io.palabre.dashboard.domain.Mention;

/**
 * What the REST API serves.
 */
public final class Views {

    private Views() {
    }

    /** A page of items, most recent first; pass {@code nextCursor} back as {@code cursor} for the next page. */
    public record Page<T>(List<T> items, @Schema(description = "Null on the last page") String nextCursor) {

        /**
         * The page for up to {@code size + 1} rows found: the extra row only tells that a next page exists, and
         * the cursor points after the last row shown.
         */
        static <E, T> Page<T> of(List<E> found, int size, Function<E, Cursor> cursorOf, Function<E, T> view) {
            List<E> shown = found.size() > size ? found.subList(0, size) : found;
            String next = found.size() > size ? cursorOf.apply(shown.get(size - 1)).encode() : null;
            return new Page<>(shown.stream().map(view).toList(), next);
        }
    }

    /** Who wrote a mention. */
    public record AuthorView(String id, String handle, String displayName) {
    }

    /** One mention. */
    public record MentionView(String id, String conversationId, String platform, String kind, Instant createdAt,
            AuthorView author, String text,
            @Schema(description = "The platform's language, else the detected one") String lang,
            @Schema(description = "Whether lang was detected from the text") boolean langDetected, String url,
            String replyToId, String quoteOf, String repostOf, List<String> hashtags, List<String> links,
            @Schema(description = "The listening query that captured it, if a connector did") String query,
            boolean deleted, boolean edited) {

        static MentionView of(Mention m) {
            return new MentionView(m.id, m.conversationId, m.platform, m.kind, m.createdAt,
                    new AuthorView(m.authorId, m.authorHandle, m.authorDisplayName), m.text, m.lang, m.langDetected,
                    m.url, m.replyToId, m.quoteOf, m.repostOf, m.hashtags == null ? List.of() : List.of(m.hashtags),
                    m.links == null ? List.of() : List.of(m.links), m.query, m.deleted, m.edited);
        }
    }

    /** A conversation's shape and activity. */
    public record ConversationSummary(
            @Schema(description = "Global id of the root post") String id,
            @Schema(description = "Whether the root post itself has been captured") boolean rootPresent,
            @Schema(description = "Posts in the conversation") int size,
            @Schema(description = "Longest reply chain from the root") int depth,
            @Schema(description = "Distinct authors") int participants,
            List<String> platforms,
            List<String> languages,
            Instant firstActivityAt,
            Instant lastActivityAt,
            @Schema(description = "Most direct replies to one post") int maxBranching,
            @Schema(description = "Whether an organisation account wrote in it") boolean organisationTookPart,
            Instant updatedAt,
            @Schema(description = "Who started it and how; null while the root post is not stored") RootPreview root) {

        static ConversationSummary of(Conversation c, Mention root) {
            return new ConversationSummary(c.id, c.rootPresent, c.size, c.depth, c.participants,
                    List.of(c.platforms), List.of(c.languages), c.firstActivityAt, c.lastActivityAt, c.maxBranching,
                    c.organisationTookPart, c.updatedAt, root == null ? null : RootPreview.of(root));
        }
    }

    /** The first post of a conversation, shortened, so a list of conversations says what each is about. */
    public record RootPreview(String authorId, String authorHandle,
            @Schema(description = "At most the first 280 characters") String text) {

        static final int LENGTH = 280;

        static RootPreview of(Mention m) {
            String text = m.deleted ? null : m.text.length() > LENGTH ? m.text.substring(0, LENGTH) : m.text;
            return new RootPreview(m.authorId, m.authorHandle, text);
        }
    }

    /** A mention in its place in the reply tree. */
    public record ThreadNode(
            MentionView mention,
            @Schema(description = "Steps from the root; a missing parent counts as one step") int depth,
            @Schema(description = "The parent this post answers when Palabre has not captured it") String missingParentId,
            List<ThreadNode> replies) {

        ThreadNode(MentionView mention, int depth, String missingParentId) {
            this(mention, depth, missingParentId, new ArrayList<>());
        }
    }

    /** A conversation with its reply tree. */
    public record ConversationDetail(
            ConversationSummary conversation,
            @Schema(description = "Top of the tree: the root, and posts whose parent is missing") List<ThreadNode> tree,
            @Schema(description = "Mentions in the tree") int mentionsShown,
            @Schema(description = "True when the conversation has more mentions than the limit; the earliest are shown") boolean truncated) {
    }
}
