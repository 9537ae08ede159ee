package io.palabre.analysis.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.analysis.domain.ConversationUpdated;
import io.palabre.analysis.domain.MentionThreaded;
import io.palabre.analysis.domain.Rejection;
import io.palabre.analysis.domain.RelationshipUpdated;

/**
 * Publishes analysis results for dashboard-service ({@code conversations}, {@code threaded-mentions},
 * {@code relationships}, {@code account-metrics}) and rejected records
 * ({@code mentions-dlq}); the returned futures complete when the broker has acknowledged all of them.
 *
 * <p>One idempotent producer ({@code acks=all}) serves every topic: a batch hands thousands of records to it at
 * once, and the producer's own batching costs microseconds per record where a messaging channel costs a good part
 * of a millisecond. Records of one key keep the order in which they were handed over.
 */
@ApplicationScoped
public class AnalysisPublisher {

    static final String CONVERSATIONS = "conversations";
    static final String THREADED_MENTIONS = "threaded-mentions";
    static final String RELATIONSHIPS = "relationships";
    static final String ACCOUNT_METRICS = "account-metrics";
    static final String MENTIONS_DLQ = "mentions-dlq";
    static final String ROUTED_MENTIONS = "routed-mentions";

    private final KafkaProducer<String, String> producer;
    private final ObjectMapper mapper;

    public AnalysisPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            ObjectMapper mapper) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "analysis-results");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
        this.mapper = mapper;
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }

    public CompletableFuture<Void> publish(List<MentionThreaded> mentions, List<ConversationUpdated> updates,
            List<RelationshipUpdated> relationshipUpdates, List<Rejection> rejected) {
        return publish(mentions, updates, relationshipUpdates, rejected, BatchTraces.none());
    }

    /** As above; each threaded mention carries its mention's span of {@code traces} as its parent. */
    CompletableFuture<Void> publish(List<MentionThreaded> mentions, List<ConversationUpdated> updates,
            List<RelationshipUpdated> relationshipUpdates, List<Rejection> rejected, BatchTraces traces) {
        Acks acks = new Acks(mentions.size() + updates.size() + relationshipUpdates.size() + rejected.size());
        for (MentionThreaded m : mentions) {
            send(THREADED_MENTIONS, m.conversationId(), m, acks, m.mentionId(), traces);
        }
        for (ConversationUpdated u : updates) {
            send(CONVERSATIONS, u.id(), u, acks);
        }
        for (RelationshipUpdated r : relationshipUpdates) {
            send(RELATIONSHIPS, r.key(), r, acks);
        }
        for (Rejection r : rejected) {
            send(MENTIONS_DLQ, r.origin(), r, acks);
        }
        return acks.all;
    }

    /**
     * Publishes mentions on {@code routed-mentions} as they were read (their JSON), each keyed by the conversation
     * it is routed to.
     */
    CompletableFuture<Void> publishRouted(List<Routed> routed, BatchTraces traces) {
        Acks acks = new Acks(routed.size());
        routed.forEach(r -> sendRaw(ROUTED_MENTIONS, r.conversation(), r.json(), acks, r.mentionId(), traces));
        return acks.all;
    }

    /** A mention's JSON as read, the conversation it is routed to, and its id. */
    public record Routed(String conversation, String json, String mentionId) {
    }

    /** Publishes keyed values on {@code account-metrics}. */
    public CompletableFuture<Void> publishAccountMetrics(List<? extends Keyed> metrics) {
        return publishAll(ACCOUNT_METRICS, metrics);
    }

    private CompletableFuture<Void> publishAll(String topic, List<? extends Keyed> values) {
        Acks acks = new Acks(values.size());
        for (Keyed v : values) {
            send(topic, v.key(), v, acks);
        }
        return acks.all;
    }

    private void send(String topic, String key, Object value, Acks acks) {
        send(topic, key, value, acks, null, BatchTraces.none());
    }

    private void send(String topic, String key, Object value, Acks acks, String mentionId, BatchTraces traces) {
        String json;
        try {
            json = mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            acks.failed(e);
            return;
        }
        sendRaw(topic, key, json, acks, mentionId, traces);
    }

    private void sendRaw(String topic, String key, String json, Acks acks, String mentionId, BatchTraces traces) {
        try {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, json);
            traces.inject(mentionId, record.headers());
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    acks.acked();
                } else {
                    acks.failed(error);
                }
            });
        } catch (RuntimeException e) {
            acks.failed(e);
        }
    }

    /** Completes when every record of one publication is acknowledged, or fails with the first error. */
    private static final class Acks {
        final CompletableFuture<Void> all = new CompletableFuture<>();
        final AtomicInteger pending;

        Acks(int count) {
            pending = new AtomicInteger(count);
            if (count == 0) {
                all.complete(null);
            }
        }

        void acked() {
            if (pending.decrementAndGet() == 0) {
                all.complete(null);
            }
        }

        void failed(Throwable error) {
            all.completeExceptionally(error);
        }
    }

    /** A published value that names its own record key. */
    public interface Keyed {
        String key();
    }
}
