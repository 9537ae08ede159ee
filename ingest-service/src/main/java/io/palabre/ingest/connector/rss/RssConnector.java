package io.palabre.ingest.connector.rss;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
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
 * Polls the RSS and Atom feeds a query watches ({@code rss:<feed url>} in its accounts) with conditional GETs
 * ({@code ETag}, {@code Last-Modified}), publishing the items newer than the newest seen. Feeds are a sliding
 * window: an item that left the window between two polls cannot be seen, so polls should be frequent.
 */
@ApplicationScoped
public class RssConnector implements PollingConnector {

    private static final TypeReference<Map<String, FeedCursor>> CURSOR = new TypeReference<>() {
    };

    private final PlatformHttp http;
    private final FeedMapper mapper;
    private final ConnectorsConfig config;
    private final ObjectMapper json;

    public RssConnector(PlatformHttp http, FeedMapper mapper, ConnectorsConfig config, ObjectMapper json) {
        this.http = http;
        this.mapper = mapper;
        this.config = config;
        this.json = json;
    }

    /** Where one feed stands. */
    public record FeedCursor(String etag, String lastModified, Instant newestItemAt) {
    }

    @Override
    public String name() {
        return "rss";
    }

    @Override
    public String platform() {
        return "rss";
    }

    @Override
    public boolean configured() {
        return config.rss().enabled();
    }

    @Override
    public Poll poll(ListeningQuery query, String cursor) throws PlatformException {
        Map<String, FeedCursor> feeds = new HashMap<>(Cursors.read(json, cursor, CURSOR));
        Source source = new Source(name(), query.name, Instant.now());
        Mapping mapping = new Mapping();
        Instant newestAt = null;
        Instant nextAllowed = Instant.now();
        for (String account : query.accounts) {
            if (!account.startsWith("rss:")) {
                continue;
            }
            String url = account.substring("rss:".length());
            FeedCursor at = feeds.get(url);
            Map<String, String> headers = new HashMap<>();
            if (at != null && at.etag() != null) {
                headers.put("If-None-Match", at.etag());
            }
            if (at != null && at.lastModified() != null) {
                headers.put("If-Modified-Since", at.lastModified());
            }
            PlatformHttp.Response response = http.get(url, headers);
            nextAllowed = response.nextAllowedAt();
            if (response.status() == 304) {
                continue;
            }
            Mapping feed = mapper.map(response.body(), url, source);
            Instant seen = at == null ? null : at.newestItemAt();
            Instant newest = seen;
            for (MentionCaptured m : feed.mentions()) {
                if (seen == null || m.createdAt().isAfter(seen)) {
                    mapping.add(m);
                }
                newest = newest == null || m.createdAt().isAfter(newest) ? m.createdAt() : newest;
            }
            feed.problems().forEach(p -> mapping.problem(p.reason(), p.item()));
            feeds.put(url, new FeedCursor(response.headers().firstValue("ETag").orElse(null),
                    response.headers().firstValue("Last-Modified").orElse(null), newest));
            newestAt = newest != null && (newestAt == null || newest.isAfter(newestAt)) ? newest : newestAt;
        }
        return new Poll(mapping, Cursors.write(json, feeds), newestAt, nextAllowed, new ArrayList<>());
    }


}
