package io.palabre.ingest.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.palabre.ingest.query.QueryRequest;
import io.palabre.ingest.query.QueryService;
import io.palabre.ingest.query.QueryView;
import io.palabre.support.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/**
 * Listening queries: what Palabre collects, where, and which accounts are the organisation's own.
 */
@RolesAllowed(Role.OPERATOR_NAME)
@Path("/api/queries")
@Tag(name = "Listening queries")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class QueryResource {

    private final QueryService queries;
    private final SecurityIdentity identity;

    public QueryResource(QueryService queries, SecurityIdentity identity) {
        this.queries = queries;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Every listening query, by name")
    public List<QueryView> list() {
        return queries.list();
    }

    @POST
    @Operation(summary = "Create a listening query", description = "Connectors use it from their next cycle; the "
            + "change is published on the compacted topic `queries`.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = QueryView.class)))
    @APIResponse(responseCode = "400", description = "Invalid query (every problem is listed in `errors`)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The name is taken",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(QueryRequest request) {
        if (request == null) {
            return ProblemMappers.respond(Problem.of(400, "Bad Request", "A JSON listening query is required"));
        }
        QueryView created = queries.create(request, identity);
        return Response.status(201).header("Location", "/api/queries/" + created.id()).entity(created).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One listening query")
    @APIResponse(responseCode = "404", description = "No such query",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("id") String id) {
        return queries.find(id).map(q -> Response.ok(q).build()).orElseGet(() -> notFound(id));
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replace a listening query")
    @APIResponse(responseCode = "400", description = "Invalid query",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such query",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response replace(@PathParam("id") String id, QueryRequest request) {
        if (request == null) {
            return ProblemMappers.respond(Problem.of(400, "Bad Request", "A JSON listening query is required"));
        }
        return queries.replace(id, request, identity).map(q -> Response.ok(q).build()).orElseGet(() -> notFound(id));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a listening query", description = "Published as a tombstone on `queries`.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such query",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("id") String id) {
        return queries.delete(id, identity) ? Response.noContent().build() : notFound(id);
    }

    private static Response notFound(String id) {
        return ProblemMappers.respond(Problem.of(404, "Not Found", "No listening query with id " + id));
    }
}
