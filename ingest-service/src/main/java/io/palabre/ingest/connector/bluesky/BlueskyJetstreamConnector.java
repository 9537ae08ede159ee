package io.palabre.ingest.connector.bluesky;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.ingest.connector.ConnectorState;
import io.palabre.ingest.connector.ConnectorsConfig;
import io.palabre.ingest.connector.OutboundGuard;
import io.palabre.ingest.connector.StreamedPosts;
import io.palabre.ingest.connector.ListeningService.ScopeStatus;
import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.ThreadCompletion;
import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.domain.Rejection;
import io.palabre.ingest.messaging.MentionPublisher;
import io.palabre.ingest.query.ListeningQuery;
import io.palabre.ingest.query.QueryMatcher;
import io.palabre.ingest.query.QueryService;
import io.quarkus.runtime.StartupEvent;

/**
 * Listens to the Bluesky Jetstream firehose (posts and reposts) and publishes what the listening queries match;
 * Jetstream has no keyword filter, so every event is matched here.
 *
 * <p>Nothing is lost silently. Its {@code time_us} cursor is saved only up to events whose every publication the broker
 * has acknowledged ({@link PublicationWatermark}); a publication that fails is recorded as a gap and the stream is
 * replayed from the saved cursor, a few seconds before it (duplicates are harmless). Reading pauses while too many
 * publications are in flight, so the broker's pace is the stream's. A message longer than the cap is dead-lettered,
 * cut. Deletes are forwarded for every author a stream published posts of (remembered in the database, so also after
 * a restart). A stream that goes quiet is treated as stalled: it reconnects, and readiness reports it meanwhile. An
 * outage longer than Jetstream's history is recorded as a gap.
 */
@ApplicationScoped
public class BlueskyJetstreamConnector {

    public static final String NAME = "bluesky-jetstream";
    static final String SCOPE = "firehose";
    private static final Logger LOG = Logger.getLogger(BlueskyJetstreamConnector.class);

    private final BlueskyMapper mapper;
    private final QueryService queries;
    private final MentionPublisher publisher;
    private final ConnectorState state;
    private final ConnectorsConfig config;
    private final ObjectMapper json;
    private final StreamedPosts streamed;
    private final OutboundGuard guard;
    private final ScopeStatus status = new ScopeStatus(NAME, SCOPE);
    private final PublicationWatermark watermark;
    private final Set<String> newAuthors = new LinkedHashSet<>();
    private final List<MentionCaptured> replies = new ArrayList<>();
    private final ThreadCompletion completion;
    private ScheduledExecutorService scheduler;
    private volatile WebSocket socket;
    private volatile Instant lastEventAt;
    private volatile long lastTimeUs;
    private volatile long savedTimeUs;
    private volatile List<QueryMatcher> matchers = List.of();
    private volatile boolean connecting;

    public BlueskyJetstreamConnector(BlueskyMapper mapper, QueryService queries, MentionPublisher publisher,
            ConnectorState state, ConnectorsConfig config, ObjectMapper json, ThreadCompletion completion,
            StreamedPosts streamed, OutboundGuard guard) {
        this.guard = guard;
        this.completion = completion;
        this.mapper = mapper;
        this.queries = queries;
        this.publisher = publisher;
        this.state = state;
        this.config = config;
        this.json = json;
        this.streamed = streamed;
        this.watermark = new PublicationWatermark(config.limits().maxInFlight());
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.jetstream().enabled()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "palabre-jetstream");
            t.setDaemon(true);
            return t;
        });
        scheduler.execute(this::refreshQueries);
        scheduler.execute(this::connect);
        long cursorMillis = config.jetstream().cursorInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::saveCursor, cursorMillis, cursorMillis, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::refreshQueries, 10, 10, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    public boolean enabled() {
        return config.jetstream().enabled();
    }

    public ScopeStatus status() {
        return status;
    }

    /** Publications the broker has not acknowledged yet. */
    public int inFlight() {
        return watermark.inFlight();
    }

    /** Connected and hearing events recently enough. */
    public boolean healthy() {
        Instant last = lastEventAt;
        return socket != null && last != null
                && Duration.between(last, Instant.now()).compareTo(config.jetstream().stallTimeout()) < 0;
    }

    void refreshQueries() {
        try {
            List<QueryMatcher> fresh = new ArrayList<>();
            for (ListeningQuery q : queries.enabled()) {
                QueryMatcher m = new QueryMatcher(q);
                if (m.listensOn("bluesky")) {
                    fresh.add(m);
                }
            }
            matchers = fresh;
        } catch (RuntimeException e) {
            LOG.warnf("Could not reload listening queries: %s", e.getMessage());
        }
    }

    private void connect() {
        if (connecting) {
            return;
        }
        connecting = true;
        try {
            // What was in flight on the previous connection is replayed from the saved cursor.
            watermark.restart();
            lastTimeUs = 0;
            String saved = state.cursor(NAME, SCOPE).orElse(null);
            StringBuilder url = new StringBuilder(config.jetstream().url())
                    .append("?wantedCollections=").append(BlueskyMapper.POST)
                    .append("&wantedCollections=").append(BlueskyMapper.REPOST);
            if (saved != null) {
                long savedUs = Long.parseLong(saved);
                savedTimeUs = savedUs;
                Instant savedAt = Instant.EPOCH.plusNanos(savedUs * 1000);
                Instant oldestKept = Instant.now().minus(config.jetstream().lookback());
                if (savedAt.isBefore(oldestKept)) {
                    state.recordGap(new ConnectorState.Gap(NAME, SCOPE, "range", savedAt, oldestKept, null,
                            "the stream was away longer than Jetstream keeps history", Instant.now()));
                }
                url.append("&cursor=").append(savedUs - config.jetstream().rewind().toNanos() / 1000);
            }
            URI target = URI.create(url.toString());
            guard.check(target);
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(target, new Listener()).get(20, TimeUnit.SECONDS);
            lastEventAt = Instant.now();
            LOG.infof("Connected to Jetstream at %s", config.jetstream().url());
        } catch (Exception e) {
            socket = null;
            status.lastErrorAt = Instant.now();
            status.lastError = "cannot connect: " + e;
            status.consecutiveFailures++;
            LOG.warnf("Cannot connect to Jetstream at %s: %s", config.jetstream().url(), e);
        } finally {
            connecting = false;
        }
    }

    /** Reconnects a stalled or closed stream, or one to replay after a failed publication, backing off on failures. */
    private void watch() {
        WebSocket ws = socket;
        Instant now = Instant.now();
        if (ws != null && !healthy()) {
            status.lastErrorAt = now;
            status.lastError = "stalled: no event for " + config.jetstream().stallTimeout().toSeconds() + " s";
            ws.abort();
            socket = null;
        } else if (ws != null && watermark.failed()) {
            saveCursor();
            ws.abort();
            socket = null;
        }
        if (socket == null) {
            long wait = Math.min(60_000, 1000L << Math.min(6, status.consecutiveFailures));
            if (status.lastErrorAt == null || Duration.between(status.lastErrorAt, now).toMillis() >= wait
                    || status.consecutiveFailures == 0) {
                saveCursor();
                connect();
            }
        }
    }

    private void handle(String text) {
        JsonNode event;
        try {
            event = json.readTree(text);
        } catch (JsonProcessingException e) {
            track(lastTimeUs, publisher.reject(Rejection.atIngest("jetstream event is not JSON: "
                    + e.getOriginalMessage(), text, NAME)));
            return;
        }
        lastEventAt = Instant.now();
        status.lastSuccessAt = lastEventAt;
        status.consecutiveFailures = 0;
        long timeUs = event.path("time_us").asLong(0);
        long at = timeUs > 0 ? timeUs : lastTimeUs;
        Mapping mapping = mapper.mapJetstream(event, new Source(NAME, null, lastEventAt));
        for (MentionCaptured m : mapping.mentions()) {
            if (m.kind().equals("delete")) {
                if (mayHold(m.author().id())) {
                    track(at, publisher.publish(m));
                }
                continue;
            }
            for (QueryMatcher matcher : matchers) {
                if (matcher.matches(m)) {
                    MentionCaptured tagged = m.withSource(
                            new MentionCaptured.Source(NAME, matcher.name(), lastEventAt, null));
                    synchronized (newAuthors) {
                        newAuthors.add(m.author().id());
                    }
                    track(at, publisher.publish(tagged));
                    if (tagged.replyTo() != null) {
                        synchronized (replies) {
                            replies.add(tagged);
                        }
                    }
                    status.collected++;
                    status.newestItemAt = m.createdAt();
                    break;
                }
            }
        }
        mapping.problems().forEach(p -> track(at, publisher.reject(Rejection.atIngest(p.reason(), p.item(), NAME))));
        if (timeUs > 0) {
            lastTimeUs = timeUs;
            watermark.handled(timeUs);
        }
    }

    /** Whether Palabre may hold posts of this author: a stream published some (or the answer is unknown). */
    private boolean mayHold(String authorId) {
        synchronized (newAuthors) {
            if (newAuthors.contains(authorId)) {
                return true;
            }
        }
        try {
            return streamed.authorCaptured(authorId);
        } catch (java.sql.SQLException e) {
            return true; // forwarding a delete Palabre does not need costs nothing; missing one would
        }
    }

    /** Follows one publication: the cursor waits for it, a failure is a gap to replay, an answer may resume reading. */
    private void track(long timeUs, CompletionStage<Void> sent) {
        long token = watermark.sent(timeUs);
        sent.whenComplete((ok, error) -> {
            if (error != null) {
                status.lastErrorAt = Instant.now();
                status.lastError = "publication failed, replaying from the saved cursor: " + error.getMessage();
                Instant at = Instant.EPOCH.plusNanos(timeUs * 1000);
                ScheduledExecutorService s = scheduler;
                if (s != null) {
                    s.execute(() -> state.recordGap(new ConnectorState.Gap(NAME, SCOPE, "publication", at, at, null,
                            "not published (" + error.getMessage() + "); the stream is replayed from the saved cursor",
                            Instant.now())));
                }
            }
            if (watermark.answered(token, timeUs, error != null)) {
                WebSocket ws = socket;
                if (ws != null) {
                    ws.request(1);
                }
            }
        });
    }

    /**
     * Completes the threads of the replies published since the last save (off the stream's thread), remembers the
     * authors published, then saves the cursor up to where everything is acknowledged by the broker.
     */
    private void saveCursor() {
        List<MentionCaptured> toComplete;
        synchronized (replies) {
            toComplete = new ArrayList<>(replies);
            replies.clear();
        }
        if (!toComplete.isEmpty()) {
            long at = lastTimeUs;
            completion.complete(NAME, SCOPE, toComplete).forEach(f -> track(at, f));
        }
        long cursor = watermark.safeCursor();
        if (cursor == 0 || cursor <= savedTimeUs) {
            return;
        }
        List<String> authors;
        synchronized (newAuthors) {
            authors = new ArrayList<>(newAuthors);
        }
        try {
            // Deletes must find the authors of what the cursor covers, also after a restart.
            streamed.authorsCaptured(authors);
            synchronized (newAuthors) {
                newAuthors.removeAll(authors);
            }
            state.saveCursor(NAME, SCOPE, Long.toString(cursor));
            savedTimeUs = cursor;
        } catch (Exception e) {
            status.lastErrorAt = Instant.now();
            status.lastError = "cursor not saved: " + e.getMessage();
        }
    }

    /**
     * Receives whole text messages (Jetstream sends JSON text frames) of the current connection, and asks for the next
     * one unless too many publications wait for the broker.
     */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private boolean oversized;

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (webSocket != socket) {
                return null; // a connection given up: its events are replayed on the current one
            }
            int max = config.limits().maxFrameChars();
            if (partial.length() + data.length() > max) {
                oversized = true;
                partial.append(data, 0, Math.max(0, Math.min(data.length(), max - partial.length())));
            } else if (!oversized) {
                partial.append(data);
            }
            if (!last) {
                webSocket.request(1);
                return null;
            }
            String message = partial.toString();
            partial.setLength(0);
            try {
                if (oversized) {
                    oversized = false;
                    track(lastTimeUs, publisher.reject(Rejection.atIngest("jetstream message over " + max
                            + " characters (palabre.connectors.limits.max-frame-chars)", message, NAME)));
                } else {
                    handle(message);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "Jetstream event not handled");
                track(lastTimeUs, publisher.reject(Rejection.atIngest("jetstream event not handled: " + e, message,
                        NAME)));
            }
            if (watermark.mayRead()) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            status.lastErrorAt = Instant.now();
            status.lastError = "closed by Jetstream: " + statusCode + " " + reason;
            if (socket == webSocket) {
                socket = null;
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            status.lastErrorAt = Instant.now();
            status.lastError = "stream error: " + error.getMessage();
            status.consecutiveFailures++;
            if (socket == webSocket) {
                socket = null;
            }
        }
    }
}
