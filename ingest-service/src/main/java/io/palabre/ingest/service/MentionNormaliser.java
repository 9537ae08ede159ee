package io.palabre.ingest.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.service.MentionValidator.InvalidMentionException;
import io.palabre.support.UntrustedText;

/**
 * The edge's rules for what a public post may carry into Palabre, the same for imports and connectors.
 *
 * <ul>
 * <li>Ids (of the post, its author, what it answers, quotes or reposts, the accounts it names) are kept exactly or
 * the mention is refused: a control character or a lone surrogate in an id is a reason to refuse, since changing an
 * id would make it another post's.</li>
 * <li>In every other string, NUL and the other control characters (C0, DEL, C1) are removed, except tab, line feed and
 * carriage return in the text; lone surrogates become U+FFFD.</li>
 * <li>{@code url} and {@code links} are absolute http(s) URLs with a host: a {@code url} that is not becomes null, a
 * link that is not is dropped.</li>
 * <li>Arrays hold no nulls, no blank strings and no duplicates; a hashtag is one word, lower case, without '#'.</li>
 * <li>{@code createdAt} falls between {@code palabre.ingest.mentions.earliest} (1990) and a day ahead of this
 * machine's clock ({@code max-ahead}).</li>
 * <li>Lengths follow docs/contracts/mention.schema.json (text 100,000 characters, ids 1,024, names 512, links 4,096,
 * 1,000 items per array): longer is refused, with the field named.</li>
 * </ul>
 */
public final class MentionNormaliser {

    static final int MAX_TEXT = 100_000;
    static final int MAX_ID = 1024;
    static final int MAX_NAME = 512;
    static final int MAX_LINK = 4096;
    static final int MAX_URL = 2048;
    static final int MAX_ITEMS = 1000;
    static final int MAX_LANG = 35;
    static final int MAX_CONNECTOR = 128;

    private final Instant earliest;
    private final java.time.Duration maxAhead;

    public MentionNormaliser(Instant earliest, java.time.Duration maxAhead) {
        this.earliest = earliest;
        this.maxAhead = maxAhead;
    }

    /** The rules with the documented defaults: from 1990, up to a day ahead. */
    public static MentionNormaliser withDefaults() {
        return new MentionNormaliser(Instant.parse("1990-01-01T00:00:00Z"), java.time.Duration.ofDays(1));
    }

    /** The mention as Palabre takes it in, or why it cannot be taken in. */
    public MentionCaptured normalise(MentionCaptured m, Instant now) throws InvalidMentionException {
        id("$.id", m.id());
        if (m.author() == null) {
            throw new InvalidMentionException("$.author: required");
        }
        id("$.author.id", m.author().id());
        MentionCaptured.ReplyTo replyTo = m.replyTo();
        if (replyTo != null) {
            id("$.replyTo.id", replyTo.id());
            optionalId("$.replyTo.authorId", replyTo.authorId());
        }
        optionalId("$.conversationId", m.conversationId());
        optionalId("$.quoteOf", m.quoteOf());
        optionalId("$.repostOf", m.repostOf());
        if (m.createdAt() == null) {
            throw new InvalidMentionException("$.createdAt: required");
        }
        if (m.createdAt().isBefore(earliest) || m.createdAt().isAfter(now.plus(maxAhead))) {
            throw new InvalidMentionException("$.createdAt: " + m.createdAt() + " is outside the accepted range, from "
                    + earliest + " to " + maxAhead.toHours() + " h after now");
        }
        List<MentionCaptured.MentionedAccount> named = new ArrayList<>();
        for (MentionCaptured.MentionedAccount a : items("$.mentions", m.mentions())) {
            optionalId("$.mentions[].id", a.id());
            String handle = line("$.mentions[].handle", a.handle(), MAX_NAME);
            if (a.id() != null || handle != null) {
                named.add(new MentionCaptured.MentionedAccount(a.id(), handle));
            }
        }
        Set<String> hashtags = new LinkedHashSet<>();
        for (String tag : items("$.hashtags", m.hashtags())) {
            String t = line("$.hashtags[]", tag, MAX_NAME);
            t = t != null && t.startsWith("#") ? t.substring(1) : t;
            if (t != null && !t.isEmpty() && t.codePoints().noneMatch(cp -> cp == '#' || Character.isWhitespace(cp))) {
                hashtags.add(t.toLowerCase(Locale.ROOT));
            }
        }
        Set<String> links = new LinkedHashSet<>();
        for (String link : items("$.links", m.links())) {
            String l = line("$.links[]", link, MAX_LINK);
            if (l != null && UntrustedText.isWebUrl(l)) {
                links.add(l);
            }
        }
        String url = line("$.url", m.url(), MAX_URL);
        MentionCaptured.Source source = m.source();
        if (source != null) {
            String connector = line("$.source.connector", source.connector(), MAX_CONNECTOR);
            source = new MentionCaptured.Source(connector == null ? "unknown" : connector,
                    line("$.source.query", source.query(), MAX_NAME), source.capturedAt(), source.context());
        }
        return new MentionCaptured(m.id(), m.platform(), m.kind(), url != null && UntrustedText.isWebUrl(url) ? url : null,
                m.createdAt(),
                new MentionCaptured.Author(m.author().id(), line("$.author.handle", m.author().handle(), MAX_NAME),
                        line("$.author.displayName", m.author().displayName(), MAX_NAME), m.author().bot()),
                text(m.text()), line("$.lang", m.lang(), MAX_LANG), replyTo, m.conversationId(), List.copyOf(named),
                List.copyOf(hashtags), List.copyOf(links), m.quoteOf(), m.repostOf(), source);
    }

    private static void id(String field, String value) throws InvalidMentionException {
        if (value == null || value.isBlank()) {
            throw new InvalidMentionException(field + ": required");
        }
        optionalId(field, value);
    }

    private static void optionalId(String field, String value) throws InvalidMentionException {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_ID) {
            throw new InvalidMentionException(field + ": longer than " + MAX_ID + " characters");
        }
        int at = UntrustedText.unusable(value);
        if (at >= 0) {
            throw new InvalidMentionException(field + ": an id may not hold control characters or lone "
                    + "surrogates (U+" + String.format("%04X", (int) value.charAt(at)) + " at " + at + ")");
        }
    }

    private static <T> List<T> items(String field, List<T> values) throws InvalidMentionException {
        if (values == null) {
            return List.of();
        }
        List<T> kept = values.stream().filter(Objects::nonNull).toList();
        if (kept.size() > MAX_ITEMS) {
            throw new InvalidMentionException(field + ": more than " + MAX_ITEMS + " items");
        }
        return kept;
    }

    /** A one-line field: every control character removed; null when nothing is left. */
    private static String line(String field, String value, int max) throws InvalidMentionException {
        String cleaned = UntrustedText.clean(value, false, Integer.MAX_VALUE);
        if (cleaned == null || cleaned.isBlank()) {
            return null;
        }
        if (cleaned.length() > max) {
            throw new InvalidMentionException(field + ": longer than " + max + " characters");
        }
        return cleaned;
    }

    private static String text(String value) throws InvalidMentionException {
        String cleaned = UntrustedText.clean(value, true, Integer.MAX_VALUE);
        if (cleaned == null) {
            return "";
        }
        if (cleaned.length() > MAX_TEXT) {
            throw new InvalidMentionException("$.text: longer than " + MAX_TEXT + " characters");
        }
        return cleaned;
    }
}
