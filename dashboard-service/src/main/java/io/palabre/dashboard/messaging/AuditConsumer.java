package io.palabre.dashboard.messaging;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.palabre.dashboard.access.AuditLog;
import io.palabre.support.Retries;
import io.palabre.support.Retries.Attempt;
import io.palabre.support.audit.AuditEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;

/**
 * Brings the other services' audit events (topic {@code audit}) into the audit log, in batches, each event once. An
 * event that cannot be read or stored goes to {@code dashboard-dlq} with the reason; an outage is waited out.
 */
@ApplicationScoped
public class AuditConsumer {

    private static final Logger LOG = Logger.getLogger(AuditConsumer.class);

    private final AuditLog log;
    private final DeadLetters deadLetters;
    private final Retries retries;

    public AuditConsumer(AuditLog log, DeadLetters deadLetters, Retries retries) {
        this.log = log;
        this.deadLetters = deadLetters;
        this.retries = retries;
    }

    private record Item(String origin, String payload, AuditEvent event) {
    }

    @Incoming("audit")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) throws InterruptedException {
        List<Item> items = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            String origin = r.topic() + "/" + r.partition() + "@" + r.offset();
            var event = r.value() == null ? java.util.Optional.<AuditEvent> empty() : AuditEvent.fromJson(r.value());
            if (event.isEmpty()) {
                LOG.errorf("Audit record %s sent to dashboard-dlq: unreadable", origin);
                deadLetters.send(origin, "unreadable audit event", r.value());
            } else {
                items.add(new Item(origin, r.value(), event.get()));
            }
        }
        if (items.isEmpty() || store(items).succeeded()) {
            return;
        }
        for (Item item : items) {
            Attempt<Void> one = store(List.of(item));
            if (!one.succeeded()) {
                LOG.errorf("Audit record %s sent to dashboard-dlq: %s", item.origin(), one.failure());
                deadLetters.send(item.origin(), "not stored: " + one.failure(), item.payload());
            }
        }
    }

    private Attempt<Void> store(List<Item> items) throws InterruptedException {
        return retries.untilDone("Storing audit events", () -> QuarkusTransaction.requiringNew().call(() -> {
            for (Item item : items) {
                log.record(item.event());
            }
            return null;
        }));
    }
}
