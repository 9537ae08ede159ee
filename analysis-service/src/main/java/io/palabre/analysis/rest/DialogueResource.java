package io.palabre.analysis.rest;

import java.sql.SQLException;
import java.time.Instant;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.palabre.dialogue.DialogueMetrics;
import io.palabre.analysis.dialogue.DialogueService;
import io.palabre.support.security.Role;

/**
 * Dialogue metrics of an organisation account over any window (docs/dialogue-metrics.md).
 */
@RolesAllowed(Role.ANALYST_NAME)
@Path("/api/analysis/dialogue")
@Tag(name = "Analysis")
@Produces(MediaType.APPLICATION_JSON)
public class DialogueResource {

    private final DialogueService dialogue;

    public DialogueResource(DialogueService dialogue) {
        this.dialogue = dialogue;
    }

    @GET
    @Path("{accountId: .+}")
    @Operation(summary = "Dialogue metrics of an organisation account over [from, to)",
            description = "from defaults to 30 days before to; to defaults to now. 404 when no listening query names "
                    + "the account as the organisation's.")
    public DialogueMetrics metrics(@PathParam("accountId") String accountId, @QueryParam("from") String from,
            @QueryParam("to") String to) throws SQLException {
        Instant end = Problems.instant("to", to, Instant.now());
        Instant start = Problems.instant("from", from, end.minus(java.time.Duration.ofDays(30)));
        if (!start.isBefore(end)) {
            throw new Problems.BadRequest("from must be before to");
        }
        if (!dialogue.isOrganisationAccount(accountId)) {
            throw new Problems.NotFound("No listening query names " + accountId + " as an organisation account");
        }
        return dialogue.computeForRequest(accountId, start, end);
    }
}
