package io.palabre.dashboard.rest;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.palabre.dashboard.domain.Mention;
import io.palabre.dashboard.rest.ProblemMappers.BadParameterException;
import io.palabre.dashboard.rest.Views.MentionView;
import io.palabre.dashboard.rest.Views.Page;
import io.quarkus.panache.common.Sort;

/**
 * Mentions, newest first, filtered by platform and time.
 */
@Path("/api/mentions")
@Tag(name = "Mentions", description = "Every captured post, reply, quote and repost")
@Produces(MediaType.APPLICATION_JSON)
public class MentionResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    @GET
    @Transactional
    @Operation(summary = "Mentions, newest first",
            description = "Filter by platform and by a time window [from, to). Keyset pagination: pass `nextCursor` "
                    + "back as `cursor`. At most 500 per page.")
    @APIResponse(responseCode = "200", description = "A page of mentions")
    @APIResponse(responseCode = "400", description = "A bad parameter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Page<MentionView> list(
            @Parameter(description = "Only this platform", example = "mastodon") @QueryParam("platform") String platform,
            @Parameter(description = "Created at or after this instant (RFC 3339)", example = "2026-01-01T00:00:00Z")
            @QueryParam("from") String from,
            @Parameter(description = "Created before this instant (RFC 3339)") @QueryParam("to") String to,
            @Parameter(description = "Page size, 1 to 500") @QueryParam("limit") String limit,
            @Parameter(description = "From a previous page's nextCursor") @QueryParam("cursor") String cursor) {
        int size = Params.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        String chosen = Params.platform(platform);
        Instant fromInstant = Params.instant("from", from);
        Instant toInstant = Params.instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw new BadParameterException("from must be before to");
        }
        Cursor after = Cursor.decode(cursor);
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (chosen != null) {
            where.append(" and platform = :platform");
            params.put("platform", chosen);
        }
        if (fromInstant != null) {
            where.append(" and createdAt >= :from");
            params.put("from", fromInstant);
        }
        if (toInstant != null) {
            where.append(" and createdAt < :to");
            params.put("to", toInstant);
        }
        if (after != null) {
            where.append(" and (createdAt < :at or (createdAt = :at and id < :id))");
            params.put("at", after.at());
            params.put("id", after.id());
        }
        List<Mention> found = Mention.<Mention> find(where.toString(), Sort.descending("createdAt", "id"), params)
                .page(0, size + 1).list();
        return Page.of(found, size, m -> new Cursor(m.createdAt, m.id), MentionView::of);
    }

    @GET
    @Path("/{id: .+}")
    @Transactional
    @Operation(summary = "One mention", description = "The id is the mention's global id, URL-encoded.")
    @APIResponse(responseCode = "200", description = "The mention",
            content = @Content(schema = @Schema(implementation = MentionView.class)))
    @APIResponse(responseCode = "404", description = "No mention has this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("id") String id) {
        Mention mention = Mention.findById(id);
        if (mention == null) {
            return ProblemMappers.notFound("No mention with id " + id);
        }
        return Response.ok(MentionView.of(mention)).build();
    }
}
