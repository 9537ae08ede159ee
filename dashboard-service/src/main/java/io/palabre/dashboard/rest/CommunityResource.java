package io.palabre.dashboard.rest;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.palabre.dashboard.service.ReadLane;
import io.palabre.dashboard.service.ReadLanes;
import io.palabre.dashboard.service.GraphQueries;
import io.palabre.support.security.Role;

/**
 * Communities found in the relationship graph by analysis-service's last graph run (Leiden), in two levels: over the
 * whole graph, and the divisions of each community where its own structure splits it (small groups that the whole
 * graph's level cannot see).
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/communities")
@Tag(name = "Graph")
@Produces(MediaType.APPLICATION_JSON)
public class CommunityResource {

    private final GraphQueries graph;

    public CommunityResource(GraphQueries graph) {
        this.graph = graph;
    }

    @GET
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Operation(summary = "Communities, largest first, with their most central accounts, hashtags and links",
            description = "level: 0 (default) over the whole graph, 1 the divisions of each community (each names the "
                    + "community it divides; `community` keeps one community's); limit: 1 to 100 communities (default "
                    + "20); top: 1 to 50 items per list (default 10).")
    public List<Map<String, Object>> communities(@QueryParam("level") String level,
            @QueryParam("community") String community, @QueryParam("limit") String limit,
            @QueryParam("top") String top) throws SQLException {
        int depth = Params.bounded("level", level, 0, 0, 1);
        Integer within = community == null || community.isBlank() ? null
                : Params.bounded("community", community, 0, 0, Integer.MAX_VALUE);
        return graph.communities(depth, within, Params.limit(limit, 20, 100), Params.bounded("top", top, 10, 1, 50));
    }
}
