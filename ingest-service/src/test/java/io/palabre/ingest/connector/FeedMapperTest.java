package io.palabre.ingest.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.rss.FeedMapper;
import io.palabre.ingest.domain.MentionCaptured;

/**
 * RSS and Atom mapping on the hand-written feeds in fixtures/feeds; plain JUnit.
 */
class FeedMapperTest {

    private static final Source SOURCE = new Source("rss", "acme", Instant.parse("2026-11-25T00:00:00Z"));
    private final FeedMapper mapper = new FeedMapper();

    @Test
    void atomCommentsAnswerTheirPostThroughThreadingExtensionsAndUpdatesAreEdits() throws IOException {
        List<MentionCaptured> mentions = mapper.map(feed("comments.atom.xml"), "https://blog.example.org/feed",
                SOURCE).mentions();
        assertEquals(2, mentions.size());
        MentionCaptured post = mentions.get(0);
        assertEquals("rss:https://blog.example.org/posts/timetable", post.id());
        assertEquals("edit", post.kind(), "updated after it was published");
        assertEquals(List.of("acmerail"), post.hashtags());
        assertEquals(List.of("https://example.org/pdf"), post.links());
        assertTrue(post.text().startsWith("New timetable\n\nOur new timetable starts Monday."), post.text());
        MentionCaptured comment = mentions.get(1);
        assertEquals("rss:https://blog.example.org/posts/timetable", comment.replyTo().id());
        assertEquals("Noor", comment.author().handle());
    }

    @Test
    void rssBareGuidIsScopedToItsFeed() throws IOException {
        MentionCaptured item = mapper.map(feed("news.rss.xml"), "https://news.example.org/rss", SOURCE).mentions()
                .get(0);
        assertEquals("rss:https://news.example.org/rss#42", item.id());
        assertEquals(Instant.parse("2026-11-19T07:30:00Z"), item.createdAt());
        assertEquals("Lea Martin", item.author().handle());
        assertTrue(item.text().contains("a strike & a march"), item.text());
    }

    @Test
    void doctypesAreRefusedSoNoEntityIsExpanded() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<rss><channel><item><guid>https://a/1</guid><title>&x;</title></item></channel></rss>";
        Mapping mapping = mapper.map(xxe, "https://evil.example/rss", SOURCE);
        assertTrue(mapping.mentions().isEmpty());
        assertEquals(1, mapping.problems().size());
    }

    private static String feed(String name) throws IOException {
        try (InputStream in = FeedMapperTest.class.getResourceAsStream("/fixtures/feeds/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
