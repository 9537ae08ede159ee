package io.palabre.support.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refused credentials get the same 401 {@code application/problem+json} whichever mechanism refused them: Palabre's
 * API tokens (with the reason: unknown, revoked, expired) or an identity provider's JWT (expired, not signed by it).
 */
@ApplicationScoped
public class AuthenticationFailures {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        if (!(context.failure() instanceof AuthenticationFailedException) || context.response().headWritten()) {
            context.next();
            return;
        }
        String reason = context.get(PalabreAuthenticationMechanism.REFUSAL);
        PalabreAuthenticationMechanism.sendProblem(context, reason != null ? reason
                : "The bearer token is not valid: expired, not signed by the identity provider, or not meant for "
                        + "Palabre");
    }
}
