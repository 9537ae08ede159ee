package io.palabre.ingest.connector.bluesky;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.ingest.connector.ConnectorsConfig;
import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.PlatformHttp;
import io.palabre.ingest.connector.PlatformHttp.PlatformException;
import io.palabre.ingest.connector.PollingConnector;
import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.query.ListeningQuery;
import io.palabre.ingest.query.QueryMatcher;

/**
 * Bluesky {@code app.bsky.feed.searchPosts}, newest first, through a session created with an app password
 * (unauthenticated search is refused by Bluesky). The query's words go to the search; its boolean terms filter the
 * answers. The cursor is the newest {@code indexedAt} seen, passed as {@code since}.
 */
@ApplicationScoped
public class BlueskySearchConnector implements PollingConnector {

    private final PlatformHttp http;
    private final BlueskyMapper mapper;
    private final ConnectorsConfig config;
    private final ObjectMapper json;
    private volatile String accessJwt;

    public BlueskySearchConnector(PlatformHttp http, BlueskyMapper mapper, ConnectorsConfig config, ObjectMapper json) {
        this.http = http;
        this.mapper = mapper;
        this.config = config;
        this.json = json;
    }

    @Override
    public String name() {
        return "bluesky-search";
    }

    @Override
    public String platform() {
        return "bluesky";
    }

    @Override
    public boolean configured() {
        return config.blueskySearch().enabled() && config.blueskySearch().identifier().isPresent()
                && config.blueskySearch().appPassword().isPresent();
    }

    @Override
    public Poll poll(ListeningQuery query, String cursor) throws PlatformException {
        String words = QueryMatcher.searchWords(query);
        QueryMatcher matcher = new QueryMatcher(query);
        Source source = new Source(name(), query.name, Instant.now());
        Mapping mapping = new Mapping();
        String since = cursor != null ? cursor : Instant.now().minus(config.firstLookback()).toString();
        String newest = since;
        Instant nextAllowed = Instant.now();
        String page = null;
        List<Missed> missed = new ArrayList<>();
        for (int i = 0; i < config.blueskySearch().maxPages(); i++) {
            String url = config.blueskySearch().pdsUrl() + "/xrpc/app.bsky.feed.searchPosts?sort=latest&limit=100&q="
                    + URLEncoder.encode(words, StandardCharsets.UTF_8) + "&since="
                    + URLEncoder.encode(since, StandardCharsets.UTF_8)
                    + (page == null ? "" : "&cursor=" + URLEncoder.encode(page, StandardCharsets.UTF_8));
            PlatformHttp.Response response = authenticatedGet(url);
            nextAllowed = response.nextAllowedAt();
            JsonNode body = response.json();
            Mapping found = mapper.mapViews(body, source);
            for (MentionCaptured m : found.mentions()) {
                if (matcher.matches(m)) {
                    mapping.add(m);
                } else {
                    mapping.skip("bluesky search hit does not match the query's terms");
                }
            }
            found.problems().forEach(p -> mapping.problem(p.reason(), p.item()));
            for (JsonNode post : body.path("posts")) {
                String indexed = post.path("indexedAt").asText(null);
                if (indexed != null && indexed.compareTo(newest) > 0) {
                    newest = indexed;
                }
            }
            page = body.hasNonNull("cursor") && body.path("posts").size() > 0 ? body.get("cursor").asText() : null;
            if (page == null) {
                break;
            }
            if (i + 1 == config.blueskySearch().maxPages()) {
                missed.add(new Missed("range", Instant.parse(since), null, null, "more results than "
                        + config.blueskySearch().maxPages() + " pages since the cursor; the oldest were not read"));
            }
        }
        return new Poll(mapping, newest, newest.equals(since) ? null : Instant.parse(newest), nextAllowed, missed);
    }

    /** A GET with the session's token, creating the session first and again once if it expired. */
    private PlatformHttp.Response authenticatedGet(String url) throws PlatformException {
        if (accessJwt == null) {
            createSession();
        }
        try {
            return http.get(url, Map.of("Authorization", "Bearer " + accessJwt));
        } catch (PlatformException e) {
            if (e instanceof PlatformHttp.RateLimitedException || !e.getMessage().contains("answered 401")) {
                throw e;
            }
            createSession();
            return http.get(url, Map.of("Authorization", "Bearer " + accessJwt));
        }
    }

    private void createSession() throws PlatformException {
        String body;
        try {
            body = json.writeValueAsString(Map.of("identifier", config.blueskySearch().identifier().orElseThrow(),
                    "password", config.blueskySearch().appPassword().orElseThrow()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        JsonNode session = http.postJson(config.blueskySearch().pdsUrl()
                + "/xrpc/com.atproto.server.createSession", body).json();
        if (!session.hasNonNull("accessJwt")) {
            throw new PlatformException("Bluesky refused the session: " + session.path("message").asText());
        }
        accessJwt = session.get("accessJwt").asText();
    }

}
