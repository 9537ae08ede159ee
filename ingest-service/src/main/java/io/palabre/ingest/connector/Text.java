package io.palabre.ingest.connector;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Text and value helpers shared by the platform mappers: HTML to plain text, links, hashtags, UTF-8 byte
 * slices, timestamps.
 */
public final class Text {

    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"')\\]]+");
    private static final Pattern HASHTAG = Pattern.compile("(?<![\\p{L}\\p{N}_])#([\\p{L}\\p{N}_]+)");

    private Text() {
    }

    /** Plain text of sanitised HTML: paragraphs and line breaks kept as new lines, entities decoded. */
    public static String fromHtml(String html) {
        if (html == null || html.isEmpty()) {
            return "";
        }
        String marked = html.replaceAll("(?i)<br\\s*/?>", "\n").replaceAll("(?i)</p>\\s*<p[^>]*>", "\n\n");
        Document doc = Jsoup.parseBodyFragment(marked);
        return doc.body().wholeText().strip();
    }

    /** Outbound links of HTML content, without mention and hashtag links. */
    public static List<String> linksInHtml(String html) {
        Set<String> links = new LinkedHashSet<>();
        if (html == null || html.isEmpty()) {
            return List.of();
        }
        for (Element a : Jsoup.parseBodyFragment(html).select("a[href]")) {
            String classes = a.className();
            if (classes.contains("mention") || classes.contains("hashtag") || a.hasAttr("rel") && a.attr("rel").contains("tag")) {
                continue;
            }
            String href = a.attr("href");
            if (href.startsWith("http://") || href.startsWith("https://")) {
                links.add(href);
            }
        }
        return new ArrayList<>(links);
    }

    /** URLs written in plain text. */
    public static List<String> linksInText(String text) {
        Set<String> links = new LinkedHashSet<>();
        Matcher m = URL.matcher(text == null ? "" : text);
        while (m.find()) {
            links.add(m.group().replaceAll("[.,;:!?]+$", ""));
        }
        return new ArrayList<>(links);
    }

    /** Hashtags written in plain text, lower case, without '#'. */
    public static List<String> hashtagsInText(String text) {
        Set<String> tags = new LinkedHashSet<>();
        Matcher m = HASHTAG.matcher(text == null ? "" : text);
        while (m.find()) {
            tags.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return new ArrayList<>(tags);
    }

    public static String hashtag(String tag) {
        String t = tag.startsWith("#") ? tag.substring(1) : tag;
        return t.toLowerCase(Locale.ROOT);
    }

    /** The characters between two UTF-8 byte offsets (Bluesky facets count bytes, not chars). */
    public static String utf8Slice(String text, int byteStart, int byteEnd) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (byteStart < 0 || byteEnd > bytes.length || byteStart >= byteEnd) {
            return null;
        }
        return new String(bytes, byteStart, byteEnd - byteStart, StandardCharsets.UTF_8);
    }

    /** A text field, or null when absent or JSON null. */
    public static String string(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.isMissingNode() ? null : v.asText();
    }

    public static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Epoch seconds (possibly fractional, as Reddit writes them) to an instant. */
    public static Instant epochSeconds(JsonNode value) {
        double seconds = value.asDouble();
        long whole = (long) Math.floor(seconds);
        return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
    }

    /** An RFC 3339 instant, tolerant of platforms that add microseconds or omit the zone. */
    public static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (RuntimeException e) {
            return java.time.LocalDateTime.parse(value).toInstant(java.time.ZoneOffset.UTC);
        }
    }
}
