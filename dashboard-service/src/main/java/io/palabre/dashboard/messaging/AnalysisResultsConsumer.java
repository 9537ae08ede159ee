package io.palabre.dashboard.messaging;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.palabre.dashboard.alerts.AlertEvaluator;
import io.palabre.dashboard.domain.MentionThreaded;
import io.palabre.support.Retries;
import io.palabre.support.Retries.Attempt;
import io.palabre.support.tracing.RecordTracing;
import io.palabre.dashboard.service.LiveActivity;
import io.palabre.dashboard.service.ReadModelService;
import io.palabre.dashboard.service.ReadModelService.Results;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Blocking;

/**
 * Keeps the read model from analysis-service's topics ({@code conversations}, {@code threaded-mentions},
 * {@code relationships}, {@code account-metrics}), read together in batches by one consumer
 * so that merges and mentions are applied in one order. Offsets are committed after the read model is.
 *
 * <p>No record can stop it. A record that cannot be read, or that the read model refuses, goes to
 * {@code dashboard-dlq} with the reason and its payload, and the partition moves on: when a batch fails on its data,
 * its records are applied one at a time so that only those at fault are set aside. A failure that passes by itself
 * (database or broker out of reach) is retried with backoff, never dead-lettered, and readiness is DOWN meanwhile.
 */
@Startup
@ApplicationScoped
public class AnalysisResultsConsumer {

    private static final Logger LOG = Logger.getLogger(AnalysisResultsConsumer.class);

    private final ReadModelService readModel;
    private final LiveActivity live;
    private final AlertEvaluator alerts;
    private final ResultRecords parser;
    private final DeadLetters deadLetters;
    private final Retries retries;
    private final Counter applied;
    private final Counter rejected;
    private final RecordTracing tracing;

    public AnalysisResultsConsumer(ReadModelService readModel, LiveActivity live, AlertEvaluator alerts,
            ResultRecords parser, DeadLetters deadLetters, Retries retries, MeterRegistry registry,
            OpenTelemetry openTelemetry) {
        this.tracing = new RecordTracing(openTelemetry, "io.palabre.dashboard");
        this.readModel = readModel;
        this.live = live;
        this.alerts = alerts;
        this.parser = parser;
        this.deadLetters = deadLetters;
        this.retries = retries;
        this.applied = Counter.builder("palabre.dashboard.results.applied")
                .description("Analysis results applied to the read model").register(registry);
        this.rejected = Counter.builder("palabre.dashboard.results.rejected")
                .description("Analysis results sent to dashboard-dlq").register(registry);
    }

    /** A record as read: where it came from, its payload, and what it says (null when it cannot be read). */
    private record Item(String origin, String payload, Object result) {
    }

    /** A record set aside, with the reason. */
    private record Rejected(String origin, String reason, String payload) {
    }

    @Incoming("analysis-results")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        List<Item> items = new ArrayList<>(records.count());
        List<Rejected> set = new ArrayList<>();
        // A span per record whose producer traced it (a mention's way from its import): it ends once the read model
        // has the record, or has set it aside.
        List<Span> spans = new ArrayList<>();
        try {
            for (ConsumerRecord<String, String> record : records) {
                Span span = tracing.process(record.topic(), record.headers());
                if (span.getSpanContext().isValid()) {
                    spans.add(span);
                }
                String origin = record.topic() + "/" + record.partition() + "@" + record.offset();
                try {
                    Object result = parser.parse(record.topic(), record.value());
                    if (result != null) {
                        items.add(new Item(origin, record.value(), result));
                    }
                } catch (ResultRecords.UnreadableException e) {
                    set.add(new Rejected(origin, "unreadable: " + e.getMessage(), record.value()));
                }
            }
            List<MentionThreaded> stored = apply(items, set);
            for (Rejected r : set) {
                LOG.errorf("Record %s sent to dashboard-dlq: %s", r.origin(), r.reason());
                deadLetters.send(r.origin(), r.reason(), r.payload());
            }
            live.committed(stored);
            alerts.arrived(stored);
            rejected.increment(set.size());
        } finally {
            spans.forEach(Span::end);
        }
    }

    /** Applies the items in one transaction, or one at a time when that fails on the data; returns the mentions. */
    private List<MentionThreaded> apply(List<Item> items, List<Rejected> set) throws InterruptedException {
        if (items.isEmpty()) {
            return List.of();
        }
        Attempt<Void> all = retries.untilDone("Updating the read model", () -> {
            readModel.apply(results(items));
            return null;
        });
        if (all.succeeded()) {
            applied.increment(items.size());
            return mentionsOf(items);
        }
        LOG.warnf("A batch of %d results failed on its data (%s); applying them one at a time", items.size(),
                all.failure());
        List<Item> kept = new ArrayList<>(items.size());
        for (Item item : items) {
            Attempt<Void> one = retries.untilDone("Updating the read model", () -> {
                readModel.apply(results(List.of(item)));
                return null;
            });
            if (one.succeeded()) {
                kept.add(item);
            } else {
                set.add(new Rejected(item.origin(), "not stored: " + one.failure(), item.payload()));
            }
        }
        applied.increment(kept.size());
        return mentionsOf(kept);
    }

    private static Results results(List<Item> items) {
        Results results = Results.empty();
        items.forEach(item -> results.add(item.result()));
        return results;
    }

    private static List<MentionThreaded> mentionsOf(List<Item> items) {
        return items.stream().map(Item::result).filter(MentionThreaded.class::isInstance)
                .map(MentionThreaded.class::cast).toList();
    }
}
