package io.palabre.dashboard.messaging;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.palabre.dashboard.domain.AccountMetricsUpdated;
import io.palabre.dashboard.domain.ConversationUpdated;
import io.palabre.dashboard.domain.DialogueMetricsUpdated;
import io.palabre.dashboard.domain.RelationshipUpdated;
import io.palabre.dashboard.domain.MentionThreaded;
import io.palabre.dashboard.service.LiveActivity;
import io.palabre.dashboard.service.ReadModelService;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Keeps the read model from analysis-service's topics ({@code conversations}, {@code threaded-mentions},
 * {@code relationships}, {@code account-metrics}, {@code dialogue-metrics}), read together in batches by one consumer
 * so that merges and mentions are applied in one order. Offsets are committed after the read model is.
 */
@Startup
@ApplicationScoped
public class AnalysisResultsConsumer {

    private static final Logger LOG = Logger.getLogger(AnalysisResultsConsumer.class);

    private final ReadModelService readModel;
    private final LiveActivity live;
    private final ObjectMapper mapper;
    private final Emitter<String> deadLetters;
    private final Counter applied;
    private final Counter unreadable;

    public AnalysisResultsConsumer(ReadModelService readModel, LiveActivity live, ObjectMapper mapper,
            @Channel("dashboard-dlq") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192) Emitter<String> deadLetters,
            MeterRegistry registry) {
        this.readModel = readModel;
        this.live = live;
        this.mapper = mapper;
        this.deadLetters = deadLetters;
        this.applied = Counter.builder("palabre.dashboard.results.applied")
                .description("Analysis results applied to the read model").register(registry);
        this.unreadable = Counter.builder("palabre.dashboard.results.unreadable")
                .description("Analysis results that could not be read and were skipped").register(registry);
    }

    @Incoming("analysis-results")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) throws Exception {
        List<CompletableFuture<Void>> rejected = new ArrayList<>();
        List<ConversationUpdated> conversations = new ArrayList<>();
        List<MentionThreaded> mentions = new ArrayList<>();
        List<RelationshipUpdated> relationships = new ArrayList<>();
        List<AccountMetricsUpdated> accounts = new ArrayList<>();
        List<DialogueMetricsUpdated> dialogue = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                if (record.value() == null) {
                    continue; // a tombstone on a compacted topic: nothing analysis publishes deletes that way
                }
                switch (record.topic()) {
                    case "conversations" -> conversations.add(mapper.readValue(record.value(), ConversationUpdated.class));
                    case "relationships" -> relationships.add(mapper.readValue(record.value(), RelationshipUpdated.class));
                    case "account-metrics" -> accounts.add(mapper.readValue(record.value(), AccountMetricsUpdated.class));
                    case "dialogue-metrics" -> {
                        JsonNode node = mapper.readTree(record.value());
                        if (!node.path("accountId").isTextual() || !node.path("window").isTextual()
                                || !node.path("computedAt").isTextual()) {
                            throw new IllegalArgumentException("dialogue metrics without accountId, window or "
                                    + "computedAt");
                        }
                        dialogue.add(new DialogueMetricsUpdated(node.get("accountId").asText(),
                                node.get("window").asText(), Instant.parse(node.get("computedAt").asText()), node));
                    }
                    default -> mentions.add(mapper.readValue(record.value(), MentionThreaded.class));
                }
            } catch (JsonProcessingException | IllegalArgumentException | java.time.DateTimeException e) {
                // analysis-service wrote it against a contract: an unreadable record is a bug to see, not to stall on.
                unreadable.increment();
                String origin = record.topic() + "/" + record.partition() + "@" + record.offset();
                LOG.errorf("Unreadable record %s sent to dashboard-dlq: %s", origin, e.getMessage());
                rejected.add(deadLetter(origin, "unreadable: " + e.getMessage(), record.value()));
            }
        }
        long backoffMillis = 500;
        while (true) {
            try {
                ReadModelService.Results results = new ReadModelService.Results(conversations, mentions,
                        relationships, accounts, dialogue);
                readModel.apply(results);
                live.committed(mentions);
                applied.increment(results.size());
                CompletableFuture.allOf(rejected.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                return;
            } catch (SQLException e) {
                LOG.warnf("Read model not updated (%s); retrying in %d ms", e.getMessage(), backoffMillis);
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 30_000);
            }
        }
    }

    private CompletableFuture<Void> deadLetter(String origin, String reason, String payload) throws JsonProcessingException {
        ObjectNode rejection = mapper.createObjectNode();
        rejection.put("reason", reason);
        rejection.put("payload", payload == null ? "" : payload);
        rejection.put("stage", "dashboard");
        rejection.put("origin", origin);
        rejection.put("rejectedAt", Instant.now().toString());
        CompletableFuture<Void> acked = new CompletableFuture<>();
        deadLetters.send(Message.of(mapper.writeValueAsString(rejection),
                Metadata.of(OutgoingKafkaRecordMetadata.<String> builder().withKey(origin).build()),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        return acked;
    }
}
