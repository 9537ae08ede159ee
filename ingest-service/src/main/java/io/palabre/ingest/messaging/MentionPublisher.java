package io.palabre.ingest.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.domain.Rejection;
import io.palabre.ingest.service.MentionValidator;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes canonical mentions on {@code mentions} and rejected payloads on {@code mentions-dlq}; each returned
 * stage completes when the broker has acknowledged the record.
 */
@ApplicationScoped
public class MentionPublisher {

    private final Emitter<String> mentions;
    private final Emitter<String> rejections;
    private final ObjectMapper mapper;
    private final MentionValidator validator;
    private final Counter published;
    private final Counter rejected;

    public MentionPublisher(
            @Channel("mentions") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192) Emitter<String> mentions,
            @Channel("mentions-dlq") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192) Emitter<String> rejections,
            ObjectMapper mapper, MentionValidator validator,
            MeterRegistry registry) {
        this.mentions = mentions;
        this.rejections = rejections;
        this.mapper = mapper;
        this.validator = validator;
        this.published = Counter.builder("palabre.ingest.mentions.published")
                .description("Mentions acknowledged by the broker on topic mentions").register(registry);
        this.rejected = Counter.builder("palabre.ingest.mentions.rejected")
                .description("Payloads sent to mentions-dlq").register(registry);
    }

    /**
     * Publishes the mention as the edge's rules leave it ({@link MentionValidator#check}); one they refuse goes to
     * {@code mentions-dlq} with the reason instead. Either way the stage completes when the broker has it.
     */
    public CompletionStage<Void> publish(MentionCaptured mention) {
        MentionCaptured checked;
        try {
            checked = validator.check(mention);
        } catch (MentionValidator.InvalidMentionException e) {
            String connector = mention.source() == null ? "unknown" : mention.source().connector();
            return reject(Rejection.atIngest(e.getMessage(), toJson(mention), connector));
        }
        return send(mentions, checked.partitionKey(), toJson(checked)).thenRun(published::increment);
    }

    public CompletionStage<Void> reject(Rejection rejection) {
        return send(rejections, rejection.origin(), toJson(rejection)).thenRun(rejected::increment);
    }

    private String toJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private static CompletionStage<Void> send(Emitter<String> emitter, String key, String json) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Metadata metadata = Metadata.of(OutgoingKafkaRecordMetadata.<String> builder().withKey(key).build());
        Message<String> message = Message.of(json, metadata,
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.send(message);
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }
}
