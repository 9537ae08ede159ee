package io.palabre.ingest.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.bluesky.BlueskyMapper;
import io.palabre.ingest.connector.hackernews.HackerNewsMapper;
import io.palabre.ingest.connector.mastodon.MastodonMapper;
import io.palabre.ingest.connector.reddit.RedditMapper;
import io.palabre.ingest.connector.x.XMapper;
import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.service.MentionValidator.InvalidMentionException;
import io.palabre.support.UntrustedText;
import io.palabre.testing.Contracts;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Recorded platform payloads (fixtures/platforms, see SOURCES.md) and the contract's example mentions, poisoned at
 * random places (control characters, NUL, lone surrogates, nulls, wrong types, dropped keys, huge strings, dates of
 * year 0 and 9999, javascript: URLs, deep nesting): no mapper throws, and whatever the edge lets in is clean and
 * follows the contract. Plain jqwik properties; nothing else runs.
 */
class HostilePayloadsPropertyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Source SOURCE = new Source("import:test", "acme", Instant.parse("2026-11-25T00:00:00Z"));
    private static final MentionValidator VALIDATOR = new MentionValidator(MAPPER, MentionNormaliser.withDefaults());

    private static final MastodonMapper MASTODON = new MastodonMapper(MAPPER);
    private static final BlueskyMapper BLUESKY = new BlueskyMapper();
    private static final RedditMapper REDDIT = new RedditMapper();
    private static final HackerNewsMapper HACKER_NEWS = new HackerNewsMapper();
    private static final XMapper X = new XMapper();

    /** What can be put in place of a value, or done to it. */
    enum Poison {
        NUL, CONTROLS, LONE_SURROGATE, NULL, NUMBER, HUGE_NUMBER, BOOLEAN, EMPTY_OBJECT, EMPTY_ARRAY, ARRAY_OF_NULL,
        DROP, HUGE_STRING, YEAR_0, YEAR_9999, EMOJI_RTL, JAVASCRIPT_URL, DEEP, APPEND_NUL
    }

    /** Where to poison (an index into the payload's values, modulo their count) and with what. */
    record Dose(int at, Poison poison) {
    }

    @Property(tries = 300)
    void mastodonPayloads(@ForAll("mastodon") JsonNode payload) {
        mapsSafely(payload, (p, s) -> MASTODON.map(p, "mastodon.social", s));
    }

    @Property(tries = 300)
    void blueskyJetstreamEvents(@ForAll("jetstream") JsonNode payload) {
        mapsSafely(payload, BLUESKY::mapJetstream);
    }

    @Property(tries = 300)
    void blueskySearchAndThreadPayloads(@ForAll("blueskyViews") JsonNode payload) {
        mapsSafely(payload, BLUESKY::mapViews);
    }

    @Property(tries = 300)
    void redditPayloads(@ForAll("reddit") JsonNode payload) {
        mapsSafely(payload, REDDIT::map);
    }

    @Property(tries = 300)
    void hackerNewsPayloads(@ForAll("hackerNews") JsonNode payload) {
        mapsSafely(payload, HACKER_NEWS::map);
    }

    @Property(tries = 300)
    void xPayloads(@ForAll("x") JsonNode payload) {
        mapsSafely(payload, X::map);
    }

    @Property(tries = 500)
    void canonicalMentionsAreRefusedWithAReasonOrLetInClean(@ForAll("canonical") JsonNode payload) throws Exception {
        MentionCaptured mention;
        try {
            mention = VALIDATOR.validate(MAPPER.writeValueAsString(payload));
        } catch (InvalidMentionException refused) {
            assertFalse(refused.getMessage().isBlank());
            Statistics.collect("refused");
            return;
        }
        assertClean(mention);
        Statistics.collect("let in");
        // The property says something only if poisoned mentions do get in, cleaned.
        Statistics.coverage(checker -> checker.check("let in").percentage(p -> p > 1));
    }

    private static void mapsSafely(JsonNode payload, BiFunction<JsonNode, Source, Mapping> map) {
        Mapping mapping = map.apply(payload, SOURCE);
        for (Mapping.Problem problem : mapping.problems()) {
            assertFalse(problem.reason() == null || problem.reason().isBlank(), "a problem says why");
        }
        int letIn = 0;
        for (MentionCaptured mapped : mapping.mentions()) {
            try {
                MentionCaptured checked = VALIDATOR.validate(write(mapped));
                assertClean(checked);
                letIn++;
            } catch (InvalidMentionException refused) {
                assertFalse(refused.getMessage().isBlank());
            }
        }
        Statistics.collect(letIn > 0 ? "mentions let in" : "nothing let in");
        Statistics.coverage(checker -> checker.check("mentions let in").percentage(p -> p > 1));
    }

    /** What the edge promises of every mention it lets in. */
    private static void assertClean(MentionCaptured m) {
        String json = write(m);
        assertTrue(Contracts.validate("mention.schema.json", json).isEmpty(), json);
        for (String id : new String[] { m.id(), m.author().id(), m.conversationId(), m.quoteOf(), m.repostOf(),
                m.replyTo() == null ? null : m.replyTo().id() }) {
            assertEquals(-1, unusable(id, false), json);
        }
        assertEquals(-1, unusable(m.text(), true), json);
        for (String line : new String[] { m.url(), m.lang(), m.author().handle(), m.author().displayName(),
                m.source().query(), m.source().connector() }) {
            assertEquals(-1, unusable(line, false), json);
        }
        m.hashtags().forEach(h -> assertEquals(-1, unusable(h, false), json));
        m.links().forEach(l -> assertTrue(UntrustedText.isWebUrl(l), json));
        m.mentions().forEach(a -> {
            assertNotNull(a);
            assertEquals(-1, unusable(a.handle(), false), json);
        });
        assertTrue(m.url() == null || UntrustedText.isWebUrl(m.url()), json);
        assertTrue(m.createdAt().isAfter(Instant.parse("1990-01-01T00:00:00Z").minusNanos(1))
                && m.createdAt().isBefore(Instant.now().plusSeconds(86_401)), json);
    }

    /** Where a string holds a control character (but tab and line ends in a text) or a lone surrogate, or -1. */
    private static int unusable(String s, boolean multiline) {
        if (s == null) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(ch)
                    || Character.isISOControl(ch) && !(multiline && (ch == '\t' || ch == '\n' || ch == '\r'))) {
                return i;
            }
        }
        return -1;
    }

    // ---- Generators

    @Provide
    Arbitrary<JsonNode> mastodon() {
        return poisoned("mastodon-context-reply-chain-bigbone.json", "mastodon-quote-entity-docs.json",
                "mastodon-status-docs-example.json", "mastodon-status-with-mention.json",
                "mastodon-streaming-websocket-update.json", "mastodon-streaming-websocket-delete.json",
                "mastodon-tag-timeline-mastodonpy.json");
    }

    @Provide
    Arbitrary<JsonNode> jetstream() {
        List<JsonNode> events = new ArrayList<>();
        for (String line : text("bluesky-jetstream-v1-golden-events.ndjson").split("\n")) {
            if (!line.isBlank()) {
                events.add(tree(line));
            }
        }
        for (String file : List.of("bluesky-jetstream-readme-account.json", "bluesky-jetstream-readme-delete-follow.json",
                "bluesky-jetstream-readme-identity.json", "bluesky-jetstream-readme-like.json")) {
            events.add(tree(text(file)));
        }
        return poisoned(events);
    }

    @Provide
    Arbitrary<JsonNode> blueskyViews() {
        return poisoned("bluesky-searchposts-response.json", "bluesky-getpostthread-response.json");
    }

    @Provide
    Arbitrary<JsonNode> reddit() {
        return poisoned("reddit-comments-context-chain.json", "reddit-search-listing.json",
                "reddit-subreddit-comments-listing.json");
    }

    @Provide
    Arbitrary<JsonNode> hackerNews() {
        return poisoned("hn-algolia-item-17-tree.json", "hn-algolia-search-by-date-comment.json",
                "hn-algolia-search-by-date-story.json", "hn-firebase-item-comment.json", "hn-firebase-item-story.json");
    }

    @Provide
    Arbitrary<JsonNode> x() {
        return poisoned("twitter-v2-conversation-search-docs.json", "twitter-v2-filtered-stream-event-docs.json",
                "twitter-v2-quote-docs.json", "twitter-v2-reply-with-mention-docs.json", "twitter-v2-retweet-docs.json");
    }

    @Provide
    Arbitrary<JsonNode> canonical() {
        List<JsonNode> examples = new ArrayList<>();
        for (Path p : Contracts.examples("mention-", true)) {
            String name = p.getFileName().toString();
            if (!name.startsWith("mention-threaded") && !name.startsWith("mention-rejected")) {
                JsonNode example = tree(Contracts.read(p));
                // Recent enough for the edge's date range, as a freshly captured mention is.
                ((ObjectNode) example).put("createdAt", "2026-11-20T10:00:00Z");
                examples.add(example);
            }
        }
        return poisoned(examples);
    }

    private Arbitrary<JsonNode> poisoned(String... files) {
        List<JsonNode> payloads = new ArrayList<>();
        for (String f : files) {
            payloads.add(tree(text(f)));
        }
        return poisoned(payloads);
    }

    private static Arbitrary<JsonNode> poisoned(List<JsonNode> payloads) {
        Arbitrary<Dose> dose = Combinators.combine(Arbitraries.integers().between(0, 100_000),
                Arbitraries.of(Poison.class)).as(Dose::new);
        return Combinators.combine(Arbitraries.of(payloads), dose.list().ofMinSize(1).ofMaxSize(4))
                .as(HostilePayloadsPropertyTest::poison);
    }

    /** A copy of the payload with each dose applied at one of its values. */
    static JsonNode poison(JsonNode payload, List<Dose> doses) {
        JsonNode copy = payload.deepCopy();
        for (Dose d : doses) {
            List<Slot> slots = new ArrayList<>();
            slots(copy, slots);
            if (slots.isEmpty()) {
                continue;
            }
            slots.get(d.at() % slots.size()).apply(d.poison());
        }
        return copy;
    }

    /** A place in a JSON tree: a field of an object or an element of an array. */
    private record Slot(JsonNode parent, String field, int index) {

        void apply(Poison poison) {
            JsonNodeFactory f = JsonNodeFactory.instance;
            JsonNode current = parent instanceof ObjectNode o ? o.get(field) : ((ArrayNode) parent).get(index);
            JsonNode value = switch (poison) {
                case NUL -> f.textNode("\u0000");
                case CONTROLS -> f.textNode("a\u0001\u0007\u001b[31mred\u007f\u0085b");
                case LONE_SURROGATE -> f.textNode("x\ud800y");
                case NULL -> f.nullNode();
                case NUMBER -> f.numberNode(-12345);
                case HUGE_NUMBER -> f.numberNode(1e308);
                case BOOLEAN -> f.booleanNode(true);
                case EMPTY_OBJECT -> f.objectNode();
                case EMPTY_ARRAY -> f.arrayNode();
                case ARRAY_OF_NULL -> f.arrayNode().addNull();
                case DROP -> null;
                case HUGE_STRING -> f.textNode("x".repeat(150_000));
                case YEAR_0 -> f.textNode("0000-01-01T00:00:00Z");
                case YEAR_9999 -> f.textNode("9999-12-31T23:59:59Z");
                case EMOJI_RTL -> f.textNode("👋🏽 مرحبا \u202Eevil\u202C שלום");
                case JAVASCRIPT_URL -> f.textNode("javascript:alert(document.cookie)");
                case DEEP -> deep(f, 60);
                case APPEND_NUL -> f.textNode((current != null && current.isValueNode() ? current.asText() : "")
                        + "\u0000");
            };
            if (parent instanceof ObjectNode o) {
                if (value == null) {
                    o.remove(field);
                } else {
                    o.set(field, value);
                }
            } else if (value == null) {
                ((ArrayNode) parent).remove(index);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        private static JsonNode deep(JsonNodeFactory f, int depth) {
            JsonNode node = f.arrayNode();
            for (int i = 0; i < depth; i++) {
                node = f.arrayNode().add(node);
            }
            return node;
        }
    }

    private static void slots(JsonNode node, List<Slot> out) {
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                out.add(new Slot(o, e.getKey(), -1));
                slots(e.getValue(), out);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                out.add(new Slot(a, null, i));
                slots(a.get(i), out);
            }
        }
    }

    private static String write(MentionCaptured m) {
        try {
            return MAPPER.writeValueAsString(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String file) {
        try (InputStream in = HostilePayloadsPropertyTest.class.getResourceAsStream("/fixtures/platforms/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
