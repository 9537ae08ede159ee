package io.palabre.ingest.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.palabre.ingest.connector.mastodon.MastodonStreamingConnector;
import io.palabre.ingest.connector.x.XFilteredStreamConnector;

/**
 * Not ready while an enabled Mastodon or X stream is disconnected or stalled.
 */
@Readiness
@ApplicationScoped
public class StreamsReadiness implements HealthCheck {

    private final MastodonStreamingConnector mastodon;
    private final XFilteredStreamConnector x;

    public StreamsReadiness(MastodonStreamingConnector mastodon, XFilteredStreamConnector x) {
        this.mastodon = mastodon;
        this.x = x;
    }

    @Override
    public HealthCheckResponse call() {
        boolean mastodonUp = !mastodon.enabled() || mastodon.healthy();
        boolean xUp = x.healthy();
        var response = HealthCheckResponse.named("streams").withData("mastodon", mastodonUp ? "up" : "stalled")
                .withData("x", xUp ? "up" : "stalled");
        return mastodonUp && xUp ? response.up().build() : response.down().build();
    }
}
