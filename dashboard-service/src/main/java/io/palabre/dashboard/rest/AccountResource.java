package io.palabre.dashboard.rest;

import java.sql.SQLException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.palabre.dashboard.service.ReadLane;
import io.palabre.dashboard.service.ReadLanes;
import io.palabre.dashboard.rest.ProblemMappers.BadParameterException;
import io.palabre.dashboard.service.GraphQueries;
import io.palabre.dashboard.service.GraphQueries.Account;
import io.palabre.support.security.Role;

/**
 * Accounts: who is at the centre, with whom they are in dialogue, and their ego networks.
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/accounts")
@Tag(name = "Accounts", description = "Accounts ranked by graph metrics, their partners and ego networks")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    static final int MAX_LIMIT = 500;
    static final int MAX_PER_NODE = 100;

    private final GraphQueries graph;

    public AccountResource(GraphQueries graph) {
        this.graph = graph;
    }

    /** A page of accounts ranked by a metric. */
    public record AccountPage(List<Account> items, String nextCursor) {
    }

    @GET
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Operation(summary = "Accounts ranked by PageRank, degree or betweenness, highest first",
            description = "Metrics come from analysis-service's last graph run. At most 500 per page; pass "
                    + "nextCursor back as cursor.")
    public AccountPage list(
            @Parameter(description = "pagerank (default), degree or betweenness") @QueryParam("sort") String sort,
            @Parameter(description = "Only this community") @QueryParam("community") String community,
            @Parameter(description = "Only this division of a community (level 1)") @QueryParam("subCommunity")
            String subCommunity,
            @QueryParam("platform") String platform,
            @Parameter(description = "1 to 500, default 50") @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) throws SQLException {
        String by = sort == null || sort.isBlank() ? "pagerank" : sort;
        if (!List.of("pagerank", "degree", "betweenness").contains(by)) {
            throw new BadParameterException("sort must be pagerank, degree or betweenness, not " + sort);
        }
        int size = Params.limit(limit, 50, MAX_LIMIT);
        Integer inCommunity = community == null || community.isBlank() ? null : wholeNumber("community", community);
        Integer inSubCommunity = subCommunity == null || subCommunity.isBlank() ? null
                : wholeNumber("subCommunity", subCommunity);
        Double afterValue = null;
        String afterId = null;
        if (cursor != null && !cursor.isBlank()) {
            String raw = decode(cursor);
            int bar = raw.indexOf('|');
            try {
                afterValue = Double.parseDouble(raw.substring(0, bar));
                afterId = raw.substring(bar + 1);
            } catch (RuntimeException e) {
                throw new BadParameterException("cursor is not one this API returned: " + cursor);
            }
        }
        List<Account> found = graph.ranked(by, inCommunity, inSubCommunity, Params.platform(platform), afterValue,
                afterId, size + 1);
        String next = null;
        if (found.size() > size) {
            found = found.subList(0, size);
            Account last = found.get(size - 1);
            double value = switch (by) {
                case "degree" -> last.degree();
                case "betweenness" -> last.betweenness();
                default -> last.pagerank();
            };
            next = encode(value + "|" + last.id());
        }
        return new AccountPage(found, next);
    }

    @GET
    @ReadLane(ReadLanes.Lane.HEAVY)
    @Path("{id: .+}/network")
    @Operation(summary = "The account's ego network at depth 1 or 2",
            description = "Each account contributes at most perNode partners (heaviest first), so hubs stay "
                    + "readable; `pruning` says so.")
    public Response network(@PathParam("id") String id, @QueryParam("depth") String depth,
            @Parameter(description = "1 to 100, default 25") @QueryParam("perNode") String perNode,
            @Parameter(description = GraphResource.FORMATS) @QueryParam("format") String format)
            throws SQLException {
        int d = depth == null || depth.isBlank() ? 1 : wholeNumber("depth", depth);
        if (d != 1 && d != 2) {
            throw new BadParameterException("depth must be 1 or 2, not " + depth);
        }
        int cap = Params.bounded("perNode", perNode, 25, 1, MAX_PER_NODE);
        if (graph.account(id) == null) {
            return ProblemMappers.notFound("No account " + id);
        }
        return GraphResource.render(graph.network(id, d, cap), format, "Ego network of " + id + " at depth " + d);
    }

    @GET
    @ReadLane(ReadLanes.Lane.LOOKUP)
    @Path("{id: .+}")
    @Operation(summary = "An account: profile, degrees per type, PageRank, k-core, community, top partners")
    public Response account(@PathParam("id") String id) throws SQLException {
        Account account = graph.account(id);
        if (account == null) {
            return ProblemMappers.notFound("No account " + id);
        }
        return Response.ok(new AccountView(account, graph.topPartners(id, 10))).build();
    }

    /** An account and the ten accounts it interacts with most. */
    public record AccountView(Account account, List<GraphQueries.Partner> topPartners) {
    }

    private static int wholeNumber(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadParameterException(name + " must be a whole number, not " + value);
        }
    }

    private static String encode(String raw) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            return new String(java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("cursor is not one this API returned: " + cursor);
        }
    }
}
