package io.palabre.ingest.connector.bluesky;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * The ancestors of a Bluesky reply in one call: {@code getPostThread} on the parent with {@code depth=0} and
 * {@code parentHeight}.
 */
@ApplicationScoped
public class BlueskyThreadFetcher implements ParentFetcher {

    private final PlatformHttp http;
    private final BlueskyMapper mapper;
    private final ConnectorsConfig config;

    public BlueskyThreadFetcher(PlatformHttp http, BlueskyMapper mapper, ConnectorsConfig config) {
        this.http = http;
        this.mapper = mapper;
        this.config = config;
    }

    @Override
    public String platform() {
        return "bluesky";
    }

    @Override
    public Mapping ancestors(MentionCaptured reply, int maxDepth, Source source) throws PlatformException {
        String uri = reply.replyTo().id().substring("bluesky:".length());
        String url = config.blueskyAppviewUrl() + "/xrpc/app.bsky.feed.getPostThread?uri="
                + URLEncoder.encode(uri, StandardCharsets.UTF_8) + "&depth=0&parentHeight=" + maxDepth;
        PlatformHttp.Response response = http.get(url, Map.of());
        return mapper.mapViews(response.json(), source);
    }
}
