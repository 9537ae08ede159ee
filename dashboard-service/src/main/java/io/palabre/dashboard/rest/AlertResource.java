package io.palabre.dashboard.rest;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.palabre.dashboard.alerts.AlertEvaluator;
import io.palabre.dashboard.alerts.AlertRule;
import io.palabre.dashboard.alerts.AlertStore;
import io.palabre.dashboard.alerts.RuleRequest;
import io.palabre.dashboard.service.OrganisationAccounts;
import io.palabre.support.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;

/**
 * Alert rules, the alerts they raised, and their deliveries (docs/alerts.md). Analysts read; operators make and
 * change rules and send a failed delivery again.
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/alerts")
@Tag(name = "Alerts", description = "Rules that watch dialogue, their alerts and the deliveries of those")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    static final int MAX_LIMIT = 500;

    private final AlertStore store;
    private final AlertEvaluator evaluator;
    private final OrganisationAccounts organisations;
    private final SecurityIdentity identity;

    public AlertResource(AlertStore store, AlertEvaluator evaluator, OrganisationAccounts organisations,
            SecurityIdentity identity) {
        this.store = store;
        this.evaluator = evaluator;
        this.organisations = organisations;
        this.identity = identity;
    }

    /** A rule as the API shows it: its webhook secret only in the answer that made it. */
    public record RuleView(long id, String name, String type, String accountId, String query, String hashtag,
            double threshold, int windowMinutes, int minCount, int cooldownMinutes, String webhookUrl,
            String webhookFormat, @JsonInclude(JsonInclude.Include.NON_NULL) String webhookSecret,
            List<String> emails, boolean enabled, String createdBy, Instant createdAt, Instant updatedAt,
            Instant evaluatedAt) {

        static RuleView of(AlertRule r, boolean withSecret) {
            return new RuleView(r.id(), r.name(), r.type().id(), r.accountId(), r.query(), r.hashtag(), r.threshold(),
                    r.windowMinutes(), r.minCount(), r.cooldownMinutes(), r.webhookUrl(), r.webhookFormat(),
                    withSecret ? r.webhookSecret() : null, r.emails(), r.enabled(), r.createdBy(), r.createdAt(),
                    r.updatedAt(), r.evaluatedAt());
        }
    }

    /** A page of alerts, newest first; pass {@code nextBefore} as {@code before} for the next. */
    public record AlertPage(List<AlertStore.Alert> items, Long nextBefore) {
    }

    /** One alert and its deliveries. */
    public record AlertWithDeliveries(AlertStore.Alert alert, List<AlertStore.Delivery> deliveries) {
    }

    @GET
    @Path("/rules")
    @Operation(summary = "The alert rules")
    public List<RuleView> rules() throws SQLException {
        return store.rules().stream().map(r -> RuleView.of(r, false)).toList();
    }

    @GET
    @Path("/rules/{id}")
    @Operation(summary = "One alert rule")
    @APIResponse(responseCode = "404", description = "No such rule",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RuleView rule(@PathParam("id") String id) throws SQLException {
        return RuleView.of(store.rule(id(id, "rule")).orElseThrow(() -> notFound("No alert rule " + id)), false);
    }

    @POST
    @Path("/rules")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make an alert rule", description = "type: unanswered, response-rate, volume-spike, "
            + "conversation-growth or pagerank-top; what threshold, windowMinutes and minCount mean for each is in "
            + "docs/alerts.md. With a webhookUrl and no webhookSecret, a secret is drawn: this answer is the only "
            + "one that shows it.")
    @APIResponse(responseCode = "201", description = "Made",
            content = @Content(schema = @Schema(implementation = RuleView.class)))
    @APIResponse(responseCode = "400", description = "What is wrong with the rule, every reason in errors",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response create(RuleRequest request) throws SQLException {
        AlertRule rule = checked(request, 0, null);
        AlertRule made = store.insert(rule);
        evaluator.wake();
        return Response.status(201).header("Location", "/api/alerts/rules/" + made.id())
                .header("Cache-Control", "no-store").entity(RuleView.of(made, true)).build();
    }

    @PUT
    @Path("/rules/{id}")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace an alert rule's settings", description = "Its alerts stay; the webhook secret "
            + "stays unless a new one is given.")
    @APIResponse(responseCode = "404", description = "No such rule",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RuleView update(@PathParam("id") String id, RuleRequest request) throws SQLException {
        long ruleId = id(id, "rule");
        AlertRule previous = store.rule(ruleId).orElseThrow(() -> notFound("No alert rule " + id));
        AlertRule changed = store.update(ruleId, checked(request, ruleId, previous))
                .orElseThrow(() -> notFound("No alert rule " + id));
        evaluator.wake();
        return RuleView.of(changed, false);
    }

    @DELETE
    @Path("/rules/{id}")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "Delete an alert rule", description = "It is no longer evaluated; its alerts stay in the "
            + "history.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such rule",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response delete(@PathParam("id") String id) throws SQLException {
        if (!store.delete(id(id, "rule"))) {
            throw notFound("No alert rule " + id);
        }
        return Response.noContent().build();
    }

    @GET
    @Operation(summary = "Alert history, newest first", description = "Every alert fired, open or resolved.")
    public AlertPage alerts(@Parameter(description = "Only this rule's") @QueryParam("rule") String rule,
            @Parameter(description = "fired (open) or resolved") @QueryParam("state") String state,
            @Parameter(description = "Continue after this alert id (nextBefore)") @QueryParam("before")
            String before,
            @Parameter(description = "1 to 500, default 50") @QueryParam("limit") String limit) throws SQLException {
        if (state != null && !state.isBlank() && !List.of("fired", "resolved").contains(state)) {
            throw new ProblemMappers.BadParameterException("state must be fired or resolved, not " + state);
        }
        int size = Params.limit(limit, 50, MAX_LIMIT);
        List<AlertStore.Alert> items = store.alerts(rule == null || rule.isBlank() ? null : number("rule", rule),
                state == null || state.isBlank() ? null : state,
                before == null || before.isBlank() ? null : number("before", before), size);
        return new AlertPage(items, items.size() == size ? items.get(items.size() - 1).id() : null);
    }

    @GET
    @Path("/{id: [0-9]+}")
    @Operation(summary = "One alert and its deliveries")
    @APIResponse(responseCode = "404", description = "No such alert",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public AlertWithDeliveries alert(@PathParam("id") String id) throws SQLException {
        long alertId = id(id, "alert");
        AlertStore.Alert alert = store.alert(alertId).orElseThrow(() -> notFound("No alert " + id));
        return new AlertWithDeliveries(alert, store.deliveries(alertId, null, MAX_LIMIT));
    }

    @GET
    @Path("/deliveries")
    @Operation(summary = "Deliveries, newest first", description = "status: pending (waiting for a first or "
            + "another attempt), delivered or failed (gave up: see lastError; POST .../retry sends it again).")
    public List<AlertStore.Delivery> deliveries(@QueryParam("status") String status,
            @Parameter(description = "1 to 500, default 100") @QueryParam("limit") String limit) throws SQLException {
        if (status != null && !status.isBlank() && !List.of("pending", "delivered", "failed").contains(status)) {
            throw new ProblemMappers.BadParameterException("status must be pending, delivered or failed, not "
                    + status);
        }
        return store.deliveries(null, status == null || status.isBlank() ? null : status,
                Params.limit(limit, 100, MAX_LIMIT));
    }

    @POST
    @Path("/deliveries/{id}/retry")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "Send a failed delivery again, now")
    @APIResponse(responseCode = "202", description = "Pending again")
    @APIResponse(responseCode = "404", description = "No failed delivery with this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response retry(@PathParam("id") String id) throws SQLException {
        if (!store.retry(id(id, "delivery"))) {
            throw notFound("No failed delivery " + id);
        }
        return Response.accepted().build();
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Alerts as they fire and resolve, as server-sent events")
    public Multi<AlertEvaluator.AlertEvent> stream() {
        return evaluator.events();
    }

    private AlertRule checked(RuleRequest request, long id, AlertRule previous) throws SQLException {
        if (request == null) {
            throw new WebApplicationException(ProblemMappers.respond(Problem.of(400, "Bad Request",
                    "A JSON alert rule is required")));
        }
        AlertRule rule;
        try {
            rule = request.toRule(id, previous, identity.getPrincipal().getName(), Instant.now());
        } catch (RuleRequest.InvalidRuleException e) {
            throw new WebApplicationException(ProblemMappers.respond(new Problem("about:blank", "Bad Request", 400,
                    "The alert rule cannot be used: " + e.getMessage(), null, e.errors())));
        }
        if (rule.accountId() != null && organisations.containing(rule.accountId()) == null) {
            throw new ProblemMappers.BadParameterException(rule.accountId() + " is not an organisation account: a "
                    + "listening query must name it in organisationAccounts");
        }
        return rule;
    }

    private static long id(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw notFound("No " + what + " " + text);
        }
    }

    private static long number(String name, String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new ProblemMappers.BadParameterException(name + " must be a whole number, not " + text);
        }
    }

    private static WebApplicationException notFound(String detail) {
        return new WebApplicationException(ProblemMappers.notFound(detail));
    }
}
