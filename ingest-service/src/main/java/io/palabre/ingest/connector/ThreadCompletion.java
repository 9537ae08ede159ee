package io.palabre.ingest.connector;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.PlatformHttp.PlatformException;
import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.messaging.MentionPublisher;

/**
 * Completes the threads connectors touch: for each collected reply whose parent was not collected, fetch the
 * missing ancestors (bounded in depth and in calls per cycle) and publish them marked as context, not as query
 * matches. What cannot be fetched is recorded as a gap of kind {@code parent}.
 */
@ApplicationScoped
public class ThreadCompletion {

    private static final Logger LOG = Logger.getLogger(ThreadCompletion.class);
    private static final int REMEMBERED = 100_000;

    private final Map<String, ParentFetcher> fetchers = new LinkedHashMap<>();
    private final MentionPublisher publisher;
    private final ConnectorState state;
    private final ConnectorsConfig config;
    private final Set<String> known = Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    public ThreadCompletion(Instance<ParentFetcher> fetchers, MentionPublisher publisher, ConnectorState state,
            ConnectorsConfig config) {
        fetchers.forEach(f -> this.fetchers.put(f.platform(), f));
        this.publisher = publisher;
        this.state = state;
        this.config = config;
    }

    /**
     * Fetches and publishes the missing ancestors of {@code collected}; returns the acknowledgements to wait for.
     */
    public List<CompletableFuture<Void>> complete(String connector, String scope, List<MentionCaptured> collected) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        if (!config.threadCompletion().enabled()) {
            return sent;
        }
        collected.forEach(m -> remember(m.id()));
        int budget = config.threadCompletion().maxFetchesPerCycle();
        Source source = new Source(connector + "-context", null, Instant.now(), true);
        for (MentionCaptured reply : collected) {
            if (reply.replyTo() == null || knows(reply.replyTo().id())) {
                continue;
            }
            String parent = reply.replyTo().id();
            ParentFetcher fetcher = fetchers.get(reply.platform());
            if (fetcher == null) {
                missing(connector, scope, parent, "no way to fetch " + reply.platform() + " parents");
                continue;
            }
            if (budget-- <= 0) {
                missing(connector, scope, parent, "parent not fetched: the per-cycle budget of "
                        + config.threadCompletion().maxFetchesPerCycle() + " calls was spent");
                continue;
            }
            try {
                Mapping ancestors = fetcher.ancestors(reply, config.threadCompletion().maxDepth(), source);
                for (MentionCaptured ancestor : ancestors.mentions()) {
                    if (remember(ancestor.id())) {
                        sent.add(publisher.publish(ancestor).toCompletableFuture());
                    }
                }
                if (!knows(parent)) {
                    missing(connector, scope, parent, "the platform did not return the parent (deleted, private or "
                            + "blocked)");
                }
            } catch (PlatformException e) {
                LOG.debugf("Parent %s not fetched: %s", parent, e.getMessage());
                missing(connector, scope, parent, "parent not fetched: " + e.getMessage());
            }
        }
        return sent;
    }

    /** Adds a post to those published recently; false when it was there already. */
    private boolean remember(String id) {
        synchronized (known) {
            return known.add(id);
        }
    }

    private boolean knows(String id) {
        synchronized (known) {
            return known.contains(id);
        }
    }

    private void missing(String connector, String scope, String parent, String reason) {
        state.recordGap(new ConnectorState.Gap(connector, scope, "parent", null, null, parent, reason, Instant.now()));
    }
}
