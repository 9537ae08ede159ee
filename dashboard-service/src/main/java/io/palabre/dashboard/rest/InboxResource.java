package io.palabre.dashboard.rest;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.palabre.dashboard.inbox.Inbox;
import io.palabre.dashboard.service.OrganisationAccounts;
import io.palabre.dashboard.service.ReadLane;
import io.palabre.dashboard.service.ReadLanes;
import io.palabre.support.UntrustedText;
import io.palabre.support.security.Role;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The inbox of an organisation account: people waiting for its answer, oldest first, and what the team did about
 * each (assigned to whom, handled by whom, when). Analysts read; operators assign and mark.
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/inbox")
@Tag(name = "Inbox", description = "People waiting for an answer from an organisation account")
@Produces(MediaType.APPLICATION_JSON)
public class InboxResource {

    static final int MAX_LIMIT = 500;

    private final Inbox inbox;
    private final OrganisationAccounts organisations;
    private final SecurityIdentity identity;

    public InboxResource(Inbox inbox, OrganisationAccounts organisations, SecurityIdentity identity) {
        this.inbox = inbox;
        this.organisations = organisations;
        this.identity = identity;
    }

    @GET
    @Path("/{accountId}")
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Operation(summary = "People waiting for this account's answer, oldest first",
            description = "The unanswered people's mentions of the window (24h, 7d or 30d, default 30d), as the "
                    + "dialogue metrics count them. state: open (default: not handled), handled or all.")
    @APIResponse(responseCode = "404", description = "Not an organisation account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Inbox.Page list(@PathParam("accountId") String accountId, @QueryParam("window") String window,
            @QueryParam("platform") String platform, @QueryParam("lang") String lang,
            @Parameter(description = "Waiting at least this many minutes") @QueryParam("minAgeMinutes")
            String minAge,
            @Parameter(description = "Waiting at most this many minutes") @QueryParam("maxAgeMinutes")
            String maxAge,
            @QueryParam("state") String state, @QueryParam("assignedTo") String assignedTo,
            @Parameter(description = "1 to 500, default 100") @QueryParam("limit") String limit)
            throws SQLException {
        Set<String> organisation = organisation(accountId);
        String label = window == null || window.isBlank() ? "30d" : window.strip();
        if (!Set.of("24h", "7d", "30d").contains(label)) {
            throw new ProblemMappers.BadParameterException("window must be 24h, 7d or 30d, not " + label);
        }
        String chosen = state == null || state.isBlank() ? "open" : state.strip().toLowerCase(Locale.ROOT);
        if (!Set.of("open", "handled", "all").contains(chosen)) {
            throw new ProblemMappers.BadParameterException("state must be open, handled or all, not " + state);
        }
        Instant now = Instant.now();
        TimeWindow w = TimeWindow.of(label, null, null, "30d", now);
        Inbox.Filter filter = new Inbox.Filter(Params.platform(platform), blankToNull(lang),
                minutes("minAgeMinutes", minAge), minutes("maxAgeMinutes", maxAge), chosen, blankToNull(assignedTo));
        return inbox.list(accountId, organisation, w.from(), now, filter, Params.limit(limit, 100, MAX_LIMIT));
    }

    @PUT
    @Path("/{accountId}/items/{mentionId}")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Assign an item or mark it handled",
            description = "Body: {\"assignedTo\": \"name\"} (null unassigns) and/or {\"handled\": true|false}. "
                    + "Palabre records who did it and when. Handled is the team's decision: the response rate still "
                    + "counts only public replies.")
    @APIResponse(responseCode = "404", description = "Not an organisation account, or no mention of it with this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Map<String, Object> mark(@PathParam("accountId") String accountId,
            @PathParam("mentionId") String mentionId, JsonNode body) throws SQLException {
        organisation(accountId);
        if (body == null || !body.isObject() || !body.has("assignedTo") && !body.has("handled")) {
            throw new ProblemMappers.BadParameterException("give assignedTo, handled or both");
        }
        JsonNode assigned = body.get("assignedTo");
        if (assigned != null && !assigned.isNull() && !assigned.isTextual()) {
            throw new ProblemMappers.BadParameterException("assignedTo must be a name or null");
        }
        JsonNode handled = body.get("handled");
        if (handled != null && !handled.isBoolean()) {
            throw new ProblemMappers.BadParameterException("handled must be true or false");
        }
        String assignee = assigned == null || assigned.isNull() ? null
                : UntrustedText.clean(assigned.asText(), false, 100).strip();
        if (assignee != null && assignee.isEmpty()) {
            assignee = null;
        }
        if (!inbox.addressedTo(accountId, mentionId)) {
            throw new WebApplicationException(ProblemMappers.notFound("No mention " + mentionId + " addressed to "
                    + accountId));
        }
        return inbox.mark(accountId, mentionId, assigned != null, assignee,
                handled == null ? null : handled.booleanValue(), identity.getPrincipal().getName(), Instant.now())
                .orElseThrow();
    }

    private Set<String> organisation(String accountId) throws SQLException {
        Set<String> organisation = organisations.containing(accountId);
        if (organisation == null) {
            throw new WebApplicationException(ProblemMappers.notFound(accountId + " is not an organisation account"));
        }
        return organisation;
    }

    private static Duration minutes(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return Duration.ofMinutes(Params.bounded(name, text, 0, 0, 525_600));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
