package io.palabre.dashboard.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.palabre.dashboard.service.RecentResults;

/**
 * Cache-Control on the API's answers: aggregates may be reused for as long as the server reuses them; everything
 * else is revalidated (the conversation tree carries an ETag for that).
 */
public class CachingHeaders {

    private final RecentResults recent;

    public CachingHeaders(RecentResults recent) {
        this.recent = recent;
    }

    @ServerResponseFilter
    public void cacheControl(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!request.getMethod().equals("GET") || !path.startsWith("/api/") || path.startsWith("/api/stream")
                || response.getHeaders().containsKey("Cache-Control")) {
            return;
        }
        String sort = request.getUriInfo().getQueryParameters().getFirst("sort");
        boolean aggregate = path.startsWith("/api/timeseries") || path.startsWith("/api/top/")
                || path.equals("/api/conversations") && sort != null && !sort.isBlank() && !sort.equals("recent");
        if (response.getStatus() == 200 && aggregate && recent.maxAgeSeconds() > 0) {
            response.getHeaders().putSingle("Cache-Control", "private, max-age=" + recent.maxAgeSeconds());
        } else {
            response.getHeaders().putSingle("Cache-Control", "no-cache");
        }
    }
}
