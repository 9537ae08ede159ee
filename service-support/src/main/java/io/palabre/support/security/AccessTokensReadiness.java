package io.palabre.support.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN until the service has read every API token: before that, callers with a valid token would be refused.
 */
@Readiness
@ApplicationScoped
public class AccessTokensReadiness implements HealthCheck {

    private final AccessTokenStore store;

    public AccessTokensReadiness(AccessTokenStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        if (store.ready()) {
            return HealthCheckResponse.up("access-tokens");
        }
        return HealthCheckResponse.named("access-tokens").down().withData("topic", store.topic())
                .withData("reason", String.valueOf(store.problem())).build();
    }
}
