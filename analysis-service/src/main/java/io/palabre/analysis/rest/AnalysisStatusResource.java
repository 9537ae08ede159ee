package io.palabre.analysis.rest;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.agroal.api.AgroalDataSource;
import io.palabre.analysis.messaging.MetricsSchedule;
import io.palabre.support.security.Role;
import io.quarkus.agroal.DataSource;

/**
 * What analysis-service holds: counts of stored mentions, conversations, accounts and relationships, and the last
 * run of the global metrics.
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/analysis/status")
@Tag(name = "Analysis")
@Produces(MediaType.APPLICATION_JSON)
public class AnalysisStatusResource {

    private final AgroalDataSource dataSource;
    private final MetricsSchedule metrics;

    public AnalysisStatusResource(@DataSource("requests") AgroalDataSource dataSource,
            MetricsSchedule metrics) {
        this.dataSource = dataSource;
        this.metrics = metrics;
    }

    /** Counts of what is stored. */
    public record Status(long mentions, long deletedMentions, long conversations, long mergedConversations,
            long accounts, long relationships, long organisationAccounts, MetricsSchedule.Status metrics) {
    }

    @GET
    @Operation(summary = "Counts of what is stored, and the last metrics run")
    public Status status() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select (select count(*) from mention), "
                        + "(select count(*) from mention where deleted), (select count(*) from conversation), "
                        + "(select count(*) from merged_conversation), (select count(*) from account), "
                        + "(select count(*) from relationship), (select count(distinct account_id) from "
                        + "organisation_account)")) {
            rs.next();
            return new Status(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                    rs.getLong(6), rs.getLong(7), metrics.status());
        }
    }
}
