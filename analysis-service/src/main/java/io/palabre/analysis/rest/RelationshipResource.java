package io.palabre.analysis.rest;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.palabre.analysis.domain.RelationshipUpdated;
import io.palabre.analysis.service.GraphMetricsService;
import io.palabre.analysis.service.RelationshipService;
import io.palabre.support.security.Role;

/**
 * The relationship graph between accounts, over the whole history or a time window.
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/analysis/relationships")
@Tag(name = "Analysis")
@Produces(MediaType.APPLICATION_JSON)
public class RelationshipResource {

    static final int MAX_LIMIT = 10_000;

    private final RelationshipService relationships;

    public RelationshipResource(RelationshipService relationships) {
        this.relationships = relationships;
    }

    @GET
    @Operation(summary = "Directed, typed, weighted relationships, heaviest first",
            description = "Without window, from or to: the whole history. window=24h|7d|30d, or from/to (RFC 3339), "
                    + "computes the relationships of the mentions created in [from, to).")
    public List<RelationshipUpdated> list(
            @Parameter(description = "reply, mention, quote or repost; all types when absent") @QueryParam("type") String type,
            @Parameter(description = "24h, 7d or 30d, ending now") @QueryParam("window") String window,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @Parameter(description = "smallest weight, default 1") @QueryParam("minWeight") String minWeight,
            @Parameter(description = "1 to 10000, default 1000") @QueryParam("limit") String limit)
            throws SQLException {
        if (type != null && !GraphMetricsService.TYPES.contains(type)) {
            throw new Problems.BadRequest("type must be one of " + GraphMetricsService.TYPES + ", not " + type);
        }
        int min = Problems.bounded("minWeight", minWeight, 1, 1, Integer.MAX_VALUE);
        int max = Problems.bounded("limit", limit, 1000, 1, MAX_LIMIT);
        Instant now = Instant.now();
        Instant start = Problems.instant("from", from, null);
        Instant end = Problems.instant("to", to, null);
        if (window != null) {
            if (start != null || end != null) {
                throw new Problems.BadRequest("give either window or from/to, not both");
            }
            Duration length = switch (window) {
                case "24h" -> Duration.ofHours(24);
                case "7d" -> Duration.ofDays(7);
                case "30d" -> Duration.ofDays(30);
                default -> throw new Problems.BadRequest("window must be 24h, 7d or 30d, not " + window);
            };
            return relationships.window(now.minus(length), now, type, min, max);
        }
        if (start == null && end == null) {
            return relationships.allTime(type, min, max);
        }
        start = start == null ? Instant.EPOCH : start;
        end = end == null ? now : end;
        if (!start.isBefore(end)) {
            throw new Problems.BadRequest("from must be before to");
        }
        return relationships.window(start, end, type, min, max);
    }
}
