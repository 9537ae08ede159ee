package io.palabre.analysis.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Normalised hashtags and links, and language detection on short posts.
 */
class TextTest {

    @Test
    void hashtagsHaveOneSpelling() {
        assertEquals(List.of("greve", "café"), Normalized.hashtags(List.of("#Greve", "greve", "＃ＣＡＦÉ", " ")));
    }

    @Test
    void linksLoseTrackingFragmentsAndDefaultPorts() {
        assertEquals("https://example.org/news/a?id=3",
                Normalized.link("HTTPS://Example.ORG:443/news/a/?utm_source=x&id=3&fbclid=abc#top"));
        assertEquals("http://example.org", Normalized.link("http://example.org:80/"));
        assertEquals("https://www.youtube.com/watch?v=abc&t=42", Normalized.link("https://www.youtube.com/watch?v=abc&t=42"));
        assertEquals("not a link", Normalized.link(" not a link "));
        assertEquals(List.of("https://a.example/x"), Normalized.links(List.of("https://a.example/x/", "https://A.example/x")));
    }

    @Test
    void shortPostsInFrenchAndEnglish() {
        TextLanguage language = new TextLanguage();
        assertEquals("fr", language.detect("@acme_rail encore 40 minutes de retard ce matin, aucune info en gare"));
        assertEquals("en", language.detect("Still waiting for my refund @acme_rail https://example.org/x #refund"));
        assertNull(language.detect("👍 https://example.org @bob"), "nothing to tell");
        assertNull(language.detect(null));
    }
}
