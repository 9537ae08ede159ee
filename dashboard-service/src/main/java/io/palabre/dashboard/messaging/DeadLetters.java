package io.palabre.dashboard.messaging;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.support.Retries;
import io.palabre.support.Retries.Attempt;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Sets aside, on {@code dashboard-dlq}, a record the dashboard cannot use, with the reason and its payload: the
 * consumer moves on, and nothing is dropped unrecorded.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    /** Well under the broker's largest record, so that a dead letter is never refused for its size. */
    static final int MAX_DEAD_LETTER_PAYLOAD_CHARS = 262_144;

    private final Emitter<String> topic;
    private final ObjectMapper mapper;
    private final Retries retries;

    public DeadLetters(
            @Channel("dashboard-dlq") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192) Emitter<String> topic,
            ObjectMapper mapper, Retries retries) {
        this.topic = topic;
        this.mapper = mapper;
        this.retries = retries;
    }

    /** Publishes the rejection, retrying until the broker acknowledges it. */
    public void send(String origin, String reason, String payload) throws InterruptedException {
        ObjectNode rejection = mapper.createObjectNode();
        rejection.put("reason", reason);
        String body = payload == null ? "" : payload;
        if (body.length() > MAX_DEAD_LETTER_PAYLOAD_CHARS) {
            rejection.put("reason", reason + " (payload cut to its first " + MAX_DEAD_LETTER_PAYLOAD_CHARS
                    + " characters)");
            body = body.substring(0, MAX_DEAD_LETTER_PAYLOAD_CHARS);
        }
        rejection.put("payload", body);
        rejection.put("stage", "dashboard");
        rejection.put("origin", origin);
        rejection.put("rejectedAt", Instant.now().toString());
        String json = rejection.toString();
        Attempt<Void> sent = retries.untilDone("Dead-lettering a record", () -> {
            CompletableFuture<Void> acked = new CompletableFuture<>();
            topic.send(Message.of(json,
                    Metadata.of(OutgoingKafkaRecordMetadata.<String> builder().withKey(origin).build()),
                    () -> {
                        acked.complete(null);
                        return CompletableFuture.completedFuture(null);
                    },
                    error -> {
                        acked.completeExceptionally(error);
                        return CompletableFuture.completedFuture(null);
                    }));
            try {
                return acked.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        });
        if (!sent.succeeded()) {
            LOG.errorf("Record %s could not be dead-lettered (%s); its reason was: %s", origin, sent.failure(), reason);
        }
    }
}
