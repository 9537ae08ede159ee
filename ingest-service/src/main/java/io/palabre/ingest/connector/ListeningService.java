package io.palabre.ingest.connector;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.palabre.ingest.connector.PlatformHttp.PlatformException;
import io.palabre.ingest.connector.PlatformHttp.RateLimitedException;
import io.palabre.ingest.connector.PollingConnector.Missed;
import io.palabre.ingest.connector.PollingConnector.Poll;
import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.domain.Rejection;
import io.palabre.ingest.messaging.MentionPublisher;
import io.palabre.ingest.query.ListeningQuery;
import io.palabre.ingest.query.QueryService;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs the polling connectors: for each enabled listening query on a connector's platform, poll from the stored
 * cursor, publish what came back, and only then move the cursor (at-least-once: a crash repeats, never skips).
 * A platform that asks to wait is left alone until it allows; a failing one is retried with exponential backoff
 * and jitter. What could not be collected is recorded as a gap.
 */
@ApplicationScoped
public class ListeningService {

    private static final Logger LOG = Logger.getLogger(ListeningService.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);

    private final List<PollingConnector> connectors;
    private final QueryService queries;
    private final ConnectorState state;
    private final MentionPublisher publisher;
    private final ConnectorsConfig config;
    private final MeterRegistry registry;
    private final ThreadCompletion completion;
    private final Map<String, ScopeStatus> status = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    public ListeningService(Instance<PollingConnector> connectors, QueryService queries, ConnectorState state,
            MentionPublisher publisher, ConnectorsConfig config, MeterRegistry registry, ThreadCompletion completion) {
        this.connectors = connectors.stream().toList();
        this.queries = queries;
        this.state = state;
        this.publisher = publisher;
        this.config = config;
        this.registry = registry;
        this.completion = completion;
    }

    /** The live state of one connector for one query. */
    public static final class ScopeStatus {
        public final String connector;
        public final String query;
        public volatile Instant lastPollAt;
        public volatile Instant lastSuccessAt;
        public volatile Instant lastErrorAt;
        public volatile String lastError;
        public volatile int consecutiveFailures;
        public volatile Instant waitUntil;
        public volatile Instant newestItemAt;
        public volatile long collected;

        public ScopeStatus(String connector, String query) {
            this.connector = connector;
            this.query = query;
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Connectors are off (palabre.connectors.enabled=false); imports still work");
            return;
        }
        scheduler = Executors.newScheduledThreadPool(Math.max(1, connectors.size()), r -> {
            Thread t = new Thread(r, "palabre-connector");
            t.setDaemon(true);
            return t;
        });
        for (PollingConnector connector : connectors) {
            scheduler.scheduleWithFixedDelay(() -> runSafely(connector), 1, config.interval().toSeconds(),
                    TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    public List<PollingConnector> connectors() {
        return connectors;
    }

    public List<ScopeStatus> status(String connector) {
        return status.values().stream().filter(s -> s.connector.equals(connector)).toList();
    }

    private void runSafely(PollingConnector connector) {
        try {
            runOnce(connector.name());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Connector %s cycle failed", connector.name());
        }
    }

    /** One cycle of one connector over every enabled query on its platform; returns the mentions published. */
    public int runOnce(String connectorName) {
        PollingConnector connector = connectors.stream().filter(c -> c.name().equals(connectorName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No connector " + connectorName));
        if (!connector.configured()) {
            return 0;
        }
        int published = 0;
        for (ListeningQuery query : queries.enabled()) {
            if (List.of(query.platforms).contains(connector.platform())) {
                published += pollQuery(connector, query);
            }
        }
        return published;
    }

    private int pollQuery(PollingConnector connector, ListeningQuery query) {
        ScopeStatus s = status.computeIfAbsent(connector.name() + "|" + query.id,
                k -> new ScopeStatus(connector.name(), query.name));
        Instant now = Instant.now();
        if (s.waitUntil != null && now.isBefore(s.waitUntil)) {
            return 0;
        }
        s.lastPollAt = now;
        String scope = query.id;
        try {
            Poll poll = connector.poll(query, state.cursor(connector.name(), scope).orElse(null));
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (MentionCaptured mention : poll.mapping().mentions()) {
                sent.add(publisher.publish(mention).toCompletableFuture());
            }
            for (Mapping.Problem problem : poll.mapping().problems()) {
                sent.add(publisher.reject(Rejection.atIngest(problem.reason(), problem.item(),
                        connector.name() + "/" + query.name)).toCompletableFuture());
                registry.counter("palabre.ingest.connector.unmappable", "connector", connector.name()).increment();
                LOG.warnf("%s: unmappable payload sent to mentions-dlq: %s", connector.name(), problem.reason());
            }
            sent.addAll(completion.complete(connector.name(), query.name, poll.mapping().mentions()));
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            for (Missed missed : poll.missed()) {
                state.recordGap(new ConnectorState.Gap(connector.name(), query.name, missed.kind(), missed.from(),
                        missed.to(), missed.item(), missed.reason(), Instant.now()));
                registry.counter("palabre.ingest.connector.gaps", "connector", connector.name()).increment();
            }
            state.saveCursor(connector.name(), scope, poll.cursor());
            s.lastSuccessAt = Instant.now();
            s.consecutiveFailures = 0;
            s.waitUntil = poll.nextAllowedAt() != null && poll.nextAllowedAt().isAfter(Instant.now())
                    ? poll.nextAllowedAt()
                    : null;
            if (poll.newestItemAt() != null) {
                s.newestItemAt = poll.newestItemAt();
            }
            s.collected += poll.mapping().mentions().size();
            registry.counter("palabre.ingest.connector.collected", "connector", connector.name())
                    .increment(poll.mapping().mentions().size());
            return poll.mapping().mentions().size();
        } catch (RateLimitedException e) {
            s.lastErrorAt = Instant.now();
            s.lastError = e.getMessage();
            s.waitUntil = e.until().plusMillis(ThreadLocalRandom.current().nextLong(0, 1000));
            LOG.warnf("%s rate limited for query %s until %s", connector.name(), query.name, e.until());
        } catch (PlatformException e) {
            fail(s, connector, e.getMessage());
        } catch (Exception e) {
            fail(s, connector, e.toString());
        }
        return 0;
    }

    private void fail(ScopeStatus s, PollingConnector connector, String message) {
        s.lastErrorAt = Instant.now();
        s.lastError = message;
        s.consecutiveFailures++;
        long base = FIRST_BACKOFF.toMillis() << Math.min(20, s.consecutiveFailures - 1);
        long capped = Math.min(base, config.maxBackoff().toMillis());
        long jittered = (long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        s.waitUntil = Instant.now().plusMillis(jittered);
        registry.counter("palabre.ingest.connector.failures", "connector", connector.name()).increment();
        LOG.warnf("%s failed (%d in a row), next try in %d ms: %s", connector.name(), s.consecutiveFailures, jittered,
                message);
    }
}
