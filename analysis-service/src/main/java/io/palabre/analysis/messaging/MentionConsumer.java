package io.palabre.analysis.messaging;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.palabre.analysis.domain.ConversationUpdated;
import io.palabre.analysis.domain.MentionCaptured;
import io.palabre.analysis.domain.MentionThreaded;
import io.palabre.analysis.domain.Rejection;
import io.palabre.analysis.domain.RelationshipUpdated;
import io.palabre.analysis.service.ThreadingService;
import io.palabre.analysis.service.ThreadingService.ReceivedMention;
import io.palabre.analysis.service.ThreadingService.Outcome;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Blocking;

/**
 * Consumes {@code mentions} in batches: one database transaction per poll, results published, and only then the
 * offsets committed. A record that cannot be used goes to {@code mentions-dlq} with its reason; it never blocks
 * the partition.
 */
@Startup
@ApplicationScoped
public class MentionConsumer {

    private static final Logger LOG = Logger.getLogger(MentionConsumer.class);
    private static final long PUBLISH_TIMEOUT_SECONDS = 120;

    private final java.util.concurrent.locks.ReentrantLock inOrder = new java.util.concurrent.locks.ReentrantLock(true);
    private final ThreadingService threading;
    private final AnalysisPublisher publisher;
    private final ObjectMapper mapper;
    private final Counter received;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter rejected;
    private final Timer batchTimer;

    public MentionConsumer(ThreadingService threading, AnalysisPublisher publisher, ObjectMapper mapper,
            MeterRegistry registry) {
        this.threading = threading;
        this.publisher = publisher;
        this.mapper = mapper;
        this.received = Counter.builder("palabre.analysis.mentions.received")
                .description("Records read from topic mentions").register(registry);
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
    public void consume(ConsumerRecords<String, String> records) throws Exception {
        Timer.Sample sample = Timer.start();
        List<ReceivedMention> batch = new ArrayList<>(records.count());
        List<Rejection> rejections = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            String origin = "mentions/" + record.partition() + "@" + record.offset();
            String payload = record.value();
            if (payload == null) {
                rejections.add(Rejection.atAnalysis("empty record (no value)", "", origin));
                continue;
            }
            try {
                MentionCaptured mention = mapper.readValue(payload, MentionCaptured.class);
                String missing = mention.missingField();
                if (missing != null) {
                    rejections.add(Rejection.atAnalysis("missing or invalid " + missing, payload, origin));
                } else {
                    batch.add(new ReceivedMention(mention, payload, origin));
                }
            } catch (JsonProcessingException e) {
                rejections.add(Rejection.atAnalysis("not a mention: " + e.getOriginalMessage(), payload, origin));
            }
        }
        // Consumers of this process take turns from storing to handing the results to the producer, so that
        // records are published in the order their transactions committed; acknowledgements are awaited outside.
        Outcome outcome;
        java.util.concurrent.CompletableFuture<Void> published;
        inOrder.lock();
        try {
            outcome = store(batch, rejections);
            published = publisher.publish(outcome.mentions(), outcome.conversations(), outcome.relationships(),
                    rejections);
        } finally {
            inOrder.unlock();
        }
        published.get(PUBLISH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        received.increment(records.count());
        stored.increment(outcome.stored());
        duplicates.increment(outcome.duplicates());
        rejected.increment(rejections.size());
        sample.stop(batchTimer);
    }

    /**
     * Stores the batch, retrying while the database is unreachable. When the batch fails on its data, it is
     * stored one mention at a time so that only the mentions at fault go to the dead-letter topic.
     */
    private Outcome store(List<ReceivedMention> batch, List<Rejection> rejections) throws InterruptedException {
        if (batch.isEmpty()) {
            return Outcome.empty();
        }
        long backoffMillis = 500;
        while (true) {
            try {
                return threading.apply(batch);
            } catch (SQLException e) {
                if (!isTransient(e)) {
                    LOG.warnf("Batch of %d mentions failed on its data (%s); storing them one by one", batch.size(),
                            e.getMessage());
                    return storeOneByOne(batch, rejections);
                }
                LOG.warnf("Database unavailable (%s); retrying in %d ms", e.getMessage(), backoffMillis);
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 30_000);
            }
        }
    }

    private Outcome storeOneByOne(List<ReceivedMention> batch, List<Rejection> rejections) throws InterruptedException {
        List<MentionThreaded> mentions = new ArrayList<>();
        List<ConversationUpdated> conversations = new ArrayList<>();
        List<RelationshipUpdated> relationships = new ArrayList<>();
        int storedCount = 0;
        int duplicateCount = 0;
        for (ReceivedMention one : batch) {
            try {
                Outcome o = threading.apply(List.of(one));
                mentions.addAll(o.mentions());
                conversations.addAll(o.conversations());
                relationships.addAll(o.relationships());
                storedCount += o.stored();
                duplicateCount += o.duplicates();
            } catch (SQLException e) {
                if (isTransient(e)) {
                    return storeAfterOutage(batch, rejections);
                }
                rejections.add(Rejection.atAnalysis("cannot be stored: " + e.getMessage(), one.json(),
                        one.origin()));
            }
        }
        return new Outcome(mentions, conversations, relationships, storedCount, duplicateCount);
    }

    private Outcome storeAfterOutage(List<ReceivedMention> batch, List<Rejection> rejections) throws InterruptedException {
        Thread.sleep(1000);
        return store(batch, rejections);
    }

    private static boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return true;
        }
        return state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57")
                || state.startsWith("58");
    }
}
