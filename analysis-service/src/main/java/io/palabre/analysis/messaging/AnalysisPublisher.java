package io.palabre.analysis.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.analysis.domain.ConversationUpdated;
import io.palabre.analysis.domain.MentionThreaded;
import io.palabre.analysis.domain.RelationshipUpdated;
import io.palabre.analysis.domain.Rejection;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes analysis results for dashboard-service ({@code conversations}, {@code threaded-mentions},
 * {@code relationships}, {@code account-metrics}, {@code dialogue-metrics}) and rejected records
 * ({@code mentions-dlq}); the returned futures complete when the broker has acknowledged all of them.
 */
@ApplicationScoped
public class AnalysisPublisher {

    private static final int BUFFER = 65536;

    private final Emitter<String> conversations;
    private final Emitter<String> threadedMentions;
    private final Emitter<String> rejections;
    private final Emitter<String> relationships;
    private final Emitter<String> accountMetrics;
    private final Emitter<String> dialogueMetrics;
    private final ObjectMapper mapper;

    public AnalysisPublisher(
            @Channel("conversations") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) Emitter<String> conversations,
            @Channel("threaded-mentions") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) Emitter<String> threadedMentions,
            @Channel("mentions-dlq") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) Emitter<String> rejections,
            @Channel("relationships") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) Emitter<String> relationships,
            @Channel("account-metrics") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) Emitter<String> accountMetrics,
            @Channel("dialogue-metrics") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER) Emitter<String> dialogueMetrics,
            ObjectMapper mapper) {
        this.conversations = conversations;
        this.threadedMentions = threadedMentions;
        this.rejections = rejections;
        this.relationships = relationships;
        this.accountMetrics = accountMetrics;
        this.dialogueMetrics = dialogueMetrics;
        this.mapper = mapper;
    }

    public CompletableFuture<Void> publish(List<MentionThreaded> mentions, List<ConversationUpdated> updates,
            List<RelationshipUpdated> relationshipUpdates, List<Rejection> rejected) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(mentions.size() + updates.size()
                + relationshipUpdates.size() + rejected.size());
        for (MentionThreaded m : mentions) {
            acks.add(send(threadedMentions, m.conversationId(), m));
        }
        for (ConversationUpdated u : updates) {
            acks.add(send(conversations, u.id(), u));
        }
        for (RelationshipUpdated r : relationshipUpdates) {
            acks.add(send(relationships, r.key(), r));
        }
        for (Rejection r : rejected) {
            acks.add(send(rejections, r.origin(), r));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    /** Publishes keyed values on {@code account-metrics}. */
    public CompletableFuture<Void> publishAccountMetrics(List<? extends Keyed> metrics) {
        return publishAll(accountMetrics, metrics);
    }

    /** Publishes keyed values on {@code dialogue-metrics}. */
    public CompletableFuture<Void> publishDialogueMetrics(List<? extends Keyed> metrics) {
        return publishAll(dialogueMetrics, metrics);
    }

    private CompletableFuture<Void> publishAll(Emitter<String> emitter, List<? extends Keyed> values) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(values.size());
        for (Keyed v : values) {
            acks.add(send(emitter, v.key(), v));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    /** A published value that names its own record key. */
    public interface Keyed {
        String key();
    }

    private CompletableFuture<Void> send(Emitter<String> emitter, String key, Object value) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        String json;
        try {
            json = mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            acked.completeExceptionally(e);
            return acked;
        }
        Metadata metadata = Metadata.of(OutgoingKafkaRecordMetadata.<String> builder().withKey(key).build());
        try {
            emitter.send(Message.of(json, metadata,
                    () -> {
                        acked.complete(null);
                        return CompletableFuture.completedFuture(null);
                    },
                    failure -> {
                        acked.completeExceptionally(failure);
                        return CompletableFuture.completedFuture(null);
                    }));
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }
}
