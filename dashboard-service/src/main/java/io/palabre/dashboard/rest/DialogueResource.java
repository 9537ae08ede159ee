package io.palabre.dashboard.rest;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.palabre.dashboard.dialogue.DialogueMetrics;
import io.palabre.dashboard.rest.ProblemMappers.BadParameterException;
import io.palabre.dashboard.service.DialogueQueries;
import io.palabre.dashboard.service.OrganisationAccounts;
import io.palabre.dashboard.service.ReadLane;
import io.palabre.dashboard.service.ReadLanes;
import io.palabre.dashboard.service.RecentResults;
import io.palabre.support.security.Role;

/**
 * Dialogue metrics of the organisation's accounts (docs/dialogue-metrics.md), computed from the read model for any
 * window: the named ones (last 24 hours, 7 days, 30 days, all time) reused for a few seconds however many analysts
 * ask, and a time series of them.
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/dialogue")
@Tag(name = "Dialogue", description = "Does the organisation take part in a real dialogue?")
@Produces(MediaType.APPLICATION_JSON)
public class DialogueResource {

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

    private static final String WINDOW_CHOICE = "Either window (24h, 7d, 30d or all; default 30d), ending now, or "
            + "from and to (RFC 3339; to defaults to now).";

    /** People's mentions an organisation account has not answered in a window: the count, and the oldest. */
    public record Unanswered(String accountId, String window, int unansweredCount,
            List<DialogueMetrics.Unanswered> items) {
    }

    /** Dialogue metrics per bucket of a window. */
    public record Timeline(String accountId, String interval, Instant from, Instant to,
            List<DialogueQueries.Point> points) {
    }

    private final OrganisationAccounts organisations;
    private final DialogueQueries dialogue;
    private final RecentResults recent;

    public DialogueResource(OrganisationAccounts organisations, DialogueQueries dialogue, RecentResults recent) {
        this.organisations = organisations;
        this.dialogue = dialogue;
        this.recent = recent;
    }

    @GET
    @Operation(summary = "The organisation accounts, as the listening queries name them")
    public List<String> accounts() throws SQLException {
        return organisations.ids();
    }

    @GET
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Path("{accountId: .+}/unanswered")
    @Operation(summary = "People's mentions the account has not answered, oldest first (at most "
            + DialogueQueries.QUEUE_LIMIT + ")", description = WINDOW_CHOICE)
    @APIResponse(responseCode = "404", description = "Not an organisation account")
    public Unanswered unanswered(@PathParam("accountId") String accountId, @QueryParam("window") String window,
            @QueryParam("from") String from, @QueryParam("to") String to) throws Exception {
        DialogueMetrics m = metrics(accountId, TimeWindow.of(window, from, to, "30d", Instant.now()));
        return new Unanswered(accountId, m.window(), m.unansweredCount(), m.unanswered());
    }

    @GET
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Path("{accountId: .+}/timeline")
    @Operation(summary = "Dialogue metrics per hour or day: response rate, time to first response, flows",
            description = "Each point is the metrics of its bucket [at, at + interval). Default: the last 30 days "
                    + "by day, or the last 48 hours by hour; at most " + MAX_POINTS + " points.")
    @APIResponse(responseCode = "404", description = "Not an organisation account")
    public Timeline timeline(@PathParam("accountId") String accountId,
            @Parameter(description = "hour or day (default)") @QueryParam("interval") String interval,
            @QueryParam("from") String from, @QueryParam("to") String to) throws SQLException {
        ChronoUnit unit = switch (interval == null || interval.isBlank() ? "day" : interval) {
            case "day" -> ChronoUnit.DAYS;
            case "hour" -> ChronoUnit.HOURS;
            default -> throw new BadParameterException("interval must be hour or day, not " + interval);
        };
        Duration step = unit.getDuration();
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
        return new Timeline(accountId, unit == ChronoUnit.DAYS ? "day" : "hour", start, end,
                dialogue.series(accountId, organisation, start, end, step));
    }

    @GET
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Path("{accountId: .+}")
    @Operation(summary = "Response rate, time to first response, turns, reciprocity, flows and horizontality",
            description = WINDOW_CHOICE + " A named window is computed at most once every few seconds for all "
                    + "who ask (see Cache-Control).")
    @APIResponse(responseCode = "200", description = "The metrics", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "7d", value = EXAMPLE)))
    @APIResponse(responseCode = "404", description = "Not an organisation account")
    public DialogueMetrics metrics(@PathParam("accountId") String accountId, @QueryParam("window") String window,
            @QueryParam("from") String from, @QueryParam("to") String to) throws Exception {
        return metrics(accountId, TimeWindow.of(window, from, to, "30d", Instant.now()));
    }

    private DialogueMetrics metrics(String accountId, TimeWindow window) throws Exception {
        Set<String> organisation = organisation(accountId);
        if (!window.isNamed()) {
            return dialogue.window(accountId, organisation, window.label(), window.from(), window.to());
        }
        return recent.get(RecentResults.key("dialogue", accountId, window.label()),
                () -> dialogue.window(accountId, organisation, window.label(), window.from(), window.to()));
    }

    /** All organisation accounts; a 404 when the account is not one of them. */
    private Set<String> organisation(String accountId) throws SQLException {
        Set<String> accounts = organisations.containing(accountId);
        if (accounts == null) {
            throw new jakarta.ws.rs.NotFoundException("No dialogue metrics for " + accountId
                    + ": no listening query names it as an organisation account");
        }
        return accounts;
    }
}
