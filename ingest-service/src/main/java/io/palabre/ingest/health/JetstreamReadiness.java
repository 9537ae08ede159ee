package io.palabre.ingest.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.palabre.ingest.connector.bluesky.BlueskyJetstreamConnector;

/**
 * Not ready while the Jetstream stream, when enabled, is disconnected or stalled.
 */
@Readiness
@ApplicationScoped
public class JetstreamReadiness implements HealthCheck {

    private final BlueskyJetstreamConnector jetstream;

    public JetstreamReadiness(BlueskyJetstreamConnector jetstream) {
        this.jetstream = jetstream;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("bluesky-jetstream");
        if (!jetstream.enabled()) {
            return response.up().withData("enabled", false).build();
        }
        var status = jetstream.status();
        response.withData("enabled", true).withData("lastEvent", String.valueOf(status.lastSuccessAt));
        if (status.lastError != null) {
            response.withData("lastError", status.lastError);
        }
        return jetstream.healthy() ? response.up().build() : response.down().build();
    }
}
