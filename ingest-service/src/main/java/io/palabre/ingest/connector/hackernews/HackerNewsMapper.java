package io.palabre.ingest.connector.hackernews;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.MentionBuilder.UnmappableException;
import io.palabre.ingest.connector.Text;

/**
 * Maps Hacker News payloads to canonical mentions: Algolia {@code search_by_date} hits and {@code items/:id} trees
 * ({@code parent_id}, {@code story_id} as the root) and Firebase items ({@code parent}, no root). Text is HTML.
 */
@ApplicationScoped
public class HackerNewsMapper {

    public Mapping map(JsonNode payload, Source source) {
        Mapping mapping = new Mapping();
        if (payload.has("hits")) {
            payload.get("hits").forEach(hit -> add(hit, Map.of(), source, mapping));
        } else if (payload.has("items") && payload.has("profiles")) {
            mapping.skip("firebase updates list ids of changed items, not the items");
        } else if (payload.has("children") || payload.has("story_id") || payload.has("created_at_i")) {
            Map<String, String> authors = new HashMap<>();
            collectAuthors(payload, authors);
            tree(payload, authors, source, mapping);
        } else if (payload.has("by") || payload.has("deleted") || payload.has("type")) {
            add(payload, Map.of(), source, mapping);
        } else {
            mapping.problem("not an Algolia or Firebase Hacker News payload", payload.toString());
        }
        return mapping;
    }

    private static void collectAuthors(JsonNode item, Map<String, String> authors) {
        if (item.hasNonNull("author")) {
            authors.put(item.path("id").asText(), item.get("author").asText());
        }
        item.path("children").forEach(child -> collectAuthors(child, authors));
    }

    private void tree(JsonNode item, Map<String, String> authors, Source source, Mapping mapping) {
        add(item, authors, source, mapping);
        item.path("children").forEach(child -> tree(child, authors, source, mapping));
    }

    private static void add(JsonNode item, Map<String, String> authors, Source source, Mapping mapping) {
        try {
            mapping.add(item(item, authors, source));
        } catch (UnmappableException | RuntimeException e) {
            mapping.problem("hackernews item: " + e.getMessage(), String.valueOf(item));
        }
    }

    private static io.palabre.ingest.domain.MentionCaptured item(JsonNode item, Map<String, String> authors,
            Source source) throws UnmappableException {
        boolean firebase = item.has("by") || item.has("time") && !item.has("created_at");
        String id = item.hasNonNull("objectID") ? item.get("objectID").asText() : Text.string(item, "id");
        String author = firebase ? Text.string(item, "by") : Text.string(item, "author");
        String type = Text.string(item, "type");
        if (type == null && item.has("_tags")) {
            for (JsonNode tag : item.get("_tags")) {
                if (tag.asText().equals("comment") || tag.asText().equals("story")) {
                    type = tag.asText();
                }
            }
        }
        Instant created = item.hasNonNull("created_at_i") ? Instant.ofEpochSecond(item.get("created_at_i").asLong())
                : item.hasNonNull("time") ? Instant.ofEpochSecond(item.get("time").asLong())
                : Text.instant(Text.string(item, "created_at"));
        boolean deleted = item.path("deleted").asBoolean(false) || item.path("dead").asBoolean(false);
        String html = firstOf(item, "comment_text", "story_text", "text");
        String title = Text.string(item, "title");
        String text = Text.fromHtml(html);
        if (title != null) {
            text = text.isEmpty() ? title : title + "\n\n" + text;
        }
        MentionBuilder b = new MentionBuilder("hackernews", source)
                .id(id)
                .kind(deleted ? "delete" : "post")
                .url("https://news.ycombinator.com/item?id=" + id)
                .createdAt(created)
                .author(author == null ? "[deleted]" : author, author, null, false)
                .text(deleted ? "" : text);
        String parent = firebase ? Text.string(item, "parent") : Text.string(item, "parent_id");
        String story = Text.string(item, "story_id");
        boolean comment = "comment".equals(type) || parent != null;
        if (comment && parent != null) {
            b.replyTo(parent, authors.get(parent));
            if (story != null && !story.equals(id)) {
                b.conversation(story);
            }
        }
        if (!deleted) {
            String url = firstOf(item, "url", "story_url");
            if (url != null && !comment) {
                b.link(url);
            }
            Text.linksInHtml(html).forEach(b::link);
        }
        return b.build();
    }

    private static String firstOf(JsonNode item, String... fields) {
        for (String field : fields) {
            String value = Text.string(item, field);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
