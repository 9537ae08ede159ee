package io.palabre.ingest.connector.x;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.ingest.connector.ConnectorState;
import io.palabre.ingest.connector.ConnectorsConfig;
import io.palabre.ingest.connector.OutboundGuard;
import io.palabre.ingest.connector.LineStream;
import io.palabre.ingest.connector.ListeningService.ScopeStatus;
import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.PlatformHttp;
import io.palabre.ingest.connector.PlatformHttp.PlatformException;
import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.domain.Rejection;
import io.palabre.ingest.messaging.MentionPublisher;
import io.palabre.ingest.query.ListeningQuery;
import io.palabre.ingest.query.QueryService;
import io.quarkus.runtime.StartupEvent;

/**
 * X's filtered stream: one rule per listening query on X (tagged with the query id, kept in step with the queries),
 * posts delivered live with the thread fields and expansions; each is published under the query its matching rule
 * names, and the referenced posts in {@code includes} as context. Keep-alives count as life; silence beyond the
 * stall timeout reconnects. Without X's Enterprise backfill a disconnection is a gap, which recent search covers
 * when it is enabled.
 */
@ApplicationScoped
public class XFilteredStreamConnector {

    public static final String NAME = "x-filtered-stream";
    private static final Logger LOG = Logger.getLogger(XFilteredStreamConnector.class);

    private final PlatformHttp http;
    private final OutboundGuard guard;
    private final XMapper mapper;
    private final QueryService queries;
    private final MentionPublisher publisher;
    private final ConnectorsConfig config;
    private final ObjectMapper json;
    private final ConnectorState state;
    private final ScopeStatus status = new ScopeStatus(NAME, "rules");
    private volatile Map<String, String> queryNames = Map.of();
    private ScheduledExecutorService rules;
    private LineStream stream;

    public XFilteredStreamConnector(PlatformHttp http, XMapper mapper, QueryService queries,
            MentionPublisher publisher, ConnectorsConfig config, ObjectMapper json, ConnectorState state,
            OutboundGuard guard) {
        this.guard = guard;
        this.state = state;
        this.http = http;
        this.mapper = mapper;
        this.queries = queries;
        this.publisher = publisher;
        this.config = config;
        this.json = json;
    }

    public boolean enabled() {
        return config.x().enabled() && config.x().filteredStream() && config.x().bearerToken().isPresent();
    }

    public ScopeStatus status() {
        return status;
    }

    public boolean healthy() {
        return !enabled() || stream != null && stream.healthy();
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled()) {
            return;
        }
        rules = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "palabre-x-rules");
            t.setDaemon(true);
            return t;
        });
        rules.scheduleWithFixedDelay(this::syncRulesSafely, 0, 30, TimeUnit.SECONDS);
        stream = new LineStream(NAME,
                () -> URI.create(config.x().baseUrl() + "/2/tweets/search/stream?" + XRecentSearchConnector.FIELDS),
                this::auth, this::line, config.x().stallTimeout(), status, config.limits().maxLineChars(),
                cut -> publisher.reject(Rejection.atIngest("x stream line over " + config.limits().maxLineChars()
                        + " characters (palabre.connectors.limits.max-line-chars)", cut, NAME)), guard)
                .onResume((from, to) -> state.recordGap(new ConnectorState.Gap(NAME, "stream", "range", from, to, null,
                        "the filtered stream was disconnected; X replays nothing without Enterprise backfill "
                                + "(x-recent-search covers the last 7 days when it is enabled)", Instant.now())));
        stream.start();
    }

    @PreDestroy
    void stop() {
        if (rules != null) {
            rules.shutdownNow();
        }
        if (stream != null) {
            stream.close();
        }
    }

    private Map<String, String> auth() {
        return Map.of("Authorization", "Bearer " + config.x().bearerToken().orElseThrow());
    }

    private void syncRulesSafely() {
        try {
            syncRules();
        } catch (Exception e) {
            status.lastErrorAt = Instant.now();
            status.lastError = "rules not synchronised: " + e.getMessage();
            LOG.warnf("X stream rules not synchronised: %s", e.getMessage());
        }
    }

    /** Makes the stream's rules exactly one per enabled X query: deletes the others, adds the missing. */
    public void syncRules() throws PlatformException {
        Map<String, String> wanted = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (ListeningQuery q : queries.enabled()) {
            if (List.of(q.platforms).contains("x")) {
                wanted.put(q.id, XRecentSearchConnector.searchQuery(q));
                names.put(q.id, q.name);
            }
        }
        queryNames = names;
        String url = config.x().baseUrl() + "/2/tweets/search/stream/rules";
        JsonNode existing = http.get(url, auth()).json();
        List<String> stale = new ArrayList<>();
        Map<String, String> present = new HashMap<>();
        for (JsonNode rule : existing.path("data")) {
            String tag = rule.path("tag").asText();
            String value = rule.path("value").asText();
            if (value.equals(wanted.get(tag))) {
                present.put(tag, value);
            } else {
                stale.add(rule.path("id").asText());
            }
        }
        if (!stale.isEmpty()) {
            ObjectNode delete = json.createObjectNode();
            ArrayNode ids = delete.putObject("delete").putArray("ids");
            stale.forEach(ids::add);
            http.postJson(url, delete.toString(), auth());
        }
        ArrayNode add = json.createArrayNode();
        wanted.forEach((tag, value) -> {
            if (!present.containsKey(tag) && !value.isBlank()) {
                add.addObject().put("value", value).put("tag", tag);
            }
        });
        if (!add.isEmpty()) {
            ObjectNode body = json.createObjectNode();
            body.set("add", add);
            http.postJson(url, body.toString(), auth());
        }
    }

    private void line(String line) {
        if (line.isBlank()) {
            return; // keep-alive
        }
        status.lastSuccessAt = Instant.now();
        JsonNode event;
        try {
            event = json.readTree(line);
        } catch (Exception e) {
            publisher.reject(Rejection.atIngest("x stream line is not JSON", line, NAME));
            return;
        }
        String query = null;
        for (JsonNode rule : event.path("matching_rules")) {
            query = queryNames.get(rule.path("tag").asText());
            if (query != null) {
                break;
            }
        }
        String matchedId = event.path("data").path("id").asText(null);
        Mapping mapping = mapper.map(event, new Source(NAME, query, Instant.now()));
        for (MentionCaptured m : mapping.mentions()) {
            boolean matched = m.id().equals("x:" + matchedId) || m.url() != null && matchedId != null
                    && m.url().endsWith("/" + matchedId);
            publisher.publish(matched ? m
                    : m.withSource(new MentionCaptured.Source(NAME + "-context", null, Instant.now(), Boolean.TRUE)));
            if (matched) {
                status.collected++;
                status.newestItemAt = m.createdAt();
            }
        }
        mapping.problems().forEach(p -> publisher.reject(Rejection.atIngest(p.reason(), p.item(), NAME)));
    }
}
