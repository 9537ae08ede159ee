package io.palabre.dashboard.rest;

import java.sql.SQLException;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.palabre.dashboard.rest.ProblemMappers.BadParameterException;
import io.palabre.dashboard.service.GraphQueries;

/**
 * Dialogue metrics of the organisation's accounts (docs/dialogue-metrics.md), for the windows analysis-service
 * publishes: the last 24 hours, 7 days, 30 days, and all time.
 */
@Path("/api/dialogue")
@Tag(name = "Dialogue", description = "Does the organisation take part in a real dialogue?")
@Produces(MediaType.APPLICATION_JSON)
public class DialogueResource {

    static final List<String> WINDOWS = List.of("24h", "7d", "30d", "all");

    private final GraphQueries graph;

    public DialogueResource(GraphQueries graph) {
        this.graph = graph;
    }

    @GET
    @Operation(summary = "The organisation accounts that have dialogue metrics")
    public List<String> accounts() throws SQLException {
        return graph.organisationAccounts();
    }

    @GET
    @Path("{accountId: .+}/unanswered")
    @Operation(summary = "People's mentions the account has not answered, oldest first (at most 100)")
    public Response unanswered(@PathParam("accountId") String accountId, @QueryParam("window") String window)
            throws SQLException {
        return respond(accountId, window, metrics -> java.util.Map.of("accountId", accountId, "window",
                metrics.get("window"), "unansweredCount", metrics.get("unansweredCount"), "items",
                metrics.get("unanswered")));
    }

    @GET
    @Path("{accountId: .+}")
    @Operation(summary = "Response rate, time to first response, turns, reciprocity, flows and horizontality",
            description = "window: 24h, 7d, 30d or all (default 30d).")
    public Response metrics(@PathParam("accountId") String accountId, @QueryParam("window") String window)
            throws SQLException {
        return respond(accountId, window, metrics -> metrics);
    }

    private Response respond(String accountId, String window, java.util.function.Function<JsonNode, Object> view)
            throws SQLException {
        JsonNode metrics = graph.dialogue(accountId, window(window));
        if (metrics == null) {
            return ProblemMappers.notFound("No dialogue metrics for " + accountId
                    + ": no listening query names it as an organisation account");
        }
        return Response.ok(view.apply(metrics)).build();
    }

    private static String window(String window) {
        String w = window == null || window.isBlank() ? "30d" : window;
        if (!WINDOWS.contains(w)) {
            throw new BadParameterException("window must be 24h, 7d, 30d or all, not " + window);
        }
        return w;
    }
}
