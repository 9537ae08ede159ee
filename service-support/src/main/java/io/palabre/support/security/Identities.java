package io.palabre.support.security;

import java.security.Principal;
import java.util.Optional;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/**
 * The identities Palabre makes, with how the caller came in: {@code token <id>}, {@code session} or {@code oidc}.
 */
public final class Identities {

    /** Attribute: how the caller authenticated. */
    public static final String VIA = "palabre.via";
    /** Attribute: the session's CSRF token, when the caller came in by session cookie. */
    public static final String CSRF = "palabre.csrf";

    private Identities() {
    }

    public static SecurityIdentity of(String user, Role role, String via) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(user)).addRoles(role.held())
                .addAttribute(VIA, via).build();
    }

    /** How the caller came in, or {@code "anonymous"}. */
    public static String via(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return "anonymous";
        }
        Object via = identity.getAttribute(VIA);
        return via == null ? "oidc" : via.toString();
    }

    /** The caller's name, or {@code "anonymous"}. */
    public static String name(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return "anonymous";
        }
        Principal p = identity.getPrincipal();
        return p == null ? "unknown" : p.getName();
    }

    /** The highest role the identity holds. */
    public static Optional<Role> role(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Optional.empty();
        }
        return Role.highest(identity.getRoles());
    }
}
