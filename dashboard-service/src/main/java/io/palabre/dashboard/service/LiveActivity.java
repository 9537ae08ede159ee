package io.palabre.dashboard.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.palabre.dashboard.domain.MentionThreaded;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * New activity as the read model commits it, for live subscribers. A subscriber that cannot keep up loses events
 * rather than slowing the read model down, and there are at most {@code palabre.dashboard.max-stream-clients} of
 * them at once.
 */
@ApplicationScoped
public class LiveActivity {

    private final BroadcastProcessor<LiveMention> mentions = BroadcastProcessor.create();
    private final java.util.concurrent.atomic.AtomicInteger clients = new java.util.concurrent.atomic.AtomicInteger();
    private final int maxClients;

    public LiveActivity(@org.eclipse.microprofile.config.inject.ConfigProperty(
            name = "palabre.dashboard.max-stream-clients", defaultValue = "200") int maxClients) {
        this.maxClients = maxClients;
    }

    /** Every place for a live subscriber is taken. */
    public static final class FullException extends RuntimeException {

        FullException(String message) {
            super(message, null, false, false);
        }
    }

    /** A mention just stored in the read model. */
    public record LiveMention(String id, String conversationId, String platform, String kind, Instant createdAt,
            String authorId, String authorHandle, String text, String lang, String url, String query,
            boolean deleted) {
    }

    /** Called after a batch is committed. */
    public void committed(List<MentionThreaded> batch) {
        for (MentionThreaded t : batch) {
            MentionThreaded.Mention m = t.mention();
            mentions.onNext(new LiveMention(m.id(), t.conversationId(), m.platform(), m.kind(), m.createdAt(),
                    m.author().id(), m.author().handle(), t.deleted() ? "" : m.text(),
                    t.lang() != null ? t.lang() : m.lang(), ReadModelService.webUrl(m.url()),
                    m.source() == null ? null : m.source().query(),
                    t.deleted()));
        }
    }

    /** New mentions for one more subscriber, or {@link FullException} when there are as many as allowed. */
    public Multi<LiveMention> mentions() {
        if (clients.get() >= maxClients) {
            throw new FullException("Already " + maxClients + " live subscribers (palabre.dashboard.max-stream-clients); "
                    + "try again later");
        }
        return mentions.onOverflow().drop().onSubscription().invoke(clients::incrementAndGet)
                .onTermination().invoke(clients::decrementAndGet);
    }

    /** Live subscribers now. */
    public int clients() {
        return clients.get();
    }
}
