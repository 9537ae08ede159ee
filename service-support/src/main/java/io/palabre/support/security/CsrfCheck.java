package io.palabre.support.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.palabre.support.Problems;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * A write made with the web UI's session cookie must carry the session's CSRF token in {@code X-CSRF-Token}: a page
 * of another site cannot read it, so it cannot make the browser write on the user's behalf. (The cookie is also
 * SameSite=Strict, and writes take only JSON, which a cross-site form cannot send.) Writes with an API token need no
 * such header: a browser never adds a token by itself.
 */
public class CsrfCheck {

    public static final String HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final SecurityIdentity identity;

    public CsrfCheck(SecurityIdentity identity) {
        this.identity = identity;
    }

    @ServerRequestFilter
    public Optional<Response> requireTokenOnSessionWrites(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod()) || identity.isAnonymous()
                || !"session".equals(identity.getAttribute(Identities.VIA))) {
            return Optional.empty();
        }
        String expected = identity.getAttribute(Identities.CSRF);
        String presented = request.getHeaderString(HEADER);
        if (expected != null && presented != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(Problems.response(403, "Forbidden",
                "A write with the session cookie needs the session's CSRF token in " + HEADER));
    }
}
