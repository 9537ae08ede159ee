package io.palabre.analysis.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.palabre.analysis.config.AnalysisConfig;
import io.palabre.analysis.domain.AccountMetrics;
import io.palabre.analysis.service.GraphMetricsService;
import io.quarkus.runtime.StartupEvent;

/**
 * Recomputes the graph metrics on a schedule whose cost stays bounded: when the relationship graph changed, and the
 * next run waits at least {@code spacing-factor} times the last one's duration. One instance runs at a time (a
 * PostgreSQL advisory lock). Account metrics are published when they changed since the last publication.
 */
@ApplicationScoped
public class MetricsSchedule {

    private static final Logger LOG = Logger.getLogger(MetricsSchedule.class);
    private static final long METRICS_LOCK = 0x70616c6162726532L;

    private final GraphMetricsService graph;
    private final AnalysisPublisher publisher;
    private final AgroalDataSource dataSource;
    private final AnalysisConfig config;
    private final Map<String, Integer> published = new HashMap<>();
    private ScheduledExecutorService executor;
    private String lastFingerprint;
    private volatile Status status = new Status(null, null, 0, 0, 0, 0.0, 0, null);

    public MetricsSchedule(GraphMetricsService graph, AnalysisPublisher publisher, AgroalDataSource dataSource,
            AnalysisConfig config) {
        this.graph = graph;
        this.publisher = publisher;
        this.dataSource = dataSource;
        this.config = config;
    }

    /** The last run, for the status endpoint. */
    public record Status(Instant lastRunAt, Long lastGraphRunId, int accounts, int relationships, int communities,
            double modularity, long lastDurationMillis, String lastError) {
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.metrics().enabled()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "palabre-metrics");
            t.setDaemon(true);
            return t;
        });
        executor.schedule(this::tick, config.metrics().interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    public Status status() {
        return status;
    }

    private void tick() {
        long started = System.nanoTime();
        try {
            runOnce();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            LOG.warnf(e, "Metrics run failed; next run as scheduled");
            status = new Status(Instant.now(), status.lastGraphRunId(), status.accounts(), status.relationships(),
                    status.communities(), status.modularity(), status.lastDurationMillis(), e.toString());
        }
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        long delay = Math.max(config.metrics().interval().toMillis(), tookMillis * config.metrics().spacingFactor());
        if (!executor.isShutdown()) {
            executor.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** One run, if no other instance is running one; returns whether it ran. */
    public synchronized boolean runOnce() throws Exception {
        try (Connection lock = dataSource.getConnection()) {
            if (!tryLock(lock)) {
                return false;
            }
            try {
                long started = System.nanoTime();
                String fingerprint = graph.fingerprint();
                if (!fingerprint.equals(lastFingerprint)) {
                    GraphMetricsService.Run run = graph.run(config.metrics().betweennessPivots());
                    publishChanged(run.metrics());
                    lastFingerprint = fingerprint;
                    status = new Status(Instant.now(), run.id(), run.accounts(), run.relationships(),
                            run.communities(), run.modularity(), 0, null);
                    LOG.infof("Graph metrics: %d accounts, %d relationships, %d communities (modularity %.3f) in "
                            + "%d ms (phases in ms: %s)", run.accounts(), run.relationships(), run.communities(),
                            run.modularity(), Duration.between(run.startedAt(), run.finishedAt()).toMillis(),
                            run.phaseMillis());
                }
                Status s = status;
                status = new Status(Instant.now(), s.lastGraphRunId(), s.accounts(), s.relationships(),
                        s.communities(), s.modularity(), (System.nanoTime() - started) / 1_000_000, null);
                return true;
            } finally {
                try (PreparedStatement ps = lock.prepareStatement("select pg_advisory_unlock(?)")) {
                    ps.setLong(1, METRICS_LOCK);
                    ps.execute();
                }
            }
        }
    }

    private static boolean tryLock(Connection c) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
            ps.setLong(1, METRICS_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void publishChanged(List<AccountMetrics> metrics) throws Exception {
        List<AccountMetrics> changed = new ArrayList<>();
        for (AccountMetrics a : metrics) {
            int hash = Objects.hash(round(a.pagerank()), a.pagerankByType().values().stream().map(MetricsSchedule::round)
                    .toList(), a.core(), round(a.betweenness()), round(a.reciprocity()), a.community(), a.subCommunity(), a.degrees());
            Integer before = published.put(a.accountId(), hash);
            if (before == null || before != hash) {
                changed.add(a);
            }
        }
        publisher.publishAccountMetrics(changed).get(300, TimeUnit.SECONDS);
    }

    private static double round(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return value;
        }
        double scale = Math.pow(10, 4 - Math.ceil(Math.log10(Math.abs(value))));
        return Math.round(value * scale) / scale;
    }
}
