package io.palabre.dashboard.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import io.palabre.dashboard.access.AccessService;
import io.palabre.dashboard.access.AccessService.NewToken;
import io.palabre.dashboard.access.AccessService.TokenView;
import io.palabre.support.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/**
 * API tokens, for scripts and notebooks ({@code Authorization: Bearer plb_…}), managed by admins. A token is shown
 * once, when it is made; a revoked or expired one is refused by every service.
 */
@Path("/api/tokens")
@RolesAllowed(Role.ADMIN_NAME)
@Tag(name = "Access")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class TokenResource {

    private static final int MAX_LIST = 500;

    /** A new token: what it is for, and optionally its owner (default: you), a lower role, a lifetime. */
    public record TokenRequest(String name, String role, Integer expiresInDays, String user) {
    }

    private final AccessService access;
    private final SecurityIdentity identity;

    public TokenResource(AccessService access, SecurityIdentity identity) {
        this.access = access;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Tokens, newest first", description = "Everyone's, or one user's.")
    public List<TokenView> list(
            @Parameter(description = "Only this user's") @QueryParam("user") String user,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw new ProblemMappers.BadParameterException("limit must be between 1 and " + MAX_LIST);
        }
        return access.tokens(identity, user, limit);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a token", description = "Its role is at most its owner's (and yours); it expires "
            + "after `expiresInDays` (default 90, at most 365). The answer holds the token once: keep it.")
    @APIResponse(responseCode = "201", description = "Made; `secret` is the token to send",
            content = @Content(schema = @Schema(implementation = NewToken.class)))
    @APIResponse(responseCode = "400", description = "Invalid name, role or lifetime",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "A higher role than the owner's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(TokenRequest request) {
        if (request == null) {
            return ProblemMappers.respond(Problem.of(400, "Bad Request", "A JSON token request is required"));
        }
        NewToken made = access.createToken(identity, request.user(), request.name(), request.role(),
                request.expiresInDays());
        return Response.status(201).header("Location", "/api/tokens/" + made.token().id())
                .header("Cache-Control", "no-store").entity(made).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a token", description = "Answers once every service refuses it (`propagated`).")
    @APIResponse(responseCode = "200", description = "Revoked",
            content = @Content(schema = @Schema(implementation = TokenView.class)))
    @APIResponse(responseCode = "404", description = "No such token",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TokenView revoke(@PathParam("id") String id) {
        return access.revokeToken(identity, id);
    }
}
