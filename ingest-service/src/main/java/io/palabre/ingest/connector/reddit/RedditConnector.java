package io.palabre.ingest.connector.reddit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
import io.palabre.ingest.query.QueryMatcher;

/**
 * Reddit over OAuth (client credentials): newest submissions matching the query's terms ({@code /search}), and
 * the newest comments of the configured subreddits filtered by the query (search finds submissions only). Each
 * listing is paged newer-than its cursor with {@code before=<fullname>}; Reddit listings stop near 1,000 items, so
 * running out of pages is recorded as a gap.
 */
@ApplicationScoped
public class RedditConnector implements PollingConnector {

    private static final TypeReference<Map<String, String>> CURSOR = new TypeReference<>() {
    };

    private final PlatformHttp http;
    private final RedditMapper mapper;
    private final ConnectorsConfig config;
    private final ObjectMapper json;
    private volatile String token;
    private volatile Instant tokenExpiresAt = Instant.EPOCH;

    public RedditConnector(PlatformHttp http, RedditMapper mapper, ConnectorsConfig config, ObjectMapper json) {
        this.http = http;
        this.mapper = mapper;
        this.config = config;
        this.json = json;
    }

    @Override
    public String name() {
        return "reddit";
    }

    @Override
    public String platform() {
        return "reddit";
    }

    @Override
    public boolean configured() {
        return config.reddit().enabled() && config.reddit().clientId().isPresent()
                && config.reddit().clientSecret().isPresent();
    }

    @Override
    public Poll poll(ListeningQuery query, String cursor) throws PlatformException {
        Map<String, String> newest = new HashMap<>(Cursors.read(json, cursor, CURSOR));
        Map<String, String> headers = authHeaders();
        QueryMatcher matcher = new QueryMatcher(query);
        Source source = new Source(name(), query.name, Instant.now());
        Mapping mapping = new Mapping();
        List<Missed> missed = new ArrayList<>();
        Instant[] newestAt = { null };
        Instant[] nextAllowed = { Instant.now() };
        if (query.terms != null && !query.terms.isBlank()) {
            String url = config.reddit().baseUrl() + "/search?sort=new&limit=100&type=link&q="
                    + URLEncoder.encode(query.terms, StandardCharsets.UTF_8);
            listing("search", url, newest, headers, null, source, mapping, missed, newestAt, nextAllowed);
        }
        for (String subreddit : config.reddit().subreddits().orElse(List.of())) {
            String url = config.reddit().baseUrl() + "/r/" + URLEncoder.encode(subreddit, StandardCharsets.UTF_8)
                    + "/comments?limit=100";
            listing("r/" + subreddit, url, newest, headers, matcher, source, mapping, missed, newestAt, nextAllowed);
        }
        return new Poll(mapping, Cursors.write(json, newest), newestAt[0], nextAllowed[0], missed);
    }

    private void listing(String key, String baseUrl, Map<String, String> newest, Map<String, String> headers,
            QueryMatcher filter, Source source, Mapping mapping, List<Missed> missed, Instant[] newestAt,
            Instant[] nextAllowed) throws PlatformException {
        String before = newest.get(key);
        String first = null;
        int pages = config.reddit().maxPages();
        for (int page = 0; page < pages; page++) {
            String url = baseUrl + (before == null ? "" : "&before=" + before);
            PlatformHttp.Response response = http.get(url, headers);
            nextAllowed[0] = response.nextAllowedAt();
            JsonNode body = response.json();
            JsonNode children = body.path("data").path("children");
            if (!children.isArray() || children.isEmpty()) {
                break;
            }
            if (first == null) {
                first = children.get(0).path("data").path("name").asText(null);
            }
            Mapping pageMapping = mapper.map(body, source);
            for (MentionCaptured m : pageMapping.mentions()) {
                if (filter == null || filter.matches(m)) {
                    mapping.add(m);
                    newestAt[0] = newestAt[0] == null || m.createdAt().isAfter(newestAt[0]) ? m.createdAt()
                            : newestAt[0];
                }
            }
            pageMapping.problems().forEach(p -> mapping.problem(p.reason(), p.item()));
            pageMapping.skipped().forEach((reason, n) -> mapping.skip(reason));
            if (before == null || children.size() < 100) {
                break; // a first poll takes the newest page; a short page is the last
            }
            before = children.get(0).path("data").path("name").asText();
            if (page + 1 == pages) {
                missed.add(new Missed("range", null, null, key, "more new items than " + pages
                        + " pages in one cycle; the listing's oldest were not read"));
            }
        }
        if (first != null) {
            newest.put(key, first);
        }
    }

    /** Headers of an authenticated Reddit call. */
    Map<String, String> authHeaders() throws PlatformException {
        return Map.of("Authorization", "bearer " + token(), "User-Agent", config.reddit().userAgent());
    }

    /** An application-only OAuth token, fetched again shortly before it expires. */
    private String token() throws PlatformException {
        if (token != null && Instant.now().isBefore(tokenExpiresAt.minusSeconds(60))) {
            return token;
        }
        String basic = Base64.getEncoder().encodeToString((config.reddit().clientId().orElseThrow() + ":"
                + config.reddit().clientSecret().orElseThrow()).getBytes(StandardCharsets.UTF_8));
        PlatformHttp.Response response = http.postForm(config.reddit().tokenUrl(),
                Map.of("Authorization", "Basic " + basic, "User-Agent", config.reddit().userAgent()),
                "grant_type=client_credentials");
        JsonNode body = response.json();
        if (!body.hasNonNull("access_token")) {
            throw new PlatformException("Reddit gave no access token: " + body.path("error").asText());
        }
        token = body.get("access_token").asText();
        tokenExpiresAt = Instant.now().plusSeconds(body.path("expires_in").asLong(3600));
        return token;
    }

}
