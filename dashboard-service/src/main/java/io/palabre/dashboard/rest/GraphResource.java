package io.palabre.dashboard.rest;

import java.sql.SQLException;
import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.palabre.dashboard.service.ReadLane;
import io.palabre.dashboard.service.ReadLanes;
import io.palabre.dashboard.rest.GraphFormats.GexfVersion;
import io.palabre.dashboard.rest.ProblemMappers.BadParameterException;
import io.palabre.dashboard.service.GraphQueries;
import io.palabre.support.security.Role;

/**
 * The relationship graph between accounts, as JSON, GEXF 1.3 or 1.2draft, GraphML or a CSV edge list.
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/graph")
@Tag(name = "Graph", description = "Who answers, names, quotes and reposts whom")
public class GraphResource {

    static final int DEFAULT_LIMIT = 2000;
    static final int MAX_LIMIT = 50_000;
    static final String FORMATS = "json (default); gexf (GEXF 1.3, Gephi); gexf-1.2draft (GEXF 1.2draft, for "
            + "networkx and other readers that do not know 1.3; Gephi too); graphml; csv (an edge list). Downloads say "
            + "how the graph was pruned in their description and in the Palabre-Pruning header.";

    private final GraphQueries graph;

    public GraphResource(GraphQueries graph) {
        this.graph = graph;
    }

    @GET
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Produces({ MediaType.APPLICATION_JSON, GraphFormats.GEXF, GraphFormats.GRAPHML, GraphFormats.CSV })
    @Operation(summary = "Relationships between accounts, heaviest first",
            description = "Whole history without from/to; with them, the relationships of the mentions created in "
                    + "[from, to). Large graphs are cut to the heaviest `limit` relationships (default 2,000, at "
                    + "most 50,000) of weight `minWeight` or more, and `pruning` says how many matched.")
    public Response graph(
            @Parameter(description = "reply, mention, quote, repost or all (default)") @QueryParam("type") String type,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @Parameter(description = "Smallest weight kept, default 1") @QueryParam("minWeight") String minWeight,
            @QueryParam("limit") String limit,
            @Parameter(description = FORMATS) @QueryParam("format") String format)
            throws SQLException {
        String chosen = type == null || type.isBlank() || type.equals("all") ? null : type;
        if (chosen != null && !GraphQueries.TYPES.contains(chosen)) {
            throw new BadParameterException("type must be reply, mention, quote, repost or all, not " + type);
        }
        Instant start = Params.instant("from", from);
        Instant end = Params.instant("to", to);
        Params.requireOrdered(start, end);
        int min = Params.bounded("minWeight", minWeight, 1, 1, Integer.MAX_VALUE);
        int size = Params.limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        String description = "Palabre relationships" + (chosen == null ? "" : " of type " + chosen)
                + (start == null && end == null ? ", whole history" : ", mentions from " + start + " to " + end);
        return render(graph.graph(chosen, start, end, min, size), format, description);
    }

    /**
     * The graph in the format asked for. The description says what the graph is; downloads add how it was pruned
     * ({@link GraphFormats#pruning}) to their description and to a response header, and the CSV's file name carries
     * the counts, since a CSV file has nowhere else to say it.
     */
    static Response render(GraphQueries.Graph g, String format, String description) {
        String f = format == null || format.isBlank() ? "json" : format;
        if (f.equals("json")) {
            return Response.ok(g, MediaType.APPLICATION_JSON).build();
        }
        String pruning = GraphFormats.pruning(g.pruning());
        String described = description + ". " + pruning;
        Response.ResponseBuilder download = switch (f) {
            case "gexf" -> Response.ok(GraphFormats.gexf(g, described, GexfVersion.V1_3), GraphFormats.GEXF)
                    .header("Content-Disposition", "attachment; filename=\"palabre.gexf\"");
            case "gexf-1.2draft" -> Response.ok(GraphFormats.gexf(g, described, GexfVersion.V1_2_DRAFT),
                    GraphFormats.GEXF)
                    .header("Content-Disposition", "attachment; filename=\"palabre-1.2draft.gexf\"");
            case "graphml" -> Response.ok(GraphFormats.graphml(g, described), GraphFormats.GRAPHML)
                    .header("Content-Disposition", "attachment; filename=\"palabre.graphml\"");
            case "csv" -> Response.ok(GraphFormats.csv(g), GraphFormats.CSV + "; charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"palabre-edges-" + g.pruning().keptEdges()
                            + "-of-" + g.pruning().matchingEdges() + ".csv\"");
            default -> throw new BadParameterException(
                    "format must be json, gexf, gexf-1.2draft, graphml or csv, not " + format);
        };
        return download.header(GraphFormats.PRUNING_HEADER, pruning).build();
    }
}
