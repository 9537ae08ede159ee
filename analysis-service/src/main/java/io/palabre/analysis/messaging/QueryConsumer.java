package io.palabre.analysis.messaging;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.analysis.domain.ConversationUpdated;
import io.palabre.analysis.domain.ListeningQueryChanged;
import io.palabre.analysis.domain.Rejection;
import io.palabre.analysis.threading.ThreadingService;
import io.palabre.support.Retries.Attempt;
import io.palabre.support.Retries;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Blocking;

/**
 * Reads the compacted topic {@code queries} to learn which accounts are the organisation's own. When that set
 * changes, the conversations those accounts wrote in are recomputed and republished (their
 * {@code organisationTookPart} may change). A record that cannot be used goes to {@code mentions-dlq} with its
 * reason; a failure that passes by itself is waited out.
 */
@Startup
@ApplicationScoped
public class QueryConsumer {

    private static final Logger LOG = Logger.getLogger(QueryConsumer.class);

    private final ThreadingService threading;
    private final AnalysisPublisher publisher;
    private final Retries retries;
    private final ObjectMapper mapper;

    public QueryConsumer(ThreadingService threading, AnalysisPublisher publisher, Retries retries,
            ObjectMapper mapper) {
        this.threading = threading;
        this.publisher = publisher;
        this.retries = retries;
        this.mapper = mapper;
    }

    @Incoming("queries")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) throws InterruptedException {
        String origin = "queries/" + record.partition() + "@" + record.offset();
        String payload = record.value() == null ? "" : record.value();
        ListeningQueryChanged query = null;
        if (record.value() != null) {
            try {
                query = mapper.readValue(record.value(), ListeningQueryChanged.class);
            } catch (JsonProcessingException e) {
                publish(List.of(), List.of(Rejection.atAnalysis("not a listening query: " + e.getOriginalMessage(),
                        payload, origin)));
                return;
            }
        }
        if (record.key() == null) {
            publish(List.of(), List.of(Rejection.atAnalysis("listening query without a record key", payload,
                    origin)));
            return;
        }
        ListeningQueryChanged read = query;
        Attempt<List<ConversationUpdated>> applied = retries.untilDone("Applying a listening query",
                () -> threading.applyQuery(record.key(), read));
        if (!applied.succeeded()) {
            publish(List.of(), List.of(Rejection.atAnalysis("listening query not applied: " + applied.failure(),
                    payload, origin)));
            return;
        }
        if (!applied.value().isEmpty()) {
            LOG.infof("Organisation accounts changed by query %s: %d conversations recomputed", record.key(),
                    applied.value().size());
        }
        publish(applied.value(), List.of());
    }

    private void publish(List<ConversationUpdated> updates, List<Rejection> rejections) throws InterruptedException {
        Attempt<Void> done = retries.untilDone("Publishing recomputed conversations", () -> {
            try {
                return publisher.publish(List.of(), updates, List.of(), rejections).get(150, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        });
        if (!done.succeeded()) {
            LOG.errorf("Recomputed conversations could not be published: %s", done.failure());
        }
    }
}
