package io.palabre.dashboard.rest;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
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

import io.palabre.dashboard.report.WeeklyReport;
import io.palabre.dashboard.report.WeeklyReports;
import io.palabre.dashboard.service.OrganisationAccounts;
import io.palabre.dashboard.service.ReadLane;
import io.palabre.dashboard.service.ReadLanes;
import io.palabre.support.security.Role;

/** The weekly dialogue report of an organisation account, as JSON, or as an HTML or CSV download. */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/reports")
@Tag(name = "Reports", description = "Weekly dialogue reports of organisation accounts")
public class ReportResource {

    private final WeeklyReports reports;
    private final OrganisationAccounts organisations;

    public ReportResource(WeeklyReports reports, OrganisationAccounts organisations) {
        this.reports = reports;
        this.organisations = organisations;
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
        LocalDate monday;
        try {
            monday = WeeklyReports.weekStart(week, now);
        } catch (WeeklyReports.BadWeekException e) {
            throw new ProblemMappers.BadParameterException(e.getMessage());
        }
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
