package io.palabre.ingest.connector.mastodon;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * {@code delete}, which carries only the instance-local id, is published for the statuses this stream delivered
 * (their global id is remembered). The polling connector stays the way to catch up after an outage.
 */
@ApplicationScoped
public class MastodonStreamingConnector {

    public static final String NAME = "mastodon-streaming";
    private static final Logger LOG = Logger.getLogger(MastodonStreamingConnector.class);
    private static final int REMEMBERED = 100_000;

    private final MastodonMapper mapper;
    private final QueryService queries;
    private final MentionPublisher publisher;
    private final ConnectorsConfig config;
    private final ObjectMapper json;
    private final Map<String, LineStream> streams = new ConcurrentHashMap<>();
    private final Map<String, ScopeStatus> statuses = new ConcurrentHashMap<>();
    private final Map<String, String[]> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String[]> eldest) {
            return size() > REMEMBERED;
        }
    };
    private ScheduledExecutorService refresher;
    /** The query each followed hashtag belongs to, as of the last refresh (not read from the database per event). */
    private volatile Map<String, String> queryByTag = Map.of();

    public MastodonStreamingConnector(MastodonMapper mapper, QueryService queries, MentionPublisher publisher,
            ConnectorsConfig config, ObjectMapper json) {
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
                events::line, config.mastodon().stallTimeout(), status);
        stream.start();
        return stream;
    }

    /** Server-sent events of one stream: {@code event:} and {@code data:} lines, a blank line ends an event. */
    private final class Events {
        private final String tag;
        private final String instance;
        private final ScopeStatus status;
        private String event;
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
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).trim());
                }
                return;
            }
            if (event != null && data.length() > 0) {
                dispatch(event, data.toString());
            }
            event = null;
            data.setLength(0);
        }

        private void dispatch(String name, String payload) {
            status.lastSuccessAt = Instant.now();
            Source source = new Source(NAME, queryByTag.get(tag), Instant.now());
            if (name.equals("delete")) {
                String[] known;
                synchronized (seen) {
                    known = seen.get(instance + "/" + payload.trim());
                }
                if (known == null) {
                    return; // not a status this stream delivered: nothing Palabre holds to delete
                }
                try {
                    publisher.publish(new MentionBuilder("mastodon", source).id(known[0]).kind("delete")
                            .createdAt(Instant.now()).author(known[1], null, null, false).build());
                } catch (UnmappableException e) {
                    LOG.warnf("Delete not published: %s", e.getMessage());
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
                    synchronized (seen) {
                        seen.put(instance + "/" + id, new String[] { uri, author });
                    }
                }
            } catch (RuntimeException ignored) {
                // A status without a usable account was already sent to the dead-letter topic by the mapper.
            }
        }
    }

}
