package io.palabre.ingest.connector;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.domain.MentionCaptured.MentionedAccount;

/**
 * Assembles a canonical mention from a platform's fields, with the normalisations every platform shares: global
 * ids, lower-case unique hashtags, unique links and mentions.
 */
public final class MentionBuilder {

    /** The longest text of docs/contracts/mention.schema.json. */
    static final int MAX_TEXT = 100_000;

    private final String platform;
    private final Source source;
    private String id;
    private String kind = "post";
    private String url;
    private Instant createdAt;
    private String authorId;
    private String handle;
    private String displayName;
    private boolean bot;
    private String text = "";
    private String lang;
    private String replyToId;
    private String replyToAuthorId;
    private String conversationId;
    private final List<MentionedAccount> mentions = new ArrayList<>();
    private final Set<String> hashtags = new LinkedHashSet<>();
    private final Set<String> links = new LinkedHashSet<>();
    private String quoteOf;
    private String repostOf;

    /** Who captured the mention: connector name, listening query, when, and whether only as thread context. */
    public record Source(String connector, String query, Instant capturedAt, boolean context) {

        public Source(String connector, String query, Instant capturedAt) {
            this(connector, query, capturedAt, false);
        }
    }

    public MentionBuilder(String platform, Source source) {
        this.platform = platform;
        this.source = source;
    }

    /** {@code <platform>:<local>}, the form of every global id. */
    public String global(String local) {
        return local == null ? null : platform + ":" + local;
    }

    public MentionBuilder id(String local) {
        this.id = global(local);
        return this;
    }

    public MentionBuilder kind(String kind) {
        this.kind = kind;
        return this;
    }

    public MentionBuilder url(String url) {
        this.url = Text.nonBlank(url);
        return this;
    }

    public MentionBuilder createdAt(Instant createdAt) {
        this.createdAt = createdAt;
        return this;
    }

    public MentionBuilder author(String localId, String handle, String displayName, boolean bot) {
        this.authorId = global(localId);
        this.handle = Text.nonBlank(handle);
        this.displayName = Text.nonBlank(displayName);
        this.bot = bot;
        return this;
    }

    /** The post's text, cut at the contract's longest (a feed item may carry a whole article). */
    public MentionBuilder text(String text) {
        String t = text == null ? "" : text;
        if (t.length() > MAX_TEXT) {
            int end = Character.isHighSurrogate(t.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
            t = t.substring(0, end);
        }
        this.text = t;
        return this;
    }

    public MentionBuilder lang(String lang) {
        String l = Text.nonBlank(lang);
        this.lang = l == null || l.equals("und") ? null : l;
        return this;
    }

    public MentionBuilder replyTo(String localId, String localAuthorId) {
        this.replyToId = global(localId);
        this.replyToAuthorId = global(localAuthorId);
        return this;
    }

    public MentionBuilder conversation(String localRootId) {
        this.conversationId = global(localRootId);
        return this;
    }

    public MentionBuilder mention(String localAccountId, String handle) {
        String globalId = global(Text.nonBlank(localAccountId));
        String h = Text.nonBlank(handle);
        boolean known = mentions.stream().anyMatch(m -> globalId != null ? globalId.equals(m.id())
                : h != null && h.equalsIgnoreCase(m.handle()));
        if (!known && (globalId != null || h != null)) {
            mentions.add(new MentionedAccount(globalId, h));
        }
        return this;
    }

    public MentionBuilder hashtag(String tag) {
        String t = Text.nonBlank(tag);
        if (t != null) {
            hashtags.add(Text.hashtag(t));
        }
        return this;
    }

    public MentionBuilder link(String link) {
        String l = Text.nonBlank(link);
        if (l != null) {
            links.add(l);
        }
        return this;
    }

    public MentionBuilder quoteOf(String localId) {
        this.quoteOf = global(localId);
        return this;
    }

    public MentionBuilder repostOf(String localId) {
        this.repostOf = global(localId);
        this.kind = "repost";
        return this;
    }

    /** The mention, or an exception naming the first missing field. */
    public MentionCaptured build() throws UnmappableException {
        if (id == null) {
            throw new UnmappableException("no id");
        }
        if (createdAt == null) {
            throw new UnmappableException(id + ": no creation time");
        }
        if (authorId == null) {
            throw new UnmappableException(id + ": no author");
        }
        if (replyToId != null && replyToId.equals(id)) {
            replyToId = null;
            replyToAuthorId = null;
        }
        return new MentionCaptured(id, platform, kind, url, createdAt,
                new MentionCaptured.Author(authorId, handle, displayName, bot), text, lang,
                replyToId == null ? null : new MentionCaptured.ReplyTo(replyToId, replyToAuthorId),
                conversationId, List.copyOf(mentions), List.copyOf(hashtags), List.copyOf(links), quoteOf,
                "repost".equals(kind) ? repostOf : null,
                new MentionCaptured.Source(source.connector(), source.query(), source.capturedAt(),
                        source.context() ? Boolean.TRUE : null));
    }

    public static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    /** A payload item that cannot become a mention. */
    public static final class UnmappableException extends Exception {

        public UnmappableException(String reason) {
            super(reason, null, false, false);
        }
    }
}
