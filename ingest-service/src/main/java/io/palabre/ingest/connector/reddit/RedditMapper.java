package io.palabre.ingest.connector.reddit;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.MentionBuilder.UnmappableException;
import io.palabre.ingest.connector.Text;

/**
 * Maps Reddit listings (search, new comments, a submission's comment tree) to canonical mentions, keyed by
 * fullname ({@code t3_} submissions, {@code t1_} comments). The thread root is {@code link_id}, the parent
 * {@code parent_id}; {@code u/name} in the text are the only mentions Reddit has. {@code more} stubs name comments
 * the payload does not hold: they are counted, not invented.
 */
@ApplicationScoped
public class RedditMapper {

    private static final Pattern USER = Pattern.compile("(?<![\\w/])/?u/([A-Za-z0-9_-]{3,20})");
    private static final String DELETED = "[deleted]";

    public Mapping map(JsonNode payload, Source source) {
        Mapping mapping = new Mapping();
        Map<String, String> authors = new HashMap<>();
        collectAuthors(payload, authors);
        walk(payload, source, mapping, authors);
        return mapping;
    }

    /** The ids of the comments that {@code more} stubs of a payload stand for (to expand with /api/morechildren). */
    public static java.util.List<String> moreChildren(JsonNode node) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        collectMore(node, ids);
        return ids;
    }

    private static void collectMore(JsonNode node, java.util.List<String> ids) {
        if (node.isArray()) {
            node.forEach(n -> collectMore(n, ids));
        } else if (node.isObject()) {
            if ("more".equals(Text.string(node, "kind"))) {
                node.path("data").path("children").forEach(c -> ids.add(c.asText()));
            }
            node.path("data").path("children").forEach(n -> collectMore(n, ids));
            if (node.path("data").path("replies").isObject()) {
                collectMore(node.path("data").get("replies"), ids);
            }
        }
    }

    private static void collectAuthors(JsonNode node, Map<String, String> authors) {
        if (node.path("json").path("data").has("things")) {
            collectAuthors(node.path("json").path("data").path("things"), authors);
            return;
        }
        if (node.isArray()) {
            node.forEach(n -> collectAuthors(n, authors));
        } else if (node.isObject()) {
            JsonNode data = node.path("data");
            if (data.hasNonNull("name") && data.hasNonNull("author")) {
                authors.put(data.get("name").asText(), data.get("author").asText());
            }
            data.path("children").forEach(n -> collectAuthors(n, authors));
            if (data.path("replies").isObject()) {
                collectAuthors(data.get("replies"), authors);
            }
        }
    }

    private void walk(JsonNode node, Source source, Mapping mapping, Map<String, String> authors) {
        if (node.isArray()) {
            node.forEach(n -> walk(n, source, mapping, authors));
            return;
        }
        String kind = Text.string(node, "kind");
        JsonNode data = node.path("data");
        if ("Listing".equals(kind)) {
            data.path("children").forEach(n -> walk(n, source, mapping, authors));
            return;
        }
        if ("more".equals(kind)) {
            mapping.skip("reddit 'more' stub: comments not in this payload (expand with /api/morechildren)");
            return;
        }
        if (node.has("json") && node.path("json").path("data").has("things")) {
            // /api/morechildren answers {json:{data:{things:[t1...]}}}
            node.path("json").path("data").path("things").forEach(n -> walk(n, source, mapping, authors));
            return;
        }
        if (!"t1".equals(kind) && !"t3".equals(kind)) {
            mapping.problem("not a reddit listing, comment or submission (kind " + kind + ")", node.toString());
            return;
        }
        try {
            mapping.add(thing(kind, data, source, authors));
        } catch (UnmappableException | RuntimeException e) {
            mapping.problem("reddit " + kind + ": " + e.getMessage(), String.valueOf(data));
        }
        if (data.path("replies").isObject()) {
            walk(data.get("replies"), source, mapping, authors);
        }
    }

    private static io.palabre.ingest.domain.MentionCaptured thing(String kind, JsonNode data, Source source,
            Map<String, String> authors) throws UnmappableException {
        String author = Text.string(data, "author");
        boolean submission = "t3".equals(kind);
        String body = submission ? Text.string(data, "selftext") : Text.string(data, "body");
        boolean gone = DELETED.equals(author) && (DELETED.equals(body) || "[removed]".equals(body));
        String text = submission ? join(Text.string(data, "title"), body) : body;
        String permalink = Text.string(data, "permalink");
        MentionBuilder b = new MentionBuilder("reddit", source)
                .id(Text.string(data, "name"))
                .kind(gone ? "delete" : "post")
                .url(permalink == null ? null : "https://www.reddit.com" + permalink.replaceFirst("\\?.*$", ""))
                .createdAt(Text.epochSeconds(data.path("created_utc")))
                .author(author, author, null, false)
                .text(gone ? "" : text);
        if (!submission) {
            String parent = Text.string(data, "parent_id");
            b.replyTo(parent, authors.get(parent));
            b.conversation(Text.string(data, "link_id"));
        } else {
            if (!data.path("is_self").asBoolean(true)) {
                b.link(Text.string(data, "url"));
            }
            String crosspost = Text.string(data, "crosspost_parent");
            if (crosspost != null) {
                b.quoteOf(crosspost);
            }
        }
        if (!gone) {
            Matcher m = USER.matcher(text == null ? "" : text);
            while (m.find()) {
                b.mention(m.group(1), m.group(1));
            }
            Text.linksInText(body).forEach(b::link);
        }
        return b.build();
    }

    private static String join(String title, String body) {
        String t = title == null ? "" : title;
        return body == null || body.isBlank() ? t : t + "\n\n" + body;
    }
}
