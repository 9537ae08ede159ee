package io.palabre.dashboard.rest;

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

import io.palabre.dashboard.domain.Conversation;
import io.palabre.dashboard.domain.Mention;
import io.palabre.dashboard.domain.MergedConversation;
import io.palabre.dashboard.rest.Views.ConversationDetail;
import io.palabre.dashboard.rest.Views.ConversationSummary;
import io.palabre.dashboard.rest.Views.Page;
import io.quarkus.panache.common.Sort;

/**
 * Conversations (reply threads), most recent activity first, and each one's reply tree.
 */
@Path("/api/conversations")
@Tag(name = "Conversations", description = "Reply threads rebuilt from every platform")
@Produces(MediaType.APPLICATION_JSON)
public class ConversationResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 200;
    static final int DEFAULT_TREE_LIMIT = 2000;
    static final int MAX_TREE_LIMIT = 20000;

    @GET
    @Transactional
    @Operation(summary = "Conversations, most recent activity first",
            description = "Keyset pagination: pass `nextCursor` back as `cursor`. At most 200 per page.")
    @APIResponse(responseCode = "200", description = "A page of conversations")
    @APIResponse(responseCode = "400", description = "A bad parameter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Page<ConversationSummary> list(
            @Parameter(description = "Page size, 1 to 200", example = "20") @QueryParam("limit") String limit,
            @Parameter(description = "From a previous page's nextCursor") @QueryParam("cursor") String cursor,
            @Parameter(description = "Only conversations with posts on this platform", example = "bluesky")
            @QueryParam("platform") String platform) {
        int size = Params.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        Cursor after = Cursor.decode(cursor);
        String chosen = Params.platform(platform);
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (after != null) {
            where.append(" and (lastActivityAt < :at or (lastActivityAt = :at and id < :id))");
            params.put("at", after.at());
            params.put("id", after.id());
        }
        if (chosen != null) {
            where.append(" and array_contains(platforms, :platform)");
            params.put("platform", chosen);
        }
        List<Conversation> found = Conversation.<Conversation> find(where.toString(),
                Sort.descending("lastActivityAt", "id"), params).page(0, size + 1).list();
        return Page.of(found, size, c -> new Cursor(c.lastActivityAt, c.id), ConversationSummary::of);
    }

    @GET
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
            @QueryParam("limit") String limit) {
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
        List<Mention> mentions = Mention.<Mention> find("conversationId", Sort.ascending("createdAt", "id"),
                conversation.id).page(0, size + 1).list();
        boolean truncated = mentions.size() > size;
        if (truncated) {
            mentions = mentions.subList(0, size);
        }
        return Response.ok(new ConversationDetail(ConversationSummary.of(conversation),
                ReplyTree.build(conversation.id, mentions), mentions.size(), truncated)).build();
    }
}
