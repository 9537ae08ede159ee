package io.palabre.dashboard.rest;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.dashboard.service.ReadLane;
import io.palabre.dashboard.service.ReadLanes;
import io.palabre.dashboard.rest.ProblemMappers.BadParameterException;
import io.palabre.dashboard.service.DialogueQueries;
import io.palabre.dashboard.service.GraphQueries;
import io.palabre.support.security.Role;

/**
 * Dialogue metrics of the organisation's accounts (docs/dialogue-metrics.md): the windows analysis-service
 * publishes (the last 24 hours, 7 days, 30 days, and all time), any other window computed here from the read
 * model with the same formulas, and a time series of them.
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/dialogue")
@Tag(name = "Dialogue", description = "Does the organisation take part in a real dialogue?")
@Produces(MediaType.APPLICATION_JSON)
public class DialogueResource {

    static final List<String> WINDOWS = List.of("24h", "7d", "30d", "all");

    /** The most buckets one time series has: 90 days of days, or two weeks of hours. */
    static final int MAX_POINTS = 400;

    private static final String EXAMPLE = """
            {"accountId": "mastodon:acmerail@mastodon.social", "window": "7d", "from": "2026-11-19T00:00:00Z",
             "to": "2026-11-26T00:00:00Z", "computedAt": "2026-11-26T00:00:05Z", "peopleMentions": 99,
             "answered": 38, "responseRate": 0.384, "medianFirstResponseSeconds": 1807,
             "p90FirstResponseSeconds": 6934, "unansweredCount": 61, "unanswered": [], "exchanges": 78,
             "averageTurns": 1.67, "maxTurns": 5, "dialogues": 14, "partners": 22, "reciprocatedPartners": 22,
             "reciprocity": 1.0, "upwardFlow": 99, "downwardFlow": 37, "conversations": 32, "peopleReplies": 247,
             "organisationReplies": 52, "horizontality": 0.826}""";

    private final GraphQueries graph;
    private final DialogueQueries dialogue;
    private final ObjectMapper mapper;

    public DialogueResource(GraphQueries graph, DialogueQueries dialogue, ObjectMapper mapper) {
        this.graph = graph;
        this.dialogue = dialogue;
        this.mapper = mapper;
    }

    @GET
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Operation(summary = "The organisation accounts that have dialogue metrics")
    public List<String> accounts() throws SQLException {
        return graph.organisationAccounts();
    }

    @GET
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Path("{accountId: .+}/unanswered")
    @Operation(summary = "People's mentions the account has not answered, oldest first (at most 100)",
            description = "Same window choice as the metrics: window, or from and to.")
    public Response unanswered(@PathParam("accountId") String accountId, @QueryParam("window") String window,
            @QueryParam("from") String from, @QueryParam("to") String to) throws SQLException {
        return respond(accountId, window, from, to, metrics -> Map.of("accountId", accountId, "window",
                metrics.get("window"), "unansweredCount", metrics.get("unansweredCount"), "items",
                metrics.get("unanswered")));
    }

    @GET
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Path("{accountId: .+}/timeline")
    @Operation(summary = "Dialogue metrics per hour or day: response rate, time to first response, flows",
            description = "Each point is the metrics of its bucket [at, at + interval). Default: the last 30 days "
                    + "by day, or the last 48 hours by hour; at most " + MAX_POINTS + " points.")
    @APIResponse(responseCode = "404", description = "Not an organisation account")
    public Response timeline(@PathParam("accountId") String accountId,
            @Parameter(description = "hour or day (default)") @QueryParam("interval") String interval,
            @QueryParam("from") String from, @QueryParam("to") String to) throws SQLException {
        Duration step = switch (interval == null || interval.isBlank() ? "day" : interval) {
            case "day" -> Duration.ofDays(1);
            case "hour" -> Duration.ofHours(1);
            default -> throw new BadParameterException("interval must be hour or day, not " + interval);
        };
        ChronoUnit unit = step.equals(Duration.ofDays(1)) ? ChronoUnit.DAYS : ChronoUnit.HOURS;
        Instant end = Params.instant("to", to);
        end = end == null ? Instant.now() : end;
        Instant start = Params.instant("from", from);
        start = (start == null ? end.minus(unit == ChronoUnit.DAYS ? Duration.ofDays(30) : Duration.ofHours(48))
                : start).truncatedTo(unit);
        Params.requireOrdered(start, end);
        if (Duration.between(start, end).dividedBy(step) >= MAX_POINTS) {
            throw new BadParameterException("from and to span more than " + MAX_POINTS + " " + unit.toString()
                    .toLowerCase() + "; narrow the range or use interval=day");
        }
        Set<String> organisation = organisation(accountId);
        if (organisation == null) {
            return notOrganisation(accountId);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accountId", accountId);
        body.put("interval", unit == ChronoUnit.DAYS ? "day" : "hour");
        body.put("from", start);
        body.put("to", end);
        body.put("points", dialogue.series(accountId, organisation, start, end, step));
        return Response.ok(body).build();
    }

    @GET
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Path("{accountId: .+}")
    @Operation(summary = "Response rate, time to first response, turns, reciprocity, flows and horizontality",
            description = "Either window (24h, 7d, 30d or all; default 30d), as analysis-service last published "
                    + "it, or from and to (RFC 3339; to defaults to now), computed on request from the stored "
                    + "mentions with the same formulas.")
    @APIResponse(responseCode = "200", description = "The metrics", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "7d", value = EXAMPLE)))
    @APIResponse(responseCode = "404", description = "Not an organisation account")
    public Response metrics(@PathParam("accountId") String accountId, @QueryParam("window") String window,
            @QueryParam("from") String from, @QueryParam("to") String to) throws SQLException {
        return respond(accountId, window, from, to, metrics -> metrics);
    }

    private Response respond(String accountId, String window, String from, String to,
            Function<JsonNode, Object> view) throws SQLException {
        Instant start = Params.instant("from", from);
        Instant end = Params.instant("to", to);
        if (start == null && end == null) {
            JsonNode metrics = graph.dialogue(accountId, window(window));
            return metrics == null ? notOrganisation(accountId) : Response.ok(view.apply(metrics)).build();
        }
        if (window != null && !window.isBlank()) {
            throw new BadParameterException("give either window or from and to, not both");
        }
        if (start == null) {
            throw new BadParameterException("from is required with to");
        }
        end = end == null ? Instant.now() : end;
        Params.requireOrdered(start, end);
        Set<String> organisation = organisation(accountId);
        if (organisation == null) {
            return notOrganisation(accountId);
        }
        JsonNode computed = mapper.valueToTree(dialogue.window(accountId, organisation, start, end));
        return Response.ok(view.apply(computed)).build();
    }

    /** All organisation accounts, or null when the account is not one of them. */
    private Set<String> organisation(String accountId) throws SQLException {
        Set<String> accounts = new TreeSet<>(graph.organisationAccounts());
        return accounts.contains(accountId) ? accounts : null;
    }

    private static Response notOrganisation(String accountId) {
        return ProblemMappers.notFound("No dialogue metrics for " + accountId
                + ": no listening query names it as an organisation account");
    }

    private static String window(String window) {
        String w = window == null || window.isBlank() ? "30d" : window;
        if (!WINDOWS.contains(w)) {
            throw new BadParameterException("window must be 24h, 7d, 30d or all, not " + w);
        }
        return w;
    }
}
