package io.palabre.dashboard.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.palabre.dashboard.service.Background;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.palabre.support.UntrustedText;

/**
 * Sends the deliveries the evaluator wrote: webhooks (signed, {@link WebhookSignature}) and e-mail over SMTP. A
 * delivery that fails for a reason that may pass (no answer, a 5xx, 408, 429, an SMTP error) is tried again after a
 * doubling wait, up to {@code palabre.alerts.delivery.max-attempts}; then, or at once for a refusal that will not pass
 * (another 4xx), it is marked failed with the reason, visible in the API, and can be sent again by hand.
 */
@ApplicationScoped
public class AlertDeliveries {

    private static final Logger LOG = Logger.getLogger(AlertDeliveries.class);
    private static final int CLAIM = 20;

    private final AlertStore store;
    private final Mailer mailer;
    private final AlertMessages messages;
    private final boolean enabled;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Duration timeout;
    private final HttpClient http;
    private final Counter delivered;
    private final Counter failedAttempts;
    private ScheduledExecutorService executor;

    public AlertDeliveries(AlertStore store, Mailer mailer, ObjectMapper mapper, MeterRegistry registry,
            @ConfigProperty(name = "palabre.alerts.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "palabre.alerts.dashboard-url") Optional<String> dashboardUrl,
            @ConfigProperty(name = "palabre.alerts.delivery.max-attempts", defaultValue = "8") int maxAttempts,
            @ConfigProperty(name = "palabre.alerts.delivery.first-backoff", defaultValue = "10s")
            Duration firstBackoff,
            @ConfigProperty(name = "palabre.alerts.delivery.max-backoff", defaultValue = "1h") Duration maxBackoff,
            @ConfigProperty(name = "palabre.alerts.delivery.timeout", defaultValue = "10s") Duration timeout) {
        this.store = store;
        this.mailer = mailer;
        this.messages = new AlertMessages(mapper, dashboardUrl);
        this.enabled = enabled;
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.delivered = Counter.builder("palabre.alerts.deliveries").tag("result", "delivered").register(registry);
        this.failedAttempts = Counter.builder("palabre.alerts.deliveries").tag("result", "failed-attempt")
                .register(registry);
    }

    void start(@Observes StartupEvent ignored) {
        if (!enabled) {
            return;
        }
        executor = Background.every("palabre-alert-deliveries", 1000, 250, this::sendDue);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void sendDue() {
        try {
            while (store.sendDue(CLAIM, maxAttempts, firstBackoff, maxBackoff, this::send) == CLAIM
                    && !Thread.currentThread().isInterrupted()) {
                // a full claim: more may be due
            }
        } catch (Exception e) {
            LOG.warnf("Alert deliveries could not be read: %s", e.getMessage());
        }
    }

    private List<AlertStore.Sent> send(List<AlertStore.Due> due) {
        List<AlertStore.Sent> sent = new ArrayList<>(due.size());
        for (AlertStore.Due d : due) {
            AlertStore.Sent result = "email".equals(d.channel()) ? email(d) : webhook(d);
            if (result.delivered()) {
                delivered.increment();
            } else {
                failedAttempts.increment();
                LOG.warnf("Alert delivery %d (%s to %s) failed: %s", d.id(), d.channel(), d.target(), result.error());
            }
            sent.add(result);
        }
        return sent;
    }

    private AlertStore.Sent webhook(AlertStore.Due d) {
        boolean chat = "slack".equals(d.webhookFormat());
        byte[] body = chat ? messages.chat(d) : messages.generic(d);
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(d.target())).timeout(timeout)
                    .header("Content-Type", "application/json").header("User-Agent", "Palabre alerts")
                    .header(WebhookSignature.DELIVERY, Long.toString(d.id()))
                    .header(WebhookSignature.TIMESTAMP, timestamp)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (d.webhookSecret() != null) {
                request.header(WebhookSignature.SIGNATURE, WebhookSignature.sign(d.webhookSecret(), timestamp, body));
            }
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new AlertStore.Sent(d.id(), true, false, null);
            }
            boolean passes = status >= 500 || status == 408 || status == 429;
            return new AlertStore.Sent(d.id(), false, passes, "the receiver answered " + status);
        } catch (IOException | IllegalArgumentException e) {
            return new AlertStore.Sent(d.id(), false, true, reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AlertStore.Sent(d.id(), false, true, "interrupted");
        }
    }

    private AlertStore.Sent email(AlertStore.Due d) {
        try {
            mailer.send(Mail.withText(d.target(), messages.subject(d), messages.text(d))
                    .addHeader(WebhookSignature.DELIVERY, Long.toString(d.id())));
            return new AlertStore.Sent(d.id(), true, false, null);
        } catch (RuntimeException e) {
            return new AlertStore.Sent(d.id(), false, true, reason(e));
        }
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return UntrustedText.clean(message, false, 500);
    }
}
