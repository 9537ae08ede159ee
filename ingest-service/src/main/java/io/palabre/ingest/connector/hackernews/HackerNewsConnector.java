package io.palabre.ingest.connector.hackernews;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

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
 * Hacker News through Algolia's {@code search_by_date}: stories and comments newer than the cursor (the newest
 * {@code created_at_i} seen), newest first, filtered with the query's boolean terms. Algolia returns at most 1,000
 * hits per query, so a larger backlog is recorded as a gap rather than silently cut.
 */
@ApplicationScoped
public class HackerNewsConnector implements PollingConnector {

    private static final int HITS_PER_PAGE = 100;

    private final PlatformHttp http;
    private final HackerNewsMapper mapper;
    private final ConnectorsConfig config;

    public HackerNewsConnector(PlatformHttp http, HackerNewsMapper mapper, ConnectorsConfig config) {
        this.http = http;
        this.mapper = mapper;
        this.config = config;
    }

    @Override
    public String name() {
        return "hackernews-algolia";
    }

    @Override
    public String platform() {
        return "hackernews";
    }

    @Override
    public boolean configured() {
        return config.hackernews().enabled();
    }

    @Override
    public Poll poll(ListeningQuery query, String cursor) throws PlatformException {
        long since = cursor != null ? Long.parseLong(cursor)
                : Instant.now().minus(config.firstLookback()).getEpochSecond();
        String words = QueryMatcher.searchWords(query);
        QueryMatcher matcher = new QueryMatcher(query);
        Source source = new Source(name(), query.name, Instant.now());
        Mapping mapping = new Mapping();
        long newest = since;
        Instant nextAllowed = Instant.now();
        List<Missed> missed = new ArrayList<>();
        int maxPages = Math.max(1, config.hackernews().maxHits() / HITS_PER_PAGE);
        for (int page = 0; page < maxPages; page++) {
            String url = config.hackernews().baseUrl() + "/api/v1/search_by_date?query="
                    + URLEncoder.encode(words, StandardCharsets.UTF_8) + "&tags=(story,comment)&hitsPerPage="
                    + HITS_PER_PAGE + "&page=" + page + "&numericFilters="
                    + URLEncoder.encode("created_at_i>" + since, StandardCharsets.UTF_8)
                    + (query.terms != null && query.terms.contains(" OR ")
                            ? "&optionalWords=" + URLEncoder.encode(words, StandardCharsets.UTF_8)
                            : "");
            PlatformHttp.Response response = http.get(url, Map.of());
            nextAllowed = response.nextAllowedAt();
            JsonNode body = response.json();
            Mapping pageMapping = mapper.map(body, source);
            for (MentionCaptured m : pageMapping.mentions()) {
                if (matcher.matches(m)) {
                    mapping.add(m);
                } else {
                    mapping.skip("hackernews hit does not match the query's terms");
                }
                newest = Math.max(newest, m.createdAt().getEpochSecond());
            }
            pageMapping.problems().forEach(p -> mapping.problem(p.reason(), p.item()));
            int pages = body.path("nbPages").asInt(0);
            if (page + 1 >= pages) {
                break;
            }
            if (page + 1 == maxPages) {
                long total = body.path("nbHits").asLong();
                missed.add(new Missed("range", Instant.ofEpochSecond(since), null, null, total + " hits since the "
                        + "cursor, more than the " + config.hackernews().maxHits() + " Algolia returns: the oldest were "
                        + "not collected"));
            }
        }
        return new Poll(mapping, Long.toString(newest), newest > since ? Instant.ofEpochSecond(newest) : null,
                nextAllowed, missed);
    }
}
