package io.palabre.dashboard.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.palabre.dashboard.domain.MentionThreaded;
import io.palabre.dashboard.service.Background;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * Evaluates every enabled rule as mentions arrive: each batch the read model commits marks the rules due, and one
 * thread evaluates them as soon as it is free (batches that arrive meanwhile are covered by the next pass). Rules
 * that time alone can make true (a mention left unanswered) are evaluated every {@code palabre.alerts.tick} as well.
 * What an evaluation decides is in the database before anything is delivered, so a restart neither repeats nor loses
 * an alert.
 */
@ApplicationScoped
public class AlertEvaluator {

    private static final Logger LOG = Logger.getLogger(AlertEvaluator.class);

    private final AlertStore store;
    private final RuleConditions conditions;
    private final boolean enabled;
    private final Duration tick;
    private final AtomicBoolean due = new AtomicBoolean(true);
    private final BroadcastProcessor<AlertEvent> events = BroadcastProcessor.create();
    private final Timer passes;
    private final Timer delay;
    private final Counter fired;
    private final Counter resolved;
    private final Counter failures;
    private final Map<RuleType, Timer> typeTimers = new EnumMap<>(RuleType.class);
    private ScheduledExecutorService executor;
    private volatile Instant lastPass = Instant.EPOCH;

    public AlertEvaluator(AlertStore store, RuleConditions conditions, MeterRegistry registry,
            @ConfigProperty(name = "palabre.alerts.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "palabre.alerts.tick", defaultValue = "30s") Duration tick) {
        this.store = store;
        this.conditions = conditions;
        this.enabled = enabled;
        this.tick = tick;
        this.passes = Timer.builder("palabre.alerts.evaluation").description("One evaluation of every enabled rule")
                .register(registry);
        this.delay = Timer.builder("palabre.alerts.delay").description("From the newest mention an alert rests on "
                + "to its firing").publishPercentiles(0.5, 0.99).register(registry);
        this.fired = Counter.builder("palabre.alerts.events").tag("event", "fired").register(registry);
        this.resolved = Counter.builder("palabre.alerts.events").tag("event", "resolved").register(registry);
        for (RuleType type : RuleType.values()) {
            typeTimers.put(type, Timer.builder("palabre.alerts.rule.evaluation").description("Finding what one "
                    + "rule's conditions are, by rule type").tag("type", type.id()).register(registry));
        }
        this.failures = Counter.builder("palabre.alerts.evaluation.failures")
                .description("Rule evaluations that failed (retried at the next pass)").register(registry);
    }

    /** An alert fired or resolved, for live subscribers. */
    public record AlertEvent(String event, long alertId, long ruleId) {
    }

    void start(@Observes StartupEvent ignored) {
        if (!enabled) {
            return;
        }
        executor = Background.every("palabre-alerts", 1000, 100, this::runIfDue);
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Called after the read model committed a batch. */
    public void arrived(List<MentionThreaded> mentions) {
        if (!mentions.isEmpty()) {
            due.set(true);
        }
    }

    /** Marks every rule due now (a rule was made or changed). */
    public void wake() {
        due.set(true);
    }

    /** Alerts as they fire and resolve on this replica. */
    public Multi<AlertEvent> events() {
        return events.onOverflow().drop();
    }

    private void runIfDue() {
        Instant now = Instant.now();
        if (!due.getAndSet(false) && now.isBefore(lastPass.plus(tick))) {
            return;
        }
        lastPass = now;
        try {
            evaluateAll(now);
        } catch (Exception e) {
            failures.increment();
            LOG.warnf("Alert rules could not be read: %s", e.getMessage());
        }
    }

    /**
     * Evaluates every enabled rule once; a rule that fails is logged and tried again at the next pass. A rule whose
     * conditions are exactly its open alerts changes nothing: it is not written, only noted as evaluated.
     */
    public void evaluateAll(Instant now) throws java.sql.SQLException {
        Timer.Sample sample = Timer.start();
        List<AlertRule> rules = store.enabledRules();
        RuleConditions.Pass pass = conditions.pass(rules, now);
        Map<Long, Set<String>> open = store.openKeys();
        List<Long> quiet = new ArrayList<>();
        for (AlertRule rule : rules) {
            try {
                long started = System.nanoTime();
                RuleConditions.Found found = conditions.find(rule, pass);
                typeTimers.get(rule.type()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                Set<String> holding = new HashSet<>(found.keys());
                Set<String> opened = open.getOrDefault(rule.id(), Set.of());
                if (rule.evaluatedAt() != null && (holding.equals(opened)
                        || !found.complete() && opened.containsAll(holding))) {
                    quiet.add(rule.id());
                    continue;
                }
                // Conditions that were open need no description unless the transaction finds them closed since.
                List<Condition> conditions = new ArrayList<>(holding.size());
                for (String key : holding) {
                    conditions.add(opened.contains(key) ? Condition.undescribed(key) : found.describe().apply(key));
                }
                AlertStore.Applied applied = store.apply(rule, conditions, found.describe(), found.complete(), now);
                applied.fired().forEach(id -> events.onNext(new AlertEvent("fired", id, rule.id())));
                applied.resolved().forEach(id -> events.onNext(new AlertEvent("resolved", id, rule.id())));
                fired.increment(applied.fired().size());
                resolved.increment(applied.resolved().size());
                recordDelays(applied, now);
            } catch (Exception e) {
                failures.increment();
                LOG.warnf(e, "Alert rule %d (%s) could not be evaluated: %s", rule.id(), rule.name(), e.getMessage());
            }
        }
        store.evaluated(quiet, now);
        sample.stop(passes);
    }

    private void recordDelays(AlertStore.Applied applied, Instant now) {
        for (Condition c : applied.firedConditions()) {
            if (c.evidenceAt() != null && c.evidenceAt().isBefore(now)) {
                delay.record(Duration.between(c.evidenceAt(), now));
            }
        }
    }
}
