package io.palabre.ingest.connector.reddit;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.palabre.ingest.connector.ConnectorsConfig;
import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.ParentFetcher;
import io.palabre.ingest.connector.PlatformHttp;
import io.palabre.ingest.connector.PlatformHttp.PlatformException;
import io.palabre.ingest.domain.MentionCaptured;

/**
 * The ancestors of a Reddit comment: the parent's permalink with {@code context} (the submission and the chain
 * above the parent), then the {@code more} stubs of that answer expanded through {@code /api/morechildren}.
 */
@ApplicationScoped
public class RedditThreadFetcher implements ParentFetcher {

    private static final int MORE_PER_CALL = 100;

    private final PlatformHttp http;
    private final RedditMapper mapper;
    private final RedditConnector reddit;
    private final ConnectorsConfig config;

    public RedditThreadFetcher(PlatformHttp http, RedditMapper mapper, RedditConnector reddit,
            ConnectorsConfig config) {
        this.http = http;
        this.mapper = mapper;
        this.reddit = reddit;
        this.config = config;
    }

    @Override
    public String platform() {
        return "reddit";
    }

    @Override
    public Mapping ancestors(MentionCaptured reply, int maxDepth, Source source) throws PlatformException {
        if (!reddit.configured() || reply.conversationId() == null) {
            throw new PlatformException("reddit is not configured, or the reply names no submission");
        }
        String link = reply.conversationId().substring("reddit:t3_".length());
        String parent = reply.replyTo().id().substring("reddit:".length());
        String base = config.reddit().baseUrl();
        String url = parent.startsWith("t3_")
                ? base + "/comments/" + link + "?limit=100"
                : base + "/comments/" + link + "/_/" + parent.substring(3) + "?context=" + Math.min(maxDepth, 8);
        JsonNode tree = http.get(url, reddit.authHeaders()).json();
        Mapping mapping = mapper.map(tree, source);
        List<String> more = RedditMapper.moreChildren(tree);
        for (int i = 0; i < more.size(); i += MORE_PER_CALL) {
            String children = String.join(",", more.subList(i, Math.min(more.size(), i + MORE_PER_CALL)));
            JsonNode things = http.get(base + "/api/morechildren?api_type=json&link_id=t3_" + link
                    + "&children=" + children, reddit.authHeaders()).json();
            Mapping expanded = mapper.map(things, source);
            expanded.mentions().forEach(mapping::add);
            expanded.problems().forEach(p -> mapping.problem(p.reason(), p.item()));
        }
        return mapping;
    }

}
