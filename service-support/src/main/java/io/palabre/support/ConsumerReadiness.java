package io.palabre.support;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN while a service's consumers wait out a failure that passes by itself (the database or the broker out of reach):
 * records are retried then, never dead-lettered, and an orchestrator should send no traffic. Always UP in a service
 * that consumes nothing.
 */
@Readiness
@Default
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {

    private record Outage(Instant since, String reason) {
    }

    private final AtomicReference<Outage> outage = new AtomicReference<>();

    /** The consumer cannot go on until this passes. */
    public void waiting(String reason) {
        outage.getAndUpdate(o -> new Outage(o == null ? Instant.now() : o.since(), reason));
    }

    /** The consumer went on. */
    public void recovered() {
        outage.set(null);
    }

    @Override
    public HealthCheckResponse call() {
        Outage current = outage.get();
        if (current == null) {
            return HealthCheckResponse.up("consumers");
        }
        return HealthCheckResponse.named("consumers").down()
                .withData("waitingSince", current.since().toString())
                .withData("reason", current.reason())
                .build();
    }
}
