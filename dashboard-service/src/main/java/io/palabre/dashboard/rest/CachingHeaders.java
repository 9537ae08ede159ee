package io.palabre.dashboard.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.palabre.dashboard.service.RecentResults;
import io.palabre.dashboard.service.ReusedAnswer;

/**
 * Cache-Control on the API's answers: what the server reuses ({@link RecentResults}) clients may reuse as long;
 * everything else is revalidated (the conversation tree carries an ETag for that).
 */
public class CachingHeaders {

    private final RecentResults recent;
    private final ReusedAnswer answer;

    public CachingHeaders(RecentResults recent, ReusedAnswer answer) {
        this.recent = recent;
        this.answer = answer;
    }

    @ServerResponseFilter
    public void cacheControl(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!request.getMethod().equals("GET") || !path.startsWith("/api/") || path.startsWith("/api/stream")
                || response.getHeaders().containsKey("Cache-Control")) {
            return;
        }
        if (response.getStatus() == 200 && answer.reusable()) {
            response.getHeaders().putSingle("Cache-Control", "private, max-age=" + recent.maxAgeSeconds());
        } else {
            response.getHeaders().putSingle("Cache-Control", "no-cache");
        }
    }
}
