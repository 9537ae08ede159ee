package io.palabre.ingest.query;

import java.util.List;
import java.util.Set;

import io.palabre.ingest.domain.MentionCaptured;

/**
 * Decides whether a mention answers a listening query, for sources that cannot filter server-side (Jetstream has
 * no keyword filter): its terms match the text, or it carries one of the hashtags, or it is written by, mentions,
 * or answers one of the watched accounts.
 */
public final class QueryMatcher {

    private final String name;
    private final TermExpression terms;
    private final Set<String> hashtags;
    private final Set<String> accounts;
    private final Set<String> platforms;

    public QueryMatcher(ListeningQuery query) {
        this.name = query.name;
        this.terms = query.terms == null || query.terms.isBlank() ? null : TermExpression.parse(query.terms);
        this.hashtags = Set.of(query.hashtags);
        this.accounts = Set.copyOf(List.of(query.accounts));
        this.platforms = Set.of(query.platforms);
    }

    public String name() {
        return name;
    }

    public boolean listensOn(String platform) {
        return platforms.contains(platform);
    }

    public boolean matches(MentionCaptured m) {
        if (!platforms.contains(m.platform())) {
            return false;
        }
        if (terms != null && terms.matches(m.text())) {
            return true;
        }
        if (m.hashtags().stream().anyMatch(hashtags::contains)) {
            return true;
        }
        if (accounts.isEmpty()) {
            return false;
        }
        return accounts.contains(m.author().id())
                || m.mentions().stream().anyMatch(a -> a.id() != null && accounts.contains(a.id()))
                || m.replyTo() != null && m.replyTo().authorId() != null && accounts.contains(m.replyTo().authorId());
    }

    /**
     * Plain words for a platform search that has no boolean operators: the query's words and phrases without
     * operators or negated words (else its first hashtag). The terms filter the answers afterwards.
     */
    public static String searchWords(ListeningQuery query) {
        String terms = query.terms == null ? "" : query.terms;
        String words = terms.replaceAll("\\b(AND|OR|NOT)\\b", " ").replaceAll("(^|\\s)-\\S+", " ")
                .replaceAll("[()\"*]", " ").trim().replaceAll("\\s+", " ");
        if (words.isEmpty() && query.hashtags.length > 0) {
            words = query.hashtags[0];
        }
        return words;
    }
}
