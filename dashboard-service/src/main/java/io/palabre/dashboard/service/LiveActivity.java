package io.palabre.dashboard.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.palabre.dashboard.domain.MentionThreaded;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * New activity as the read model commits it, for live subscribers. A subscriber that cannot keep up loses events
 * rather than slowing the read model down.
 */
@ApplicationScoped
public class LiveActivity {

    private final BroadcastProcessor<LiveMention> mentions = BroadcastProcessor.create();

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
                    t.lang() != null ? t.lang() : m.lang(), m.url(), m.source() == null ? null : m.source().query(),
                    t.deleted()));
        }
    }

    public Multi<LiveMention> mentions() {
        return mentions.onOverflow().drop();
    }
}
