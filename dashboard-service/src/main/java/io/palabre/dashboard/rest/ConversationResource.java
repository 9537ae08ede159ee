package io.palabre.dashboard.rest;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.palabre.dashboard.service.ReadLane;
import io.palabre.dashboard.service.ReadLanes;
import io.palabre.dashboard.domain.Conversation;
import io.palabre.dashboard.domain.Mention;
import io.palabre.dashboard.domain.MergedConversation;
import io.palabre.dashboard.rest.ProblemMappers.BadParameterException;
import io.palabre.dashboard.rest.Views.ConversationDetail;
import io.palabre.dashboard.rest.Views.ConversationSummary;
import io.palabre.dashboard.rest.Views.Page;
import io.palabre.dashboard.service.RecentResults;
import io.palabre.support.security.Role;
import io.quarkus.panache.common.Sort;

/**
 * Conversations (reply threads), most recent activity first, and each one's reply tree.
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/conversations")
@Tag(name = "Conversations", description = "Reply threads rebuilt from every platform")
@Produces(MediaType.APPLICATION_JSON)
public class ConversationResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 200;
    static final int DEFAULT_TREE_LIMIT = 2000;
    static final int MAX_TREE_LIMIT = 20000;

    private final RecentResults recent;

    public ConversationResource(RecentResults recent) {
        this.recent = recent;
    }

    @GET
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Transactional
    @Operation(summary = "Conversations, by recent activity, size, depth or participants",
            description = "Filters combine: platform, lang, query (a listening query that captured one of its "
                    + "mentions), a window [from, to) that the conversation's activity overlaps, minSize, minDepth "
                    + "and organisation (true: an organisation account took part; false: none did). Keyset "
                    + "pagination: pass `nextCursor` back as `cursor` with the same sort. At most 200 per page.")
    @APIResponse(responseCode = "200", description = "A page of conversations")
    @APIResponse(responseCode = "400", description = "A bad parameter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Page<ConversationSummary> list(
            @Parameter(description = "Page size, 1 to 200", example = "20") @QueryParam("limit") String limit,
            @Parameter(description = "From a previous page's nextCursor") @QueryParam("cursor") String cursor,
            @Parameter(description = "Only conversations with posts on this platform", example = "bluesky")
            @QueryParam("platform") String platform,
            @Parameter(description = "recent (default), size, depth or participants") @QueryParam("sort") String sort,
            @Parameter(description = "Only conversations with posts in this language") @QueryParam("lang") String lang,
            @Parameter(description = "Only conversations a listening query captured") @QueryParam("query") String query,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("minSize") String minSize, @QueryParam("minDepth") String minDepth,
            @Parameter(description = "true or false") @QueryParam("organisation") String organisation)
            throws Exception {
        if (sort == null || sort.isBlank() || sort.equals("recent")) {
            // The newest activity is what a live dashboard polls for: always fresh.
            return page(limit, cursor, platform, sort, lang, query, from, to, minSize, minDepth, organisation);
        }
        return recent.get(RecentResults.key("conversations", limit, cursor, platform, sort, lang, query, from, to,
                minSize, minDepth, organisation), () -> page(limit, cursor, platform, sort, lang, query, from, to,
                        minSize, minDepth, organisation));
    }

    private Page<ConversationSummary> page(String limit, String cursor, String platform, String sort, String lang,
            String query, String from, String to, String minSize, String minDepth, String organisation) {
        int size = Params.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        String by = sort == null || sort.isBlank() ? "recent" : sort;
        String column = switch (by) {
            case "recent" -> "last_activity_at";
            case "size" -> "size";
            case "depth" -> "depth";
            case "participants" -> "participants";
            default -> throw new BadParameterException("sort must be recent, size, depth or participants, not " + sort);
        };
        Instant start = Params.instant("from", from);
        Instant end = Params.instant("to", to);
        Params.requireOrdered(start, end);
        StringBuilder sql = new StringBuilder("select c.* from conversation c where true");
        Map<String, Object> params = new HashMap<>();
        String chosen = Params.platform(platform);
        if (chosen != null) {
            sql.append(" and c.platforms @> array[cast(:platform as text)]");
            params.put("platform", chosen);
        }
        if (lang != null && !lang.isBlank()) {
            sql.append(" and c.languages @> array[cast(:lang as text)]");
            params.put("lang", lang.strip());
        }
        if (query != null && !query.isBlank()) {
            sql.append(" and exists (select 1 from mention m where m.conversation_id = c.id and m.query = :query)");
            params.put("query", query.strip());
        }
        if (start != null) {
            sql.append(" and c.last_activity_at >= :from");
            params.put("from", start);
        }
        if (end != null) {
            sql.append(" and c.first_activity_at < :to");
            params.put("to", end);
        }
        int smallest = Params.bounded("minSize", minSize, 0, 0, Integer.MAX_VALUE);
        if (smallest > 0) {
            sql.append(" and c.size >= :minSize");
            params.put("minSize", smallest);
        }
        int shallowest = Params.bounded("minDepth", minDepth, 0, 0, Integer.MAX_VALUE);
        if (shallowest > 0) {
            sql.append(" and c.depth >= :minDepth");
            params.put("minDepth", shallowest);
        }
        if (organisation != null && !organisation.isBlank()) {
            if (!organisation.equals("true") && !organisation.equals("false")) {
                throw new BadParameterException("organisation must be true or false, not " + organisation);
            }
            sql.append(" and c.organisation_took_part = :organisation");
            params.put("organisation", Boolean.parseBoolean(organisation));
        }
        // Recent activity keeps the instant-and-id cursor; the other orders carry their sort and value.
        Object afterValue = null;
        String afterId = null;
        if (by.equals("recent")) {
            Cursor after = Cursor.decode(cursor);
            if (after != null) {
                afterValue = after.at();
                afterId = after.id();
            }
        } else {
            SortCursor after = SortCursor.decode(cursor, by);
            if (after != null) {
                afterValue = Integer.valueOf(after.value());
                afterId = after.id();
            }
        }
        if (afterValue != null) {
            sql.append(" and (c.").append(column).append(" < :after or (c.").append(column)
                    .append(" = :after and c.id < :afterId))");
            params.put("after", afterValue);
            params.put("afterId", afterId);
        }
        sql.append(" order by c.").append(column).append(" desc, c.id desc limit ").append(size + 1);
        jakarta.persistence.Query nativeQuery = Conversation.getEntityManager().createNativeQuery(sql.toString(),
                Conversation.class);
        params.forEach(nativeQuery::setParameter);
        @SuppressWarnings("unchecked")
        List<Conversation> found = nativeQuery.getResultList();
        List<Conversation> shown = found.size() > size ? found.subList(0, size) : found;
        String next = null;
        if (found.size() > size) {
            Conversation last = shown.get(size - 1);
            next = switch (by) {
                case "size" -> new SortCursor(by, Integer.toString(last.size), last.id).encode();
                case "depth" -> new SortCursor(by, Integer.toString(last.depth), last.id).encode();
                case "participants" -> new SortCursor(by, Integer.toString(last.participants), last.id).encode();
                default -> new Cursor(last.lastActivityAt, last.id).encode();
            };
        }
        Map<String, Mention> roots = new HashMap<>();
        List<String> rootIds = shown.stream().filter(c -> c.rootPresent).map(c -> c.id).toList();
        if (!rootIds.isEmpty()) {
            Mention.<Mention> list("id in ?1", rootIds).forEach(m -> roots.put(m.id, m));
        }
        return new Page<>(shown.stream().map(c -> ConversationSummary.of(c, roots.get(c.id))).toList(), next);
    }

    /** A keyset position in a numeric sort order. */
    record SortCursor(String sort, String value, String id) {

        String encode() {
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString((sort + "|" + value + "|" + id)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        static SortCursor decode(String cursor, String sort) {
            if (cursor == null || cursor.isBlank()) {
                return null;
            }
            try {
                String raw = new String(java.util.Base64.getUrlDecoder().decode(cursor),
                        java.nio.charset.StandardCharsets.UTF_8);
                String[] parts = raw.split("\\|", 3);
                if (parts.length == 3 && parts[0].equals(sort)) {
                    Integer.parseInt(parts[1]);
                    return new SortCursor(parts[0], parts[1], parts[2]);
                }
            } catch (RuntimeException e) {
                // reported below
            }
            throw new BadParameterException("cursor is not one this API returned for sort=" + sort + ": " + cursor);
        }
    }

    @GET
    @ReadLane(ReadLanes.Lane.LOOKUP)
    @Path("/{id: .+}")
    @Transactional
    @Operation(summary = "One conversation with its reply tree",
            description = "The id is the root post's global id, URL-encoded. A conversation found to be part of "
                    + "another is answered with the one it belongs to.")
    @APIResponse(responseCode = "200", description = "The conversation and its tree",
            content = @Content(schema = @Schema(implementation = ConversationDetail.class)))
    @APIResponse(responseCode = "404", description = "No conversation has this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(
            @Parameter(description = "Global id of the root post, URL-encoded",
                    example = "bluesky%3Aat%3A%2F%2Fdid%3Aplc%3Aabc%2Fapp.bsky.feed.post%2F3l2") @PathParam("id") String id,
            @Parameter(description = "Most mentions in the tree, 1 to 20000 (earliest first)")
            @QueryParam("limit") String limit, @Context Request request) {
        int size = Params.limit(limit, DEFAULT_TREE_LIMIT, MAX_TREE_LIMIT);
        Conversation conversation = Conversation.findById(id);
        if (conversation == null) {
            MergedConversation merged = MergedConversation.findById(id);
            if (merged != null) {
                conversation = Conversation.findById(merged.intoId);
            }
        }
        if (conversation == null) {
            return ProblemMappers.notFound("No conversation with id " + id);
        }
        // The tree changes when the conversation does or when one of its mentions is stored again (an edit).
        Object lastStored = Mention.getEntityManager().createNativeQuery("select max(stored_at) from mention "
                + "where conversation_id = :c").setParameter("c", conversation.id).getSingleResult();
        EntityTag tag = new EntityTag(Integer.toHexString(Objects.hash(conversation.id, conversation.updatedAt,
                conversation.size, String.valueOf(lastStored), size)), true);
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(tag);
        if (unchanged != null) {
            return unchanged.tag(tag).build();
        }
        List<Mention> mentions = Mention.<Mention> find("conversationId", Sort.ascending("createdAt", "id"),
                conversation.id).page(0, size + 1).list();
        boolean truncated = mentions.size() > size;
        if (truncated) {
            mentions = mentions.subList(0, size);
        }
        Mention root = !mentions.isEmpty() && mentions.get(0).id.equals(conversation.id) ? mentions.get(0)
                : Mention.findById(conversation.id);
        return Response.ok(new ConversationDetail(ConversationSummary.of(conversation, root),
                ReplyTree.build(conversation.id, mentions), mentions.size(), truncated)).tag(tag).build();
    }
}
