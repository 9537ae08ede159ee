package io.palabre.dashboard.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
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

import io.palabre.dashboard.access.AccessService;
import io.palabre.dashboard.access.AccessService.NewUser;
import io.palabre.dashboard.access.AccessService.UserView;
import io.palabre.support.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/**
 * Users of the built-in mode, for admins: make, change (role, password), delete. Passwords are stored as bcrypt
 * hashes; one Palabre draws is shown once, in the answer that makes the user.
 */
@Path("/api/users")
@RolesAllowed(Role.ADMIN_NAME)
@Tag(name = "Access")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class UserResource {

    /** A new user; without a password, Palabre draws one and shows it once. */
    public record NewUserRequest(String username, String role, String password) {

        @Override
        public String toString() {
            return "NewUserRequest[username=" + username + ", role=" + role + "]";
        }
    }

    /** A change: the fields given are changed, the others kept. */
    public record UserChange(String role, String password) {

        @Override
        public String toString() {
            return "UserChange[role=" + role + "]";
        }
    }

    private final AccessService access;
    private final SecurityIdentity identity;

    public UserResource(AccessService access, SecurityIdentity identity) {
        this.access = access;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Every user, by name")
    public List<UserView> list() {
        return access.users();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a user", description = "Roles: analyst (reads), operator (also imports and manages "
            + "listening queries), admin (also manages users and tokens, reads the audit log).")
    @APIResponse(responseCode = "201", description = "Made; `password` is set only if Palabre drew it",
            content = @Content(schema = @Schema(implementation = NewUser.class)))
    @APIResponse(responseCode = "400", description = "Invalid name, role or password",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The name is taken",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(NewUserRequest request) {
        if (request == null) {
            return ProblemMappers.respond(Problem.of(400, "Bad Request", "A JSON user is required"));
        }
        NewUser made = access.createUser(identity, request.username(), request.role(), request.password());
        return Response.status(201).header("Location", "/api/users/" + made.username())
                .header("Cache-Control", "no-store").entity(made).build();
    }

    @GET
    @Path("/{username}")
    @Operation(summary = "One user")
    @APIResponse(responseCode = "404", description = "No such user",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public UserView get(@PathParam("username") String username) {
        return access.user(username);
    }

    @PATCH
    @Path("/{username}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a user's role or password", description = "A lower role caps the user's tokens at "
            + "once; a new password ends the user's sessions.")
    @APIResponse(responseCode = "404", description = "No such user",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "It would leave no admin",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public UserView change(@PathParam("username") String username, UserChange change) {
        if (change == null) {
            throw new ProblemMappers.BadParameterException("A JSON change is required");
        }
        return access.updateUser(identity, username, change.role(), change.password());
    }

    @DELETE
    @Path("/{username}")
    @Operation(summary = "Delete a user", description = "Ends its sessions and revokes its tokens.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such user",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Yourself, or the last admin",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("username") String username) {
        access.deleteUser(identity, username);
        return Response.noContent().build();
    }
}
