package io.palabre.analysis.rest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.palabre.analysis.domain.AccountMetrics;
import io.palabre.analysis.service.GraphMetricsService;
import io.palabre.support.security.Role;
import io.quarkus.agroal.DataSource;

/**
 * One account as analysis sees it: its profile, its degrees now (from the relationship table, as mentions arrive)
 * and its graph metrics from the last scheduled run.
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/analysis/accounts")
@Tag(name = "Analysis")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;

    public AccountResource(@DataSource("requests") AgroalDataSource dataSource,
            ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /** Profile, live degrees and the last scheduled metrics (null before the first run that saw the account). */
    public record AccountView(String id, String platform, String handle, String displayName, boolean bot,
            Instant firstSeenAt, Instant lastSeenAt, boolean organisation, Map<String, AccountMetrics.Degrees> degrees,
            Scheduled metrics) {
    }

    /** The account's values in the last graph run. */
    public record Scheduled(long runId, double pagerank, JsonNode pagerankByType, int core, double betweenness,
            double reciprocity, int community, int subCommunity) {
    }

    @GET
    @Path("{accountId: .+}")
    @Operation(summary = "An account: profile, degrees per relationship type now, graph metrics of the last run")
    public AccountView account(@PathParam("accountId") String accountId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            AccountView profile;
            try (PreparedStatement ps = c.prepareStatement("select id, platform, handle, display_name, bot, "
                    + "first_seen_at, last_seen_at, exists (select 1 from organisation_account o where o.account_id "
                    + "= a.id) from account a where id = ?")) {
                ps.setString(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new Problems.NotFound("No account " + accountId);
                    }
                    profile = new AccountView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getBoolean(5), rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(),
                            rs.getBoolean(8), null, null);
                }
            }
            Map<String, long[]> counts = new LinkedHashMap<>();
            for (String type : GraphMetricsService.TYPES) {
                counts.put(type, new long[4]);
            }
            try (PreparedStatement ps = c.prepareStatement("select type, 0, count(*), sum(weight) from relationship "
                    + "where source_id = ? group by type union all select type, 1, count(*), sum(weight) from "
                    + "relationship where target_id = ? group by type")) {
                ps.setString(1, accountId);
                ps.setString(2, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long[] d = counts.get(rs.getString(1));
                        boolean incoming = rs.getInt(2) == 1;
                        d[incoming ? 0 : 1] = rs.getLong(3);
                        d[incoming ? 2 : 3] = rs.getLong(4);
                    }
                }
            }
            Map<String, AccountMetrics.Degrees> degrees = new LinkedHashMap<>();
            counts.forEach((type, d) -> degrees.put(type, new AccountMetrics.Degrees((int) d[0], (int) d[1], d[2],
                    d[3])));
            Scheduled scheduled = null;
            try (PreparedStatement ps = c.prepareStatement("select run_id, pagerank, pagerank_by_type::text, core, "
                    + "betweenness, reciprocity, community, sub_community from account_metric where account_id = ?")) {
                ps.setString(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        scheduled = new Scheduled(rs.getLong(1), rs.getDouble(2), mapper.readTree(rs.getString(3)),
                                rs.getInt(4), rs.getDouble(5), rs.getDouble(6), rs.getInt(7), rs.getInt(8));
                    }
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("Stored metrics are not JSON", e);
            }
            return new AccountView(profile.id(), profile.platform(), profile.handle(), profile.displayName(),
                    profile.bot(), profile.firstSeenAt(), profile.lastSeenAt(), profile.organisation(), degrees,
                    scheduled);
        }
    }
}
