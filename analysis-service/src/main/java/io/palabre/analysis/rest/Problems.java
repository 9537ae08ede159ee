package io.palabre.analysis.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.palabre.support.Failures;

/**
 * Every error leaves analysis-service as RFC 9457 {@code application/problem+json}: client mistakes as 4xx with
 * the reason, and nothing as an unexplained 500.
 */
public class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);

    /** An RFC 9457 problem detail. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String type, String title, int status, String detail) {
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        return respond(e.getResponse().getStatus(), e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (Failures.isTransient(e)) {
            LOG.warnf("The database is unavailable or the question ran out of time: %s", e.getMessage());
            return Response.fromResponse(respond(503, "Service Unavailable", Failures.isTimeout(e)
                    ? "The question took longer than its time limit; narrow it or try again shortly"
                    : "The database cannot be reached; try again shortly")).header("Retry-After", "5").build();
        }
        LOG.error("Unexpected error", e);
        return respond(500, "Internal Server Error", "An unexpected error occurred; it has been logged");
    }

    static Response respond(int status, String title, String detail) {
        return Response.status(status).type("application/problem+json")
                .entity(new Problem("about:blank", title, status, detail)).build();
    }
}
