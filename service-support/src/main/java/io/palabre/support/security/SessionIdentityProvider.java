package io.palabre.support.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Finds the web UI's session behind a cookie, in the service that has sessions.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<Credentials.Session> {

    private final Instance<Sessions> sessions;

    public SessionIdentityProvider(Instance<Sessions> sessions) {
        this.sessions = sessions;
    }

    @Override
    public Class<Credentials.Session> getRequestType() {
        return Credentials.Session.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(Credentials.Session request, AuthenticationRequestContext context) {
        if (!sessions.isResolvable()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("This service has no sessions"));
        }
        return context.runBlocking(() -> sessions.get().find(request.id())
                .map(s -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(s.user())).addRoles(s.role().held())
                        .addAttribute(Identities.VIA, "session").addAttribute(Identities.CSRF, s.csrfToken())
                        .build())
                .orElseThrow(() -> new AuthenticationFailedException("The session has ended")));
    }
}
