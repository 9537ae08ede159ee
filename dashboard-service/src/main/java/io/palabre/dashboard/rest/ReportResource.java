package io.palabre.dashboard.rest;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

import io.palabre.dashboard.alerts.EmailAddresses;
import io.palabre.dashboard.report.ReportFormats;
import io.palabre.dashboard.report.ReportSubscriptions;
import io.palabre.dashboard.report.WeeklyReport;
import io.palabre.dashboard.report.WeeklyReports;
import io.palabre.dashboard.service.OrganisationAccounts;
import io.palabre.dashboard.service.ReadLane;
import io.palabre.dashboard.service.ReadLanes;
import io.palabre.support.security.Role;
import io.quarkus.security.identity.SecurityIdentity;

/** The weekly dialogue report of an organisation account, as JSON, or as an HTML or CSV download. */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/reports")
@Tag(name = "Reports", description = "Weekly dialogue reports of organisation accounts")
public class ReportResource {

    private final WeeklyReports reports;
    private final ReportSubscriptions subscriptions;
    private final OrganisationAccounts organisations;
    private final SecurityIdentity identity;

    public ReportResource(WeeklyReports reports, ReportSubscriptions subscriptions, OrganisationAccounts organisations,
            SecurityIdentity identity) {
        this.reports = reports;
        this.subscriptions = subscriptions;
        this.organisations = organisations;
        this.identity = identity;
    }

    /** A subscription as the API takes it. */
    public record SubscriptionRequest(String accountId, List<String> emails, String lang) {
    }

    /** A subscription and its weeks' sendings, newest first. */
    public record SubscriptionView(ReportSubscriptions.Subscription subscription,
            List<ReportSubscriptions.Sending> sendings) {
    }

    @GET
    @Path("/subscriptions")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Who receives which weekly report by e-mail, and how each week's sending went")
    public List<SubscriptionView> subscriptions() throws SQLException {
        List<SubscriptionView> views = new ArrayList<>();
        for (ReportSubscriptions.Subscription s : subscriptions.list()) {
            views.add(new SubscriptionView(s, subscriptions.sendings(s.id())));
        }
        return views;
    }

    @POST
    @Path("/subscriptions")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send an account's weekly report by e-mail",
            description = "Every Monday (UTC), the week that just ended, in lang en (default) or fr: the report as "
                    + "the e-mail, its CSV attached.")
    @APIResponse(responseCode = "201", description = "Subscribed")
    @APIResponse(responseCode = "400", description = "What is wrong",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response subscribe(SubscriptionRequest request) throws SQLException {
        if (request == null) {
            throw new ProblemMappers.BadParameterException("A JSON subscription is required");
        }
        List<String> errors = new ArrayList<>();
        List<String> emails = EmailAddresses.checked(request.emails(), errors);
        if (emails.isEmpty() && errors.isEmpty()) {
            errors.add("emails must name at least one address");
        }
        String language = request.lang() == null || request.lang().isBlank() ? "en" : request.lang().strip();
        if (!ReportFormats.LANGUAGES.contains(language)) {
            errors.add("lang must be en or fr");
        }
        if (request.accountId() == null || organisations.containing(request.accountId()) == null) {
            errors.add("accountId must be an organisation account");
        }
        if (!errors.isEmpty()) {
            throw new WebApplicationException(ProblemMappers.respond(new Problem("about:blank", "Bad Request", 400,
                    "The subscription cannot be used: " + String.join("; ", errors), null, errors)));
        }
        ReportSubscriptions.Subscription made = subscriptions.insert(request.accountId(), emails, language,
                identity.getPrincipal().getName(), Instant.now());
        return Response.status(201).header("Location", "/api/reports/subscriptions/" + made.id())
                .entity(new SubscriptionView(made, List.of())).type(MediaType.APPLICATION_JSON).build();
    }

    @DELETE
    @Path("/subscriptions/{id}")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "Stop sending a weekly report")
    @APIResponse(responseCode = "204", description = "Stopped")
    @APIResponse(responseCode = "404", description = "No such subscription",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response unsubscribe(@PathParam("id") String id) throws SQLException {
        if (!subscriptions.delete(subscriptionId(id))) {
            throw new WebApplicationException(ProblemMappers.notFound("No report subscription " + id));
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/subscriptions/{id}/send")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(summary = "Send a week's report now", description = "The given ISO week (default: the last "
            + "complete one), again if it was sent already.")
    @APIResponse(responseCode = "202", description = "Due now")
    @APIResponse(responseCode = "404", description = "No such subscription",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response send(@PathParam("id") String id, @QueryParam("week") String week) throws SQLException {
        long subscription = subscriptionId(id);
        if (subscriptions.get(subscription).isEmpty()) {
            throw new WebApplicationException(ProblemMappers.notFound("No report subscription " + id));
        }
        Instant now = Instant.now();
        LocalDate monday = monday(week, now);
        subscriptions.resend(subscription, WeeklyReports.weekName(monday), now);
        return Response.accepted().build();
    }

    /** The Monday of the ISO week named, or of the last complete week; a 400 for a week that cannot be. */
    private static LocalDate monday(String week, Instant now) {
        try {
            return WeeklyReports.weekStart(week, now);
        } catch (WeeklyReports.BadWeekException e) {
            throw new ProblemMappers.BadParameterException(e.getMessage());
        }
    }

    private static long subscriptionId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new WebApplicationException(ProblemMappers.notFound("No report subscription " + id));
        }
    }

    @GET
    @Path("/weekly/{accountId}")
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML, "text/csv" })
    @Operation(summary = "The weekly dialogue report of an organisation account",
            description = "An ISO week (Monday 00:00 UTC to the next; default: the last complete one) against the "
                    + "week before: response rate and time to first response, the longest waits, the dialogues of 3 "
                    + "turns or more, the accounts that drew the most conversation, the volume and the top "
                    + "hashtags. format=html or csv downloads it, in lang en (default) or fr.")
    @APIResponse(responseCode = "200", description = "The report",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WeeklyReport.class)))
    @APIResponse(responseCode = "400", description = "A week that does not exist or has not started",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Not an organisation account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response weekly(@PathParam("accountId") String accountId,
            @Parameter(description = "ISO week, e.g. 2026-W47") @QueryParam("week") String week,
            @Parameter(description = "json (default), html or csv") @QueryParam("format") String format,
            @Parameter(description = "en (default) or fr, for html and csv") @QueryParam("lang") String lang)
            throws SQLException {
        String chosen = format == null || format.isBlank() ? "json" : format.strip();
        if (!Set.of("json", "html", "csv").contains(chosen)) {
            throw new ProblemMappers.BadParameterException("format must be json, html or csv, not " + format);
        }
        String language = lang == null || lang.isBlank() ? "en" : lang.strip();
        if (!ReportFormats.LANGUAGES.contains(language)) {
            throw new ProblemMappers.BadParameterException("lang must be en or fr, not " + lang);
        }
        Set<String> organisation = organisations.containing(accountId);
        if (organisation == null) {
            throw new WebApplicationException(ProblemMappers.notFound(accountId + " is not an organisation account"));
        }
        Instant now = Instant.now();
        LocalDate monday = monday(week, now);
        WeeklyReport report = reports.report(accountId, organisation, monday, now);
        String file = "palabre-dialogue-" + accountId.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + report.week();
        return switch (chosen) {
            case "html" -> Response.ok(new ReportFormats(language).html(report), "text/html; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + file + ".html\"").build();
            case "csv" -> Response.ok(new ReportFormats(language).csv(report), "text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + file + ".csv\"").build();
            default -> Response.ok(report, MediaType.APPLICATION_JSON).build();
        };
    }
}
