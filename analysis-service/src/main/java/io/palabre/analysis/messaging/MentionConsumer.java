package io.palabre.analysis.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.palabre.analysis.domain.ConversationUpdated;
import io.palabre.analysis.domain.MentionThreaded;
import io.palabre.analysis.domain.Rejection;
import io.palabre.analysis.domain.RelationshipUpdated;
import io.palabre.analysis.text.TextLanguage;
import io.palabre.analysis.threading.ThreadingService;
import io.palabre.analysis.threading.ThreadingService.Outcome;
import io.palabre.analysis.threading.ReceivedMention;
import io.palabre.support.Retries.Attempt;
import io.palabre.support.Retries;
import io.palabre.support.tracing.RecordTracing;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Blocking;

/**
 * Consumes {@code mentions} and {@code routed-mentions} in batches: replies that can be routed to their parent's
 * conversation sent there ({@link MentionRouting}), the rest threaded, results published, and only then the offsets
 * committed.
 *
 * <p>No record can stop it. A record that is not a usable mention, or that threading refuses, goes to
 * {@code mentions-dlq} with its reason and the partition moves on: when a batch fails on its data it is stored one
 * mention at a time, so that only the mentions at fault are set aside. A failure that passes by itself (database or
 * broker out of reach) is retried with backoff and readiness DOWN, never dead-lettered; publication is retried until
 * the broker acknowledges it (a batch's results are the current state of what it touched, so sending them twice is
 * harmless).
 */
@Startup
@ApplicationScoped
public class MentionConsumer {

    private static final Logger LOG = Logger.getLogger(MentionConsumer.class);
    private static final long PUBLISH_TIMEOUT_SECONDS = 150;

    /** One language detector per consumer thread: detection runs while the records are parsed, in parallel. */
    private final ThreadLocal<TextLanguage> language = ThreadLocal.withInitial(TextLanguage::new);
    private final ThreadingService threading;
    private final AnalysisPublisher publisher;
    private final MentionRecords reader;
    private final MentionRouting routing;
    private final Retries retries;
    private final Counter received;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter rejected;
    private final Timer batchTimer;
    private final RecordTracing tracing;

    public MentionConsumer(ThreadingService threading, AnalysisPublisher publisher, MentionRecords reader,
            MentionRouting routing, Retries retries, MeterRegistry registry, OpenTelemetry openTelemetry) {
        this.tracing = new RecordTracing(openTelemetry, "io.palabre.analysis");
        this.threading = threading;
        this.publisher = publisher;
        this.reader = reader;
        this.routing = routing;
        this.retries = retries;
        this.received = Counter.builder("palabre.analysis.mentions.received")
                .description("Records read from topics mentions and routed-mentions").register(registry);
        this.stored = Counter.builder("palabre.analysis.mentions.stored")
                .description("Mentions stored for the first time").register(registry);
        this.duplicates = Counter.builder("palabre.analysis.mentions.duplicates")
                .description("Mentions received again and left unchanged").register(registry);
        this.rejected = Counter.builder("palabre.analysis.mentions.rejected")
                .description("Records sent to mentions-dlq").register(registry);
        this.batchTimer = Timer.builder("palabre.analysis.batch")
                .description("Time to store, thread and publish one poll of mentions").register(registry);
    }

    @Incoming("mentions")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        Timer.Sample sample = Timer.start();
        List<ReceivedMention> batch = new ArrayList<>(records.count());
        List<Rejection> rejections = new ArrayList<>();
        BatchTraces traces = new BatchTraces(tracing);
        boolean routedHere = records.count() > 0 && routing.aligned();
        try {
            for (ConsumerRecord<String, String> record : records) {
                String origin = record.topic() + "/" + record.partition() + "@" + record.offset();
                try {
                    MentionRecords.Read read = reader.read(record.value());
                    boolean routed = routedHere && record.topic().equals(MentionRouting.TOPIC);
                    batch.add(new ReceivedMention(read.mention(), read.payload(), origin, record.key(),
                            record.partition(), ReceivedMention.detect(read.mention(), language.get()), routed));
                    traces.open(read.mention().id(), record);
                } catch (MentionRecords.UnusableException e) {
                    rejections.add(Rejection.atAnalysis(e.getMessage(), record.value() == null ? "" : record.value(),
                            origin));
                }
            }
            // Consumers store at the same time (ThreadingService orders what must be); what they publish carries
            // versions and times by which its readers keep the latest state, whatever order it arrives in.
            Outcome outcome = store(routing.route(batch, traces), rejections);
            CompletableFuture<Void> published = publish(outcome, rejections, traces);
            awaitPublished(published, outcome, rejections, traces);
            received.increment(records.count());
            stored.increment(outcome.stored());
            duplicates.increment(outcome.duplicates());
            rejected.increment(rejections.size());
        } finally {
            traces.end();
        }
        sample.stop(batchTimer);
    }

    private CompletableFuture<Void> publish(Outcome outcome, List<Rejection> rejections, BatchTraces traces) {
        return publisher.publish(outcome.mentions(), outcome.conversations(), outcome.relationships(), rejections,
                traces);
    }

    /** Waits for the broker's acknowledgements, publishing again while it cannot be reached. */
    private void awaitPublished(CompletableFuture<Void> first, Outcome outcome, List<Rejection> rejections,
            BatchTraces traces) throws InterruptedException {
        CompletableFuture<Void>[] attempt = new CompletableFuture[] { first };
        Attempt<Void> done = retries.untilDone("Publishing analysis results", () -> {
            try {
                attempt[0].get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return null;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                attempt[0] = publish(outcome, rejections, traces);
                throw e instanceof ExecutionException && e.getCause() instanceof Exception cause ? cause : e;
            }
        });
        if (!done.succeeded()) {
            LOG.errorf("Analysis results of a batch could not be published: %s", done.failure());
        }
    }

    /**
     * Stores the batch. When it fails on its data, it is stored one mention at a time so that only the mentions at
     * fault go to the dead-letter topic.
     */
    private Outcome store(List<ReceivedMention> batch, List<Rejection> rejections) throws InterruptedException {
        if (batch.isEmpty()) {
            return Outcome.empty();
        }
        Attempt<Outcome> whole = retries.untilDone("Storing mentions", () -> threading.apply(batch));
        if (whole.succeeded()) {
            return whole.value();
        }
        LOG.warnf("A batch of %d mentions failed on its data (%s); storing them one by one", batch.size(),
                whole.failure());
        List<MentionThreaded> mentions = new ArrayList<>();
        List<ConversationUpdated> conversations = new ArrayList<>();
        List<RelationshipUpdated> relationships = new ArrayList<>();
        int storedCount = 0;
        int duplicateCount = 0;
        for (ReceivedMention one : batch) {
            Attempt<Outcome> alone = retries.untilDone("Storing a mention", () -> threading.apply(List.of(one)));
            if (alone.succeeded()) {
                Outcome o = alone.value();
                mentions.addAll(o.mentions());
                conversations.addAll(o.conversations());
                relationships.addAll(o.relationships());
                storedCount += o.stored();
                duplicateCount += o.duplicates();
            } else {
                LOG.warnf("Mention at %s sent to mentions-dlq: %s", one.origin(), alone.failure());
                rejections.add(Rejection.atAnalysis("cannot be stored: " + alone.failure(), one.json(),
                        one.origin()));
            }
        }
        return new Outcome(mentions, conversations, relationships, storedCount, duplicateCount);
    }
}
