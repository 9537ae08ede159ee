package io.palabre.dashboard.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.palabre.dashboard.service.LiveActivity;
import io.palabre.dashboard.service.LiveActivity.LiveMention;
import io.palabre.support.security.Role;
import io.smallrye.mutiny.Multi;

/**
 * New activity, live, as server-sent events.
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/stream")
@Tag(name = "Mentions")
public class StreamResource {

    private final LiveActivity live;

    public StreamResource(LiveActivity live) {
        this.live = live;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mentions as the dashboard stores them, as server-sent events",
            description = "Filter by listening query and platform. Events a slow client cannot take are dropped "
                    + "for that client.")
    public Multi<LiveMention> stream(@QueryParam("query") String query, @QueryParam("platform") String platform) {
        String chosen = Params.platform(platform);
        String wanted = query == null || query.isBlank() ? null : query.strip();
        return live.mentions().filter(m -> (wanted == null || wanted.equals(m.query()))
                && (chosen == null || chosen.equals(m.platform())));
    }
}
