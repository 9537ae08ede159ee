package io.palabre.dashboard.report;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.palabre.dashboard.service.Background;
import io.palabre.dashboard.service.OrganisationAccounts;
import io.palabre.support.UntrustedText;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Sends the weekly reports of the subscriptions by e-mail, once per subscription and week: each minute it records the
 * weeks due (on Monday, the week that just ended), then sends what is due: the report as the e-mail's HTML, with its
 * CSV attached. A failure is tried again with backoff, like alert deliveries.
 */
@ApplicationScoped
public class ReportMailer {

    private static final Logger LOG = Logger.getLogger(ReportMailer.class);

    private final ReportSubscriptions subscriptions;
    private final WeeklyReports reports;
    private final OrganisationAccounts organisations;
    private final Mailer mailer;
    private final boolean enabled;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private ScheduledExecutorService executor;
    private volatile Instant lastSchedule = Instant.EPOCH;

    public ReportMailer(ReportSubscriptions subscriptions, WeeklyReports reports, OrganisationAccounts organisations,
            Mailer mailer, @ConfigProperty(name = "palabre.alerts.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "palabre.alerts.delivery.max-attempts", defaultValue = "8") int maxAttempts,
            @ConfigProperty(name = "palabre.alerts.delivery.first-backoff", defaultValue = "10s")
            Duration firstBackoff,
            @ConfigProperty(name = "palabre.alerts.delivery.max-backoff", defaultValue = "1h") Duration maxBackoff) {
        this.subscriptions = subscriptions;
        this.reports = reports;
        this.organisations = organisations;
        this.mailer = mailer;
        this.enabled = enabled;
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
    }

    void start(@Observes StartupEvent ignored) {
        if (!enabled) {
            return;
        }
        executor = Background.every("palabre-report-mailer", 2000, 1000, this::run);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void run() {
        try {
            Instant now = Instant.now();
            if (now.isAfter(lastSchedule.plus(Duration.ofMinutes(1)))) {
                subscriptions.schedule(now);
                lastSchedule = now;
            }
            while (subscriptions.sendOne(maxAttempts, firstBackoff, maxBackoff, this::send)
                    && !Thread.currentThread().isInterrupted()) {
                // one more may be due
            }
        } catch (Exception e) {
            LOG.warnf("Weekly reports could not be sent: %s", e.getMessage());
        }
    }

    private ReportSubscriptions.Outcome send(ReportSubscriptions.Subscription s, String week) {
        try {
            Set<String> organisation = organisations.containing(s.accountId());
            if (organisation == null) {
                return new ReportSubscriptions.Outcome(false, s.accountId() + " is no longer an organisation "
                        + "account");
            }
            WeeklyReport report = reports.report(s.accountId(), organisation,
                    WeeklyReports.weekStart(week, Instant.now()), Instant.now());
            ReportFormats formats = new ReportFormats(s.lang());
            Mail mail = new Mail().setSubject("[Palabre] " + formats.t("report.title") + ": " + s.accountId() + ", "
                    + week).setHtml(formats.html(report)).setTo(s.emails());
            mail.addAttachment("palabre-dialogue-" + week + ".csv",
                    formats.csv(report).getBytes(StandardCharsets.UTF_8), "text/csv; charset=utf-8");
            mailer.send(mail);
            return new ReportSubscriptions.Outcome(true, null);
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            LOG.warnf("The %s report of subscription %d could not be sent: %s", week, s.id(), message);
            return new ReportSubscriptions.Outcome(false, UntrustedText.clean(message, false, 500));
        }
    }
}
