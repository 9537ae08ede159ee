package io.palabre.ingest.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.palabre.ingest.connector.ConnectorState;
import io.palabre.ingest.connector.ListeningService;
import io.palabre.ingest.connector.bluesky.BlueskyJetstreamConnector;
import io.palabre.ingest.connector.mastodon.MastodonStreamingConnector;
import io.palabre.ingest.connector.x.XFilteredStreamConnector;
import io.palabre.support.security.Role;
import io.smallrye.common.annotation.Blocking;

/**
 * Completeness of listening: for each connector, per query, the last success, the last error, the lag, whether it
 * waits on a rate limit, and what it knows it could not collect.
 */
@RolesAllowed(Role.OPERATOR_NAME)
@Path("/api/sources/status")
@Tag(name = "Sources")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SourceStatusResource {

    private static final int GAPS_SHOWN = 20;

    private final ListeningService listening;
    private final ConnectorState state;
    private final BlueskyJetstreamConnector jetstream;
    private final MastodonStreamingConnector mastodonStreams;
    private final XFilteredStreamConnector xStream;

    public SourceStatusResource(ListeningService listening, ConnectorState state, BlueskyJetstreamConnector jetstream,
            MastodonStreamingConnector mastodonStreams, XFilteredStreamConnector xStream) {
        this.xStream = xStream;
        this.listening = listening;
        this.state = state;
        this.jetstream = jetstream;
        this.mastodonStreams = mastodonStreams;
    }

    /** One connector's status. */
    public record ConnectorStatus(String connector, String platform, boolean configured, List<QueryStatus> queries,
            List<ConnectorState.Gap> gaps) {
    }

    /** One connector's status for one listening query. */
    public record QueryStatus(String query, Instant lastPollAt, Instant lastSuccessAt, Instant lastErrorAt,
            String lastError, int consecutiveFailures, Instant waitingUntil, Instant newestItemAt, Long lagSeconds,
            long collected) {
    }

    @GET
    @Operation(summary = "Per connector: lag, last success, errors, rate-limit waits and gaps")
    public List<ConnectorStatus> status() {
        Instant now = Instant.now();
        List<ConnectorStatus> all = new java.util.ArrayList<>(listening.connectors().stream()
                .map(c -> new ConnectorStatus(c.name(), c.platform(), c.configured(),
                        listening.status(c.name()).stream().map(s -> view(s, now)).toList(),
                        state.gaps(c.name(), GAPS_SHOWN)))
                .toList());
        all.add(new ConnectorStatus(BlueskyJetstreamConnector.NAME, "bluesky", jetstream.enabled(),
                jetstream.enabled() ? List.of(view(jetstream.status(), now)) : List.of(),
                state.gaps(BlueskyJetstreamConnector.NAME, GAPS_SHOWN)));
        all.add(new ConnectorStatus(MastodonStreamingConnector.NAME, "mastodon", mastodonStreams.enabled(),
                mastodonStreams.status().stream().map(s -> view(s, now)).toList(),
                state.gaps(MastodonStreamingConnector.NAME, GAPS_SHOWN)));
        all.add(new ConnectorStatus(XFilteredStreamConnector.NAME, "x", xStream.enabled(),
                xStream.enabled() ? List.of(view(xStream.status(), now)) : List.of(),
                state.gaps(XFilteredStreamConnector.NAME, GAPS_SHOWN)));
        return all;
    }

    private static QueryStatus view(ListeningService.ScopeStatus s, Instant now) {
        return new QueryStatus(s.query, s.lastPollAt, s.lastSuccessAt, s.lastErrorAt, s.lastError,
                s.consecutiveFailures, s.waitUntil != null && s.waitUntil.isAfter(now) ? s.waitUntil : null,
                s.newestItemAt, s.newestItemAt == null ? null : Duration.between(s.newestItemAt, now).toSeconds(),
                s.collected);
    }
}
