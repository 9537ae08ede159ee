package io.palabre.dashboard.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
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

import io.palabre.dashboard.service.MentionSearch;
import io.palabre.dashboard.service.ReadLane;
import io.palabre.dashboard.service.ReadLanes;
import io.palabre.dashboard.domain.Mention;
import io.palabre.dashboard.rest.Views.MentionView;
import io.palabre.dashboard.rest.Views.Page;
import io.palabre.support.security.Role;

/**
 * Mentions, newest first, filtered by platform, time, author, hashtag, language and listening query, and searched
 * by full text.
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/mentions")
@Tag(name = "Mentions", description = "Every captured post, reply, quote and repost")
@Produces(MediaType.APPLICATION_JSON)
public class MentionResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    @GET
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Transactional
    @Operation(summary = "Mentions, newest first",
            description = "Filters combine: platform, time window [from, to), author (global id), hashtag (without "
                    + "'#'), lang, query (listening query name) and q, a full-text search over the text (words, "
                    + "\"phrases\", OR, -word). Keyset pagination: pass `nextCursor` back as `cursor`. At most 500 "
                    + "per page.")
    @APIResponse(responseCode = "200", description = "A page of mentions")
    @APIResponse(responseCode = "400", description = "A bad parameter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Page<MentionView> list(
            @Parameter(description = "Only this platform", example = "mastodon") @QueryParam("platform") String platform,
            @Parameter(description = "Created at or after this instant (RFC 3339)", example = "2026-01-01T00:00:00Z")
            @QueryParam("from") String from,
            @Parameter(description = "Created before this instant (RFC 3339)") @QueryParam("to") String to,
            @Parameter(description = "Only this author (global id)") @QueryParam("author") String author,
            @Parameter(description = "Only mentions with this hashtag", example = "greve") @QueryParam("hashtag") String hashtag,
            @Parameter(description = "Only this language (platform's or detected)", example = "fr") @QueryParam("lang") String lang,
            @Parameter(description = "Only mentions captured for this listening query") @QueryParam("query") String query,
            @Parameter(description = "Full-text search", example = "refund -job") @QueryParam("q") String q,
            @Parameter(description = "Page size, 1 to 500") @QueryParam("limit") String limit,
            @Parameter(description = "From a previous page's nextCursor") @QueryParam("cursor") String cursor) {
        int size = Params.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        MentionFilter filter = MentionFilter.of(platform, from, to, author, hashtag, lang, query, q);
        Cursor after = Cursor.decode(cursor);
        StringBuilder where = new StringBuilder(" where true");
        Map<String, Object> params = MentionFilter.params();
        filter.where(where, params);
        if (after != null) {
            where.append(" and (m.created_at < :at or (m.created_at = :at and m.id < :id))");
            params.put("at", after.at());
            params.put("id", after.id());
        }
        String newest = " order by m.created_at desc, m.id desc limit " + (size + 1);
        List<Mention> found;
        if (filter.q() == null) {
            found = query("select m.* from mention m" + where + newest, params, Mention.class);
        } else {
            // Sorted from the full-text index when the words are rare, else newest first (MentionSearch): the ids,
            // then the mentions.
            Map.Entry<String, List<Object>> positional = MentionFilter.positional(where.substring(" where ".length()),
                    params);
            List<String> ids = Mention.getEntityManager().unwrap(org.hibernate.Session.class).doReturningWork(
                    c -> MentionSearch.newest(c, positional.getKey(), positional.getValue(), size + 1,
                            MentionSearch.GLANCE_MILLIS, MentionSearch.RARE, MentionSearch.WALK_MILLIS).ids());
            Map<String, Object> byId = MentionFilter.params();
            byId.put("ids", ids);
            found = ids.isEmpty() ? List.of()
                    : query("select m.* from mention m where m.id in (:ids)" + newest, byId, Mention.class);
        }
        return Page.of(found, size, m -> new Cursor(m.createdAt, m.id), MentionView::of);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> query(String sql, Map<String, Object> params, Class<T> type) {
        jakarta.persistence.Query q = Mention.getEntityManager().createNativeQuery(sql, type);
        params.forEach(q::setParameter);
        return q.getResultList();
    }

    @GET
    @ReadLane(ReadLanes.Lane.LOOKUP)
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
