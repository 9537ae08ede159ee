package io.palabre.dashboard.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.palabre.dashboard.access.AccessService;
import io.palabre.support.security.Identities;
import io.palabre.support.security.Role;
import io.palabre.support.security.Sessions;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/**
 * The web UI's session: log in with a user name and password (a session cookie, HttpOnly, SameSite=Strict, Secure
 * under TLS), see who is logged in and the CSRF token the page sends with its writes, log out.
 */
@Path("/api/session")
@Tag(name = "Access", description = "Sessions, users, API tokens and the audit log")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SessionResource {

    /** A login. */
    public record LoginRequest(String username, String password) {

        @Override
        public String toString() {
            return "LoginRequest[username=" + username + "]";
        }
    }

    /** Who is calling, and how; {@code csrfToken} only with a session. */
    public record Caller(String username, String role, String via, String csrfToken) {
    }

    private final AccessService access;
    private final SecurityIdentity identity;

    public SessionResource(AccessService access, SecurityIdentity identity) {
        this.access = access;
        this.identity = identity;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirements
    @Operation(summary = "Log in", description = "Opens a session for the web UI and sets its cookie. After 5 failed "
            + "logins for a user name (20 from one address) within 5 minutes, more are refused with 429 until the "
            + "window passes.")
    @APIResponse(responseCode = "200", description = "Logged in",
            content = @Content(schema = @Schema(implementation = Caller.class)))
    @APIResponse(responseCode = "401", description = "Wrong user name or password",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many failed logins",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response login(LoginRequest request, @Context HttpServerRequest http, @Context UriInfo uri) {
        if (request == null || request.username() == null || request.password() == null) {
            return ProblemMappers.respond(Problem.of(400, "Bad Request", "username and password are required"));
        }
        String address = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        AccessService.Login login = access.login(request.username(), request.password(), address);
        NewCookie cookie = new NewCookie.Builder(Sessions.COOKIE).value(login.sessionId()).path("/").httpOnly(true)
                .secure("https".equalsIgnoreCase(uri.getRequestUri().getScheme()))
                .sameSite(NewCookie.SameSite.STRICT).build();
        return Response.ok(new Caller(login.username(), login.role(), "session", login.csrfToken()))
                .cookie(cookie).header("Cache-Control", "no-store").build();
    }

    @GET
    @RolesAllowed(Role.ANALYST_NAME)
    @Operation(summary = "Who is calling", description = "With the session cookie, also the CSRF token that the "
            + "page sends in X-CSRF-Token with each write.")
    public Response caller() {
        String csrf = identity.getAttribute(Identities.CSRF);
        return Response.ok(new Caller(Identities.name(identity), Identities.role(identity).map(r -> r.id())
                .orElse(null), Identities.via(identity), csrf)).header("Cache-Control", "no-store").build();
    }

    @DELETE
    @RolesAllowed(Role.ANALYST_NAME)
    @Operation(summary = "Log out", description = "Ends the session of the cookie, and clears it.")
    @APIResponse(responseCode = "204", description = "Logged out")
    public Response logout(@Context HttpServerRequest http) {
        Cookie cookie = http.getCookie(Sessions.COOKIE);
        if (cookie != null && "session".equals(Identities.via(identity))) {
            access.logout(identity, cookie.getValue());
        }
        NewCookie cleared = new NewCookie.Builder(Sessions.COOKIE).value("").path("/").httpOnly(true).maxAge(0)
                .sameSite(NewCookie.SameSite.STRICT).build();
        return Response.noContent().cookie(cleared).build();
    }
}
