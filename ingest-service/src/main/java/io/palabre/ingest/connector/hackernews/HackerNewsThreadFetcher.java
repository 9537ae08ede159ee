package io.palabre.ingest.connector.hackernews;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;


import io.palabre.ingest.connector.ConnectorsConfig;
import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.ParentFetcher;
import io.palabre.ingest.connector.PlatformHttp;
import io.palabre.ingest.connector.PlatformHttp.PlatformException;
import io.palabre.ingest.domain.MentionCaptured;

/**
 * A Hacker News thread in one call: Algolia's {@code items/:story} tree holds the story and every live comment,
 * so the missing parent comes with all its ancestors.
 */
@ApplicationScoped
public class HackerNewsThreadFetcher implements ParentFetcher {

    private final PlatformHttp http;
    private final HackerNewsMapper mapper;
    private final ConnectorsConfig config;

    public HackerNewsThreadFetcher(PlatformHttp http, HackerNewsMapper mapper, ConnectorsConfig config) {
        this.http = http;
        this.mapper = mapper;
        this.config = config;
    }

    @Override
    public String platform() {
        return "hackernews";
    }

    @Override
    public Mapping ancestors(MentionCaptured reply, int maxDepth, Source source) throws PlatformException {
        String root = reply.conversationId() != null ? reply.conversationId() : reply.replyTo().id();
        String url = config.hackernews().baseUrl() + "/api/v1/items/" + root.substring("hackernews:".length());
        PlatformHttp.Response response = http.get(url, Map.of());
        return mapper.map(response.json(), source);
    }
}
