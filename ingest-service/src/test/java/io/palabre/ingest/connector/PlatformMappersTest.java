package io.palabre.ingest.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.bluesky.BlueskyMapper;
import io.palabre.ingest.connector.hackernews.HackerNewsMapper;
import io.palabre.ingest.connector.mastodon.MastodonMapper;
import io.palabre.ingest.connector.reddit.RedditMapper;
import io.palabre.ingest.connector.x.XMapper;
import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.testing.Contracts;

/**
 * Every recorded platform payload in test resources (see fixtures/platforms/SOURCES.md) mapped to canonical
 * mentions, checked against the contract and against what each payload says; plain JUnit, no network.
 */
class PlatformMappersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Source SOURCE = new Source("test", "acme", Instant.parse("2026-11-25T00:00:00Z"));

    private final MastodonMapper mastodon = new MastodonMapper(MAPPER);
    private final BlueskyMapper bluesky = new BlueskyMapper();
    private final RedditMapper reddit = new RedditMapper();
    private final HackerNewsMapper hackerNews = new HackerNewsMapper();
    private final XMapper x = new XMapper();

    // ---- Mastodon

    @Test
    void mastodonRemoteStatusKeepsTheRemoteAccountAndStripsHtml() {
        Map<String, MentionCaptured> m = byId(clean(mastodon.map(json("mastodon-status-with-mention.json"), null,
                SOURCE)));
        MentionCaptured status = single(m);
        assertTrue(status.author().id().endsWith("@icosahedron.website"), status.author().id());
        assertFalse(status.text().contains("<"), status.text());
        assertTrue(status.mentions().stream().anyMatch(a -> a.id().equals("mastodon:halcy@icosahedron.website")),
                status.mentions().toString());
        assertTrue(status.hashtags().stream().allMatch(t -> t.equals(t.toLowerCase())));
        assertFalse(status.hashtags().isEmpty());
    }

    @Test
    void mastodonContextResolvesLocalParentIdsAndKeepsTheDanglingOne() {
        List<MentionCaptured> mentions = clean(mastodon.map(json("mastodon-context-reply-chain-bigbone.json"),
                "mstdn.jp", SOURCE)).mentions();
        assertFalse(mentions.isEmpty());
        Map<String, MentionCaptured> byId = byId(mentions);
        for (MentionCaptured mention : mentions) {
            // Current servers give https URIs; 2017 servers gave tag: URIs. Either is the status's global id.
            assertTrue(mention.id().startsWith("mastodon:https://") || mention.id().startsWith("mastodon:tag:"),
                    mention.id());
            if (mention.replyTo() != null) {
                String parent = mention.replyTo().id();
                assertTrue(byId.containsKey(parent) || parent.startsWith("mastodon:local:mstdn.jp:")
                        || parent.startsWith("mastodon:https://"), parent);
            }
        }
        // 6886129 answers 6886100, which is not in the payload.
        assertTrue(mentions.stream().anyMatch(m -> m.replyTo() != null && m.replyTo().id().endsWith("6886100")));
    }

    @Test
    void mastodonStreamingUpdateDeleteAndEventStream() {
        MentionCaptured update = single(byId(clean(mastodon.map(json("mastodon-streaming-websocket-update.json"),
                "mastodon.social", SOURCE))));
        assertTrue(update.author().id().endsWith("@fosstodon.org"), update.author().id());
        assertTrue(update.replyTo() != null);

        Mapping delete = mastodon.map(json("mastodon-streaming-websocket-delete.json"), "mastodon.social", SOURCE);
        assertEquals(1, delete.problems().size(), "a bare local id cannot be published unseen");
        assertTrue(delete.problems().get(0).reason().contains("106692867363994015"));

        Mapping sse = mastodon.mapEventStream(text("mastodon-streaming-hashtag-sse.txt"), "mastodon.social", SOURCE);
        assertTrue(sse.mentions().stream().anyMatch(m -> m.kind().equals("post")));
        assertTrue(sse.mentions().stream().anyMatch(m -> m.kind().equals("edit")
                && m.author().id().equals("mastodon:chrismo@ruby.social")));
        assertEquals(1, sse.problems().size(), "the delete event: " + sse.problems());
    }

    @Test
    void mastodonDocsStatusTagTimelineAndQuote() {
        clean(mastodon.map(json("mastodon-status-docs-example.json"), "mastodon.social", SOURCE));
        assertFalse(clean(mastodon.map(json("mastodon-tag-timeline-mastodonpy.json"), null, SOURCE)).mentions()
                .isEmpty());
        Mapping quote = clean(mastodon.map(json("mastodon-quote-entity-docs.json"), "mastodon.social", SOURCE));
        assertEquals(1, quote.mentions().size());
    }

    // ---- Bluesky

    @Test
    void jetstreamGoldenEventsMapPostsRepostsAndDeletesAndCountTheRest() {
        Mapping all = new Mapping();
        for (String line : text("bluesky-jetstream-v1-golden-events.ndjson").split("\n")) {
            Mapping one = clean(bluesky.mapJetstream(tree(line), SOURCE));
            one.mentions().forEach(all::add);
            one.skipped().forEach((k, v) -> all.skip(k));
        }
        Map<String, List<MentionCaptured>> byKind = all.mentions().stream()
                .collect(Collectors.groupingBy(MentionCaptured::kind));
        MentionCaptured reply = byKind.get("post").get(0);
        assertTrue(reply.replyTo() != null && reply.conversationId() != null);
        assertTrue(reply.replyTo().authorId().startsWith("bluesky:did:"));
        assertEquals(1, byKind.get("repost").size());
        assertTrue(byKind.get("repost").get(0).repostOf().startsWith("bluesky:at://"));
        assertTrue(all.skipped().keySet().stream().anyMatch(k -> k.contains("app.bsky.feed.like")));
        assertTrue(all.skipped().keySet().stream().anyMatch(k -> k.contains("identity")));
        for (String f : List.of("bluesky-jetstream-readme-like.json", "bluesky-jetstream-readme-identity.json",
                "bluesky-jetstream-readme-account.json", "bluesky-jetstream-readme-delete-follow.json")) {
            Mapping readme = clean(bluesky.mapJetstream(json(f), SOURCE));
            assertEquals(1, readme.skipped().values().stream().mapToInt(Integer::intValue).sum(), f);
        }
    }

    @Test
    void facetOffsetsAreUtf8BytesAndQuotesAndRepliesAreRead() {
        MentionCaptured facets = single(byId(clean(bluesky.mapViews(record("bluesky-record-post-mention-facet.json"),
                SOURCE))));
        assertEquals("atproto.com", facets.mentions().get(0).handle(), "bytes 23-35 after an emoji");
        assertEquals("bluesky:did:plc:ewvi7nxzyoun6zhxrhs64oiz", facets.mentions().get(0).id());
        assertEquals(List.of("https://en.wikipedia.org/wiki/CBOR"), facets.links());

        MentionCaptured quote = single(byId(clean(bluesky.mapViews(record("bluesky-record-post-quote.json"), SOURCE))));
        assertEquals("bluesky:at://did:plc:u5cwb2mwiv2bfq53cjufe6yn/app.bsky.feed.post/3k44deefqdk2g", quote.quoteOf());

        MentionCaptured reply = single(byId(clean(bluesky.mapViews(record("bluesky-record-post-reply.json"), SOURCE))));
        assertTrue(reply.replyTo() != null && reply.conversationId() != null);
    }

    @Test
    void searchPostsAndGetPostThreadMapEveryPost() {
        JsonNode search = json("bluesky-searchposts-response.json");
        Mapping mapped = clean(bluesky.mapViews(search, SOURCE));
        assertEquals(search.get("posts").size(), mapped.mentions().size());
        assertTrue(mapped.mentions().stream().allMatch(m -> m.author().handle() != null));
        assertTrue(mapped.mentions().stream().anyMatch(m -> m.quoteOf() != null));
        assertTrue(mapped.mentions().stream().anyMatch(m -> m.replyTo() != null));
        assertEquals(1, clean(bluesky.mapViews(json("bluesky-getpostthread-response.json"), SOURCE)).mentions().size());
    }

    // ---- Reddit

    @Test
    void redditListingsAndTreesUseFullnamesAndTheSubmissionAsRoot() {
        JsonNode search = json("reddit-search-listing.json");
        Mapping submissions = clean(reddit.map(search, SOURCE));
        assertEquals(search.get("data").get("children").size(), submissions.mentions().size());
        assertTrue(submissions.mentions().stream().allMatch(m -> m.id().startsWith("reddit:t3_")
                && m.conversationId() == null && m.replyTo() == null));

        Mapping comments = clean(reddit.map(json("reddit-subreddit-comments-listing.json"), SOURCE));
        assertTrue(comments.mentions().stream().allMatch(m -> m.id().startsWith("reddit:t1_")
                && m.conversationId().startsWith("reddit:t3_") && m.replyTo() != null));

        Mapping chain = clean(reddit.map(json("reddit-comments-context-chain.json"), SOURCE));
        Map<String, MentionCaptured> byId = byId(chain.mentions());
        assertTrue(byId.containsKey("reddit:t3_6otocc"));
        long dangling = chain.mentions().stream()
                .filter(m -> m.replyTo() != null && !byId.containsKey(m.replyTo().id())).count();
        assertEquals(1, dangling, "the chain's top comment answers t1_dkk4q9z, outside the payload");
        assertTrue(chain.mentions().stream().filter(m -> m.replyTo() != null && byId.containsKey(m.replyTo().id()))
                .allMatch(m -> m.replyTo().authorId() != null), "parent authors come from the payload");
    }

    // ---- Hacker News

    @Test
    void hackerNewsAlgoliaAndFirebase() {
        MentionCaptured comment = single(byId(clean(hackerNews.map(json("hn-algolia-search-by-date-comment.json"),
                SOURCE))));
        assertEquals("hackernews:7919418", comment.id());
        assertEquals("hackernews:7919290", comment.replyTo().id());
        assertEquals("hackernews:7918547", comment.conversationId());
        assertTrue(comment.text().contains("aren't"), "HTML entities decoded: " + comment.text());

        MentionCaptured story = single(byId(clean(hackerNews.map(json("hn-algolia-search-by-date-story.json"), SOURCE))));
        assertNull(story.replyTo());

        Mapping tree = clean(hackerNews.map(json("hn-algolia-item-17-tree.json"), SOURCE));
        assertTrue(tree.mentions().size() >= 3);
        assertTrue(tree.mentions().stream().filter(m -> m.id().equals("hackernews:1079")).findFirst().orElseThrow()
                .replyTo().authorId().equals("hackernews:pg"));

        MentionCaptured firebase = single(byId(clean(hackerNews.map(json("hn-firebase-item-comment.json"), SOURCE))));
        assertEquals("hackernews:2921506", firebase.replyTo().id());
        assertEquals("hackernews:norvig", firebase.author().id());
        clean(hackerNews.map(json("hn-firebase-item-story.json"), SOURCE));
        assertEquals(1, clean(hackerNews.map(json("hn-firebase-updates.json"), SOURCE)).skipped().size());
    }

    // ---- X

    @Test
    void xRepliesQuotesRepostsAndIncludes() {
        Map<String, MentionCaptured> reply = byId(clean(x.map(json("twitter-v2-reply-with-mention-docs.json"), SOURCE)));
        MentionCaptured r = reply.get("x:1296887316556980230");
        assertEquals("x:1296887091901718529", r.conversationId());
        assertTrue(r.replyTo() != null && r.replyTo().authorId() != null);
        assertTrue(r.author().handle() != null);
        assertFalse(r.mentions().isEmpty());
        assertEquals(2, reply.size(), "the replied-to post in includes is mapped too");

        MentionCaptured repost = byId(clean(x.map(json("twitter-v2-retweet-docs.json"), SOURCE)))
                .get("x:1229851574555508737");
        assertEquals("repost", repost.kind());
        assertTrue(repost.repostOf() != null);

        MentionCaptured quote = byId(clean(x.map(json("twitter-v2-quote-docs.json"), SOURCE)))
                .get("x:1328399838128467969");
        assertTrue(quote.quoteOf() != null);

        Mapping thread = clean(x.map(json("twitter-v2-conversation-search-docs.json"), SOURCE));
        assertEquals(3, thread.mentions().size());
        assertTrue(thread.mentions().stream().allMatch(m -> "x:1234567890".equals(m.conversationId())));
        assertEquals(1, clean(x.map(json("twitter-v2-filtered-stream-event-docs.json"), SOURCE)).mentions().size());
    }

    /** Every mention follows the contract and no item was rejected. */
    private static Mapping clean(Mapping mapping) {
        for (MentionCaptured mention : mapping.mentions()) {
            try {
                String json = MAPPER.writeValueAsString(mention);
                assertTrue(Contracts.validate("mention.schema.json", json).isEmpty(),
                        Contracts.validate("mention.schema.json", json) + " " + json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (mapping.problems().stream().anyMatch(p -> !p.reason().contains("delete of status"))) {
            throw new AssertionError("problems: " + mapping.problems());
        }
        return mapping;
    }

    private static Map<String, MentionCaptured> byId(Mapping mapping) {
        return byId(mapping.mentions());
    }

    private static Map<String, MentionCaptured> byId(List<MentionCaptured> mentions) {
        return mentions.stream().collect(Collectors.toMap(MentionCaptured::id, Function.identity(), (a, b) -> a));
    }

    private static MentionCaptured single(Map<String, MentionCaptured> mentions) {
        assertEquals(1, mentions.size(), mentions.keySet().toString());
        return new ArrayList<>(mentions.values()).get(0);
    }

    private static JsonNode record(String file) {
        return MAPPER.createObjectNode().put("uri", "at://did:plc:u5cwb2mwiv2bfq53cjufe6yn/app.bsky.feed.post/3k44reply0000")
                .set("value", json(file));
    }

    static JsonNode json(String file) {
        return tree(text(file));
    }

    private static JsonNode tree(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String file) {
        try (InputStream in = PlatformMappersTest.class.getResourceAsStream("/fixtures/platforms/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
