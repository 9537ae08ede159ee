package io.palabre.support.security;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.palabre.support.Problems;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Refusals as {@code application/problem+json}: a caller whose role is too low gets a 403 that says who they are; a
 * caller without credentials on an endpoint that needs them (where the path itself is open) a 401 with the bearer
 * challenge.
 */
public class SecurityProblems {

    private final SecurityIdentity identity;

    public SecurityProblems(SecurityIdentity identity) {
        this.identity = identity;
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return Response.fromResponse(Problems.response(401, "Unauthorized", PalabreAuthenticationMechanism.REQUIRED))
                .header("WWW-Authenticate", PalabreAuthenticationMechanism.REALM).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problems.response(403, "Forbidden", Identities.name(identity) + " ("
                + Identities.role(identity).map(Role::id).orElse("no role") + ") may not do this");
    }
}
