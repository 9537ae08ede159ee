package io.palabre.ingest.connector.bluesky;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.MentionBuilder.UnmappableException;
import io.palabre.ingest.connector.Text;

/**
 * Maps AT Protocol payloads to canonical mentions: Jetstream events (posts, reposts, their updates and deletes),
 * {@code app.bsky.feed.searchPosts} responses and {@code app.bsky.feed.getPostThread} threads.
 *
 * <p>Posts are keyed by AT-URI and accounts by DID, never by handle. Facet offsets are UTF-8 byte offsets. The
 * thread root comes from {@code reply.root}, the parent's author from the DID in {@code reply.parent.uri}.
 */
@ApplicationScoped
public class BlueskyMapper {

    static final String POST = "app.bsky.feed.post";
    static final String REPOST = "app.bsky.feed.repost";

    /** Maps a Jetstream event. */
    public Mapping mapJetstream(JsonNode event, Source source) {
        Mapping mapping = new Mapping();
        String kind = Text.string(event, "kind");
        if (!"commit".equals(kind)) {
            mapping.skip("jetstream " + kind + " event is not a post");
            return mapping;
        }
        JsonNode commit = event.path("commit");
        String collection = Text.string(commit, "collection");
        if (!POST.equals(collection) && !REPOST.equals(collection)) {
            mapping.skip("jetstream " + collection + " record is not a post");
            return mapping;
        }
        String did = Text.string(event, "did");
        String uri = "at://" + did + "/" + collection + "/" + Text.string(commit, "rkey");
        Instant seen = event.hasNonNull("time_us")
                ? Instant.EPOCH.plusNanos(event.get("time_us").asLong() * 1000)
                : source.capturedAt();
        String operation = Text.string(commit, "operation");
        try {
            if ("delete".equals(operation)) {
                mapping.add(new MentionBuilder("bluesky", source).id(uri).kind("delete").createdAt(seen)
                        .author(did, null, null, false).build());
            } else if (REPOST.equals(collection)) {
                JsonNode record = commit.path("record");
                mapping.add(new MentionBuilder("bluesky", source).id(uri)
                        .createdAt(createdAt(record, seen))
                        .author(did, null, null, false)
                        .repostOf(Text.string(record.path("subject"), "uri"))
                        .build());
            } else {
                mapping.add(post(uri, did, null, null, commit.path("record"), "update".equals(operation) ? "edit" : "post",
                        seen, source));
            }
        } catch (UnmappableException | RuntimeException e) {
            mapping.problem("bluesky jetstream: " + e.getMessage(), String.valueOf(event));
        }
        return mapping;
    }

    /**
     * Maps a searchPosts response ({@code posts}), a getPostThread response ({@code thread}), one postView, or a
     * getRecord response ({@code uri} and {@code value}).
     */
    public Mapping mapViews(JsonNode payload, Source source) {
        Mapping mapping = new Mapping();
        if (payload.has("posts")) {
            payload.get("posts").forEach(view -> view(view, source, mapping));
        } else if (payload.has("thread")) {
            thread(payload.get("thread"), source, mapping);
        } else if (payload.has("uri") && payload.has("record")) {
            view(payload, source, mapping);
        } else if (payload.has("uri") && payload.has("value")) {
            // com.atproto.repo.getRecord: a bare record and its URI.
            String uri = Text.string(payload, "uri");
            try {
                mapping.add(post(uri, didOf(uri), null, null, payload.get("value"), "post", null, source));
            } catch (UnmappableException | RuntimeException e) {
                mapping.problem("bluesky record: " + e.getMessage(), payload.toString());
            }
        } else {
            mapping.problem("not a searchPosts, getPostThread or postView payload", payload.toString());
        }
        return mapping;
    }

    private void thread(JsonNode node, Source source, Mapping mapping) {
        String type = Text.string(node, "$type");
        if (type != null && !type.endsWith("#threadViewPost")) {
            // notFoundPost, blockedPost: the child still holds the parent's URI, so the edge is kept.
            mapping.skip("thread item " + type.substring(type.indexOf('#') + 1) + " has no post");
            return;
        }
        if (node.has("parent")) {
            thread(node.get("parent"), source, mapping);
        }
        view(node.get("post"), source, mapping);
        for (JsonNode reply : node.path("replies")) {
            thread(reply, source, mapping);
        }
    }

    private void view(JsonNode view, Source source, Mapping mapping) {
        try {
            JsonNode author = view.path("author");
            boolean bot = false;
            for (JsonNode label : author.path("labels")) {
                bot |= "bot".equals(Text.string(label, "val"));
            }
            mapping.add(post(Text.string(view, "uri"), Text.string(author, "did"), Text.string(author, "handle"),
                    Text.string(author, "displayName"), view.path("record"), "post", null, source, bot));
        } catch (UnmappableException | RuntimeException e) {
            mapping.problem("bluesky post view: " + e.getMessage(), String.valueOf(view));
        }
    }

    private io.palabre.ingest.domain.MentionCaptured post(String uri, String did, String handle, String displayName,
            JsonNode record, String kind, Instant seen, Source source) throws UnmappableException {
        return post(uri, did, handle, displayName, record, kind, seen, source, false);
    }

    private io.palabre.ingest.domain.MentionCaptured post(String uri, String did, String handle, String displayName,
            JsonNode record, String kind, Instant seen, Source source, boolean bot) throws UnmappableException {
        if (uri == null || did == null) {
            throw new UnmappableException("no uri or author DID");
        }
        String text = Text.string(record, "text");
        String rkey = uri.substring(uri.lastIndexOf('/') + 1);
        MentionBuilder b = new MentionBuilder("bluesky", source)
                .id(uri)
                .kind(kind)
                .url("https://bsky.app/profile/" + (handle != null ? handle : did) + "/post/" + rkey)
                .createdAt(createdAt(record, seen))
                .author(did, handle, displayName, bot)
                .text(text);
        JsonNode langs = record.path("langs");
        if (langs.isArray() && !langs.isEmpty()) {
            b.lang(langs.get(0).asText());
        }
        JsonNode reply = record.path("reply");
        if (reply.isObject()) {
            String parent = Text.string(reply.path("parent"), "uri");
            b.replyTo(parent, didOf(parent));
            b.conversation(Text.string(reply.path("root"), "uri"));
        }
        for (JsonNode facet : record.path("facets")) {
            JsonNode index = facet.path("index");
            for (JsonNode feature : facet.path("features")) {
                String type = Text.string(feature, "$type");
                if (type == null) {
                    continue;
                }
                if (type.endsWith("#mention")) {
                    String mentioned = text == null ? null
                            : Text.utf8Slice(text, index.path("byteStart").asInt(-1), index.path("byteEnd").asInt(-1));
                    b.mention(Text.string(feature, "did"), mentioned == null ? null : mentioned.replaceFirst("^@", ""));
                } else if (type.endsWith("#tag")) {
                    b.hashtag(Text.string(feature, "tag"));
                } else if (type.endsWith("#link")) {
                    b.link(Text.string(feature, "uri"));
                }
            }
        }
        for (JsonNode tag : record.path("tags")) {
            b.hashtag(tag.asText());
        }
        JsonNode embed = record.path("embed");
        String embedType = Text.string(embed, "$type");
        if (embedType != null) {
            String quoted = switch (embedType) {
                case "app.bsky.embed.record" -> Text.string(embed.path("record"), "uri");
                case "app.bsky.embed.recordWithMedia" -> Text.string(embed.path("record").path("record"), "uri");
                default -> null;
            };
            if (quoted != null && quoted.contains("/" + POST + "/")) {
                b.quoteOf(quoted);
            }
            if (embedType.equals("app.bsky.embed.external")) {
                b.link(Text.string(embed.path("external"), "uri"));
            }
        }
        return b.build();
    }

    private static Instant createdAt(JsonNode record, Instant fallback) {
        String created = Text.string(record, "createdAt");
        return created != null ? Text.instant(created) : fallback;
    }

    /** The DID in the authority part of an AT-URI. */
    static String didOf(String atUri) {
        if (atUri == null || !atUri.startsWith("at://")) {
            return null;
        }
        String rest = atUri.substring(5);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        return authority.startsWith("did:") ? authority : null;
    }
}
