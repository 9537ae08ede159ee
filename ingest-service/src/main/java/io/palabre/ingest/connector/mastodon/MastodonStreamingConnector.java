package io.palabre.ingest.connector.mastodon;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.ingest.connector.ConnectorsConfig;
import io.palabre.ingest.connector.OutboundGuard;
import io.palabre.ingest.connector.StreamedPosts;
import io.palabre.ingest.connector.LineStream;
import io.palabre.ingest.connector.ListeningService.ScopeStatus;
import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.MentionBuilder.UnmappableException;
import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.domain.Rejection;
import io.palabre.ingest.messaging.MentionPublisher;
import io.palabre.ingest.query.ListeningQuery;
import io.palabre.ingest.query.QueryService;
import io.quarkus.runtime.StartupEvent;

/**
 * Follows the listening queries' hashtags live through Mastodon's streaming API (server-sent events; a user token
 * is required since Mastodon 4.2): {@code update} and {@code status.update} become posts and edits; a
 * {@code delete}, which carries only the instance-local id, is published for the statuses a stream delivered (their
 * global id is kept in the database for {@code palabre.connectors.limits.stream-ids-retention}, so also after a
 * restart). An event larger than the line cap is dead-lettered, cut. The polling connector stays the way to catch
 * up after an outage.
 */
@ApplicationScoped
public class MastodonStreamingConnector {

    public static final String NAME = "mastodon-streaming";
    private static final Logger LOG = Logger.getLogger(MastodonStreamingConnector.class);

    private final MastodonMapper mapper;
    private final QueryService queries;
    private final MentionPublisher publisher;
    private final ConnectorsConfig config;
    private final ObjectMapper json;
    private final Map<String, LineStream> streams = new ConcurrentHashMap<>();
    private final Map<String, ScopeStatus> statuses = new ConcurrentHashMap<>();
    private final StreamedPosts streamed;
    private final OutboundGuard guard;
    private ScheduledExecutorService refresher;
    /** The query each followed hashtag belongs to, as of the last refresh (not read from the database per event). */
    private volatile Map<String, String> queryByTag = Map.of();

    public MastodonStreamingConnector(MastodonMapper mapper, QueryService queries, MentionPublisher publisher,
            ConnectorsConfig config, ObjectMapper json, StreamedPosts streamed, OutboundGuard guard) {
        this.guard = guard;
        this.streamed = streamed;
        this.mapper = mapper;
        this.queries = queries;
        this.publisher = publisher;
        this.config = config;
        this.json = json;
    }

    public boolean enabled() {
        return config.mastodon().enabled() && config.mastodon().streaming() && config.mastodon().token().isPresent();
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled()) {
            return;
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "palabre-mastodon-streams");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refreshStreams, 0, 30, TimeUnit.SECONDS);
        refresher.scheduleWithFixedDelay(this::forgetOldStatuses, 1, 60, TimeUnit.MINUTES);
    }

    private void forgetOldStatuses() {
        try {
            streamed.forgetStatusesBefore(Instant.now().minus(config.limits().streamIdsRetention()));
        } catch (java.sql.SQLException e) {
            LOG.warnf("Could not forget old stream statuses: %s", e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        streams.values().forEach(LineStream::close);
    }

    /** One status per followed hashtag. */
    public List<ScopeStatus> status() {
        return new ArrayList<>(statuses.values());
    }

    public boolean healthy() {
        return streams.values().stream().allMatch(LineStream::healthy);
    }

    /** Opens a stream for each hashtag of an enabled query that has none yet. */
    public void refreshStreams() {
        try {
            Map<String, String> byTag = new java.util.HashMap<>();
            for (ListeningQuery q : queries.enabled()) {
                if (!List.of(q.platforms).contains("mastodon")) {
                    continue;
                }
                for (String tag : q.hashtags) {
                    byTag.putIfAbsent(tag, q.name);
                }
            }
            queryByTag = byTag;
            byTag.keySet().forEach(tag -> streams.computeIfAbsent(tag, this::open));
        } catch (RuntimeException e) {
            LOG.warnf("Could not refresh Mastodon streams: %s", e.getMessage());
        }
    }

    private LineStream open(String tag) {
        String base = config.mastodon().streamingUrl().orElse(config.mastodon().baseUrl());
        String instance = URI.create(config.mastodon().baseUrl()).getHost();
        ScopeStatus status = statuses.computeIfAbsent(tag, t -> new ScopeStatus(NAME, "#" + t));
        Events events = new Events(tag, instance, status);
        LineStream stream = new LineStream(NAME + "-" + tag,
                () -> URI.create(base + "/api/v1/streaming/hashtag?tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8)),
                () -> Map.of("Authorization", "Bearer " + config.mastodon().token().orElseThrow(),
                        "Accept", "text/event-stream"),
                events::line, config.mastodon().stallTimeout(), status, config.limits().maxLineChars(),
                cut -> publisher.reject(Rejection.atIngest("mastodon stream line over "
                        + config.limits().maxLineChars() + " characters (palabre.connectors.limits.max-line-chars)",
                        cut, NAME)), guard);
        stream.start();
        return stream;
    }

    /** Server-sent events of one stream: {@code event:} and {@code data:} lines, a blank line ends an event. */
    private final class Events {
        private final String tag;
        private final String instance;
        private final ScopeStatus status;
        private String event;
        private boolean oversized;
        private final StringBuilder data = new StringBuilder();

        Events(String tag, String instance, ScopeStatus status) {
            this.tag = tag;
            this.instance = instance;
            this.status = status;
        }

        void line(String line) {
            if (line.startsWith(":")) {
                return; // heartbeat
            }
            if (!line.isEmpty()) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:") && data.length() + line.length() > config.limits().maxLineChars()) {
                    oversized = true;
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).trim());
                }
                return;
            }
            if (oversized) {
                publisher.reject(Rejection.atIngest("mastodon stream event over " + config.limits().maxLineChars()
                        + " characters (palabre.connectors.limits.max-line-chars)", data.toString(), NAME));
            } else if (event != null && data.length() > 0) {
                dispatch(event, data.toString());
            }
            event = null;
            oversized = false;
            data.setLength(0);
        }

        private void dispatch(String name, String payload) {
            status.lastSuccessAt = Instant.now();
            Source source = new Source(NAME, queryByTag.get(tag), Instant.now());
            if (name.equals("delete")) {
                try {
                    java.util.Optional<StreamedPosts.Status> known = streamed.status(instance, payload.trim());
                    if (known.isEmpty()) {
                        return; // not a status a stream delivered: nothing Palabre holds to delete
                    }
                    // Global ids are kept with their platform prefix; the builder adds it again.
                    publisher.publish(new MentionBuilder("mastodon", source)
                            .id(local(known.get().globalId())).kind("delete").createdAt(Instant.now())
                            .author(local(known.get().authorId()), null, null, false).build());
                } catch (UnmappableException | java.sql.SQLException e) {
                    LOG.warnf("Delete of status %s not published: %s", payload.trim(), e.getMessage());
                    publisher.reject(Rejection.atIngest("delete not forwarded: " + e.getMessage(), payload, NAME));
                }
                return;
            }
            com.fasterxml.jackson.databind.node.ObjectNode envelope = json.createObjectNode().put("event", name);
            com.fasterxml.jackson.databind.JsonNode parsed = parse(payload);
            if (parsed != null) {
                envelope.set("payload", parsed);
            } else {
                envelope.put("payload", payload); // the mapper explains why it is not a status
            }
            Mapping mapping = mapper.map(envelope, instance, source);
            for (MentionCaptured m : mapping.mentions()) {
                publisher.publish(m);
                status.collected++;
                status.newestItemAt = m.createdAt();
            }
            if (parsed != null) {
                remember(parsed);
            }
            mapping.problems().forEach(p -> publisher.reject(Rejection.atIngest(p.reason(), p.item(), NAME)));
        }

        private com.fasterxml.jackson.databind.JsonNode parse(String payload) {
            try {
                return json.readTree(payload);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return null;
            }
        }

        private void remember(com.fasterxml.jackson.databind.JsonNode status) {
            try {
                String id = status.path("id").asText(null);
                String uri = status.path("uri").asText(null);
                if (id != null && uri != null) {
                    String author = MastodonMapper.Account.of(status.get("account")).id();
                    streamed.statusDelivered(instance, id, new StreamedPosts.Status("mastodon:" + uri,
                            "mastodon:" + author));
                }
            } catch (RuntimeException ignored) {
                // A status without a usable account was already sent to the dead-letter topic by the mapper.
            } catch (java.sql.SQLException e) {
                LOG.warnf("Status %s delivered but not remembered, its delete will not be forwarded: %s",
                        status.path("id").asText(), e.getMessage());
            }
        }
    }

    /** The platform's own id in a global id ({@code mastodon:<id>}). */
    private static String local(String globalId) {
        return globalId.substring(globalId.indexOf(':') + 1);
    }

}
