package io.palabre.ingest.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.palabre.ingest.connector.mastodon.MastodonStreamingConnector;

/**
 * Not ready while an enabled Mastodon stream is disconnected or stalled.
 */
@Readiness
@ApplicationScoped
public class StreamsReadiness implements HealthCheck {

    private final MastodonStreamingConnector mastodon;

    public StreamsReadiness(MastodonStreamingConnector mastodon) {
        this.mastodon = mastodon;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("mastodon-streams").withData("enabled", mastodon.enabled());
        return !mastodon.enabled() || mastodon.healthy() ? response.up().build() : response.down().build();
    }
}
