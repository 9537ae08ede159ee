package io.palabre.ingest.connector.x;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.MentionBuilder.UnmappableException;
import io.palabre.ingest.connector.Text;

/**
 * Maps X API v2 responses (recent search, filtered stream, lookups) to canonical mentions: {@code data} and the
 * posts in {@code includes.tweets}, with authors from {@code includes.users}. The root is
 * {@code conversation_id}; {@code referenced_tweets} give the parent, the quoted and the reposted post. Edited
 * posts are keyed by the first id of {@code edit_history_tweet_ids} and published as edits.
 */
@ApplicationScoped
public class XMapper {

    public Mapping map(JsonNode response, Source source) {
        Mapping mapping = new Mapping();
        if (!response.has("data") && !response.has("includes")) {
            if (response.has("errors")) {
                mapping.problem("x api error response", response.toString());
            } else {
                mapping.problem("not an X API v2 response (no data)", response.toString());
            }
            return mapping;
        }
        Map<String, JsonNode> users = new HashMap<>();
        response.path("includes").path("users").forEach(u -> users.put(Text.string(u, "id"), u));
        Map<String, JsonNode> tweets = new LinkedHashMap<>();
        JsonNode data = response.path("data");
        if (data.isArray()) {
            data.forEach(t -> tweets.put(Text.string(t, "id"), t));
        } else if (data.isObject()) {
            tweets.put(Text.string(data, "id"), data);
        }
        response.path("includes").path("tweets").forEach(t -> tweets.putIfAbsent(Text.string(t, "id"), t));
        for (JsonNode tweet : tweets.values()) {
            try {
                mapping.add(tweet(tweet, users, tweets, source));
            } catch (UnmappableException | RuntimeException e) {
                mapping.problem("x post: " + e.getMessage(), String.valueOf(tweet));
            }
        }
        return mapping;
    }

    private static io.palabre.ingest.domain.MentionCaptured tweet(JsonNode t, Map<String, JsonNode> users,
            Map<String, JsonNode> tweets, Source source) throws UnmappableException {
        String id = Text.string(t, "id");
        String authorId = Text.string(t, "author_id");
        if (authorId == null) {
            throw new UnmappableException(id + ": no author_id (request tweet.fields=author_id)");
        }
        JsonNode user = users.get(authorId);
        String username = Text.string(user, "username");
        JsonNode history = t.path("edit_history_tweet_ids");
        String original = history.isArray() && !history.isEmpty() ? history.get(0).asText() : id;
        MentionBuilder b = new MentionBuilder("x", source)
                .id(original)
                .kind(original.equals(id) ? "post" : "edit")
                .url(username != null ? "https://x.com/" + username + "/status/" + id : "https://x.com/i/status/" + id)
                .createdAt(Text.instant(Text.string(t, "created_at")))
                .author(authorId, username, Text.string(user, "name"), false)
                .text(Text.string(t, "text"))
                .lang(Text.string(t, "lang"))
                .conversation(Text.string(t, "conversation_id"));
        for (JsonNode ref : t.path("referenced_tweets")) {
            String refId = Text.string(ref, "id");
            switch (String.valueOf(Text.string(ref, "type"))) {
                case "replied_to" -> {
                    String parentAuthor = Text.string(t, "in_reply_to_user_id");
                    if (parentAuthor == null && tweets.containsKey(refId)) {
                        parentAuthor = Text.string(tweets.get(refId), "author_id");
                    }
                    b.replyTo(refId, parentAuthor);
                }
                case "quoted" -> b.quoteOf(refId);
                case "retweeted" -> b.repostOf(refId);
                default -> {
                    // Unknown reference types are ignored: they carry no relationship Palabre models.
                }
            }
        }
        JsonNode entities = t.path("entities");
        for (JsonNode m : entities.path("mentions")) {
            b.mention(Text.string(m, "id"), Text.string(m, "username"));
        }
        for (JsonNode h : entities.path("hashtags")) {
            b.hashtag(Text.string(h, "tag"));
        }
        for (JsonNode u : entities.path("urls")) {
            String expanded = Text.string(u, "expanded_url");
            b.link(expanded != null ? expanded : Text.string(u, "url"));
        }
        return b.build();
    }
}
