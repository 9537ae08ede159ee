package io.palabre.ingest.connector.mastodon;

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.ingest.connector.ConnectorsConfig;
import io.palabre.ingest.connector.Cursors;
import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.PlatformHttp;
import io.palabre.ingest.connector.PlatformHttp.PlatformException;
import io.palabre.ingest.connector.PollingConnector;
import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.query.ListeningQuery;

/**
 * One Mastodon instance's hashtag timelines ({@code /api/v1/timelines/tag/:tag}) and, with a token, its full-text
 * status search ({@code /api/v2/search}, filtered by the query's boolean terms), each paged forward with
 * {@code min_id} from the newest status seen. The cursor is that id per listing.
 */
@ApplicationScoped
public class MastodonConnector implements PollingConnector {

    private static final TypeReference<Map<String, String>> CURSOR = new TypeReference<>() {
    };
    /** The cursor key of full-text search (hashtags are keyed by their name). */
    static final String SEARCH = "search:";

    private final PlatformHttp http;
    private final MastodonMapper mapper;
    private final ConnectorsConfig config;
    private final ObjectMapper json;

    public MastodonConnector(PlatformHttp http, MastodonMapper mapper, ConnectorsConfig config, ObjectMapper json) {
        this.http = http;
        this.mapper = mapper;
        this.config = config;
        this.json = json;
    }

    @Override
    public String name() {
        return "mastodon-hashtag";
    }

    @Override
    public String platform() {
        return "mastodon";
    }

    @Override
    public boolean configured() {
        return config.mastodon().enabled();
    }

    @Override
    public Poll poll(ListeningQuery query, String cursor) throws PlatformException {
        Map<String, String> newestByTag = new HashMap<>(Cursors.read(json, cursor, CURSOR));
        String base = config.mastodon().baseUrl();
        String instance = URI.create(base).getHost();
        Map<String, String> headers = config.mastodon().token()
                .map(token -> Map.of("Authorization", "Bearer " + token)).orElse(Map.of());
        Source source = new Source(name(), query.name, Instant.now());
        Mapping mapping = new Mapping();
        Instant newestAt = null;
        Instant nextAllowed = Instant.now();
        List<Missed> missed = new java.util.ArrayList<>();
        // Each listing is followed from the newest status seen: the hashtag timelines, and full-text search when a
        // token allows it (Mastodon refuses unauthenticated status search).
        Map<String, String> listings = new java.util.LinkedHashMap<>();
        for (String tag : query.hashtags) {
            listings.put(tag, base + "/api/v1/timelines/tag/" + URLEncoder.encode(tag, StandardCharsets.UTF_8)
                    + "?limit=40");
        }
        String words = io.palabre.ingest.query.QueryMatcher.searchWords(query);
        if (config.mastodon().token().isPresent() && query.terms != null && !query.terms.isBlank()
                && !words.isEmpty()) {
            listings.put(SEARCH, base + "/api/v2/search?type=statuses&resolve=false&limit=40&q="
                    + URLEncoder.encode(words, StandardCharsets.UTF_8));
        }
        io.palabre.ingest.query.QueryMatcher matcher = new io.palabre.ingest.query.QueryMatcher(query);
        MentionCaptured.Source context = new MentionCaptured.Source(name() + "-context", null, source.capturedAt(),
                Boolean.TRUE);
        for (Map.Entry<String, String> listing : listings.entrySet()) {
            boolean search = listing.getKey().equals(SEARCH);
            String minId = newestByTag.get(listing.getKey());
            for (int page = 0; page < config.mastodon().maxPages(); page++) {
                PlatformHttp.Response response = http.get(listing.getValue()
                        + (minId == null ? "" : "&min_id=" + minId), headers);
                nextAllowed = response.nextAllowedAt();
                JsonNode statuses = search ? response.json().path("statuses") : response.json();
                if (!statuses.isArray() || statuses.isEmpty()) {
                    break;
                }
                JsonNode payload = withAncestors(statuses, base, headers, missed);
                Mapping pageMapping = mapper.map(payload, instance, source);
                java.util.Set<String> pageUris = new java.util.HashSet<>();
                statuses.forEach(st -> pageUris.add("mastodon:" + st.path("uri").asText()));
                for (MentionCaptured m : pageMapping.mentions()) {
                    if (!pageUris.contains(m.id())) {
                        mapping.add(m.withSource(context));
                    } else if (!search || matcher.matches(m)) {
                        mapping.add(m);
                        newestAt = newestAt == null || m.createdAt().isAfter(newestAt) ? m.createdAt() : newestAt;
                    } else {
                        mapping.skip("mastodon search hit does not match the query's terms");
                    }
                }
                pageMapping.problems().forEach(p -> mapping.problem(p.reason(), p.item()));
                for (JsonNode st : statuses) {
                    minId = newer(minId, st.path("id").asText());
                }
                newestByTag.put(listing.getKey(), minId);
                if (cursor == null) {
                    break; // a first poll takes the newest page only
                }
            }
        }
        return new Poll(mapping, Cursors.write(json, newestByTag), newestAt, nextAllowed, missed);
    }

    /**
     * Thread completion: a status answering a status outside the page is sent with its ancestors from
     * {@code /api/v1/statuses/:id/context}, so the parent's local id resolves to its global URI. At most
     * {@code palabre.connectors.thread-completion.max-fetches-per-cycle} calls a page; the rest are gaps.
     */
    private JsonNode withAncestors(JsonNode statuses, String base, Map<String, String> headers, List<Missed> missed) {
        com.fasterxml.jackson.databind.node.ArrayNode all = json.createArrayNode();
        java.util.Set<String> ids = new java.util.HashSet<>();
        statuses.forEach(st -> ids.add(st.path("id").asText()));
        int budget = config.threadCompletion().enabled() ? config.threadCompletion().maxFetchesPerCycle() : 0;
        for (JsonNode status : statuses) {
            String parent = status.path("in_reply_to_id").asText(null);
            if (parent != null && !ids.contains(parent)) {
                if (budget-- > 0) {
                    try {
                        JsonNode context = http.get(base + "/api/v1/statuses/"
                                + status.path("id").asText() + "/context", headers).json();
                        for (JsonNode ancestor : context.path("ancestors")) {
                            if (ids.add(ancestor.path("id").asText())) {
                                all.add(ancestor);
                            }
                        }
                    } catch (PlatformException e) {
                        missed.add(new Missed("parent", null, null, "mastodon status " + parent,
                                "parent not fetched: " + e.getMessage()));
                    }
                } else {
                    missed.add(new Missed("parent", null, null, "mastodon status " + parent,
                            "parent not fetched: the per-cycle budget was spent"));
                }
            }
            all.add(status);
        }
        return all;
    }



    /** Mastodon ids are integers in strings: compare them as numbers. */
    static String newer(String a, String b) {
        if (a == null) {
            return b;
        }
        try {
            return new BigInteger(a).compareTo(new BigInteger(b)) >= 0 ? a : b;
        } catch (NumberFormatException e) {
            return a.compareTo(b) >= 0 ? a : b;
        }
    }

}
