package io.palabre.dashboard.rest;

import java.sql.SQLException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.palabre.dashboard.access.AuditLog;
import io.palabre.support.security.Role;
import io.smallrye.common.annotation.Blocking;

/**
 * The audit log, for admins: every write of every service, newest first.
 */
@Path("/api/audit")
@RolesAllowed(Role.ADMIN_NAME)
@Tag(name = "Access")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AuditResource {

    private static final int MAX_LIST = 1000;

    /** A page of the log; {@code next} is the cursor of the following page, null at the end. */
    public record AuditPage(List<AuditLog.Entry> items, String next) {
    }

    private final AuditLog log;

    public AuditResource(AuditLog log) {
        this.log = log;
    }

    @GET
    @Transactional
    @Operation(summary = "The audit log, newest first (by the time of each write)", description = "Actions: query.create, query.update, "
            + "query.delete, import.create, user.create, user.update, user.delete, token.create, token.revoke, "
            + "session.login, session.logout.")
    public AuditPage list(
            @Parameter(description = "Only this actor") @QueryParam("actor") String actor,
            @Parameter(description = "Only this action, or a family of them", example = "token")
            @QueryParam("action") String action,
            @Parameter(description = "Only this service", example = "ingest-service") @QueryParam("service") String service,
            @Parameter(description = "Only this target (a query id, a user name, a token id)") @QueryParam("target")
            String target,
            @Parameter(description = "At or after this instant (RFC 3339)") @QueryParam("from") String from,
            @Parameter(description = "Before this instant (RFC 3339)") @QueryParam("to") String to,
            @QueryParam("limit") @DefaultValue("100") int limit,
            @Parameter(description = "From a page's `next`") @QueryParam("cursor") String cursor) throws SQLException {
        if (limit < 1 || limit > MAX_LIST) {
            throw new ProblemMappers.BadParameterException("limit must be between 1 and " + MAX_LIST);
        }
        AuditLog.Position after = cursor == null || cursor.isBlank() ? AuditLog.Position.START
                : AuditLog.Position.of(cursor).orElseThrow(() -> new ProblemMappers.BadParameterException(
                        "cursor: not one of this log's"));
        List<AuditLog.Entry> items = log.list(new AuditLog.Filter(actor, action, service, target,
                Params.instant("from", from), Params.instant("to", to)), after, limit + 1);
        String next = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            AuditLog.Entry last = items.get(limit - 1);
            next = new AuditLog.Position(last.at(), last.seq()).cursor();
        }
        return new AuditPage(items, next);
    }
}
