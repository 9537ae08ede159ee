package io.palabre.analysis.rest;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.agroal.api.AgroalDataSource;

/**
 * What analysis-service holds: counts of stored mentions, conversations and accounts.
 */
@Path("/api/analysis/status")
@Tag(name = "Analysis")
@Produces(MediaType.APPLICATION_JSON)
public class AnalysisStatusResource {

    private final AgroalDataSource dataSource;

    public AnalysisStatusResource(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Counts of what is stored. */
    public record Status(long mentions, long deletedMentions, long conversations, long mergedConversations,
            long accounts) {
    }

    @GET
    @Operation(summary = "Counts of stored mentions, conversations and accounts")
    public Status status() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select (select count(*) from mention), "
                        + "(select count(*) from mention where deleted), (select count(*) from conversation), "
                        + "(select count(*) from merged_conversation), (select count(*) from account)")) {
            rs.next();
            return new Status(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
        }
    }
}
