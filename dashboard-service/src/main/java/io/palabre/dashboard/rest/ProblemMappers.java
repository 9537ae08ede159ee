package io.palabre.dashboard.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.palabre.dashboard.access.AccessException;
import io.palabre.support.Failures;
import io.palabre.dashboard.service.LiveActivity;
import io.palabre.dashboard.service.ReadLanes;

/**
 * Every error leaves the service as {@code application/problem+json}: client mistakes as 4xx with the reason, and
 * nothing as an unexplained 500.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getResponse().getEntity() instanceof Problem) {
            return e.getResponse(); // already says what is wrong
        }
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return respond(Problem.of(status, title, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response badParameter(BadParameterException e) {
        return respond(Problem.of(400, "Bad Request", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response access(AccessException e) {
        Response.ResponseBuilder r = Response.fromResponse(respond(Problem.of(e.status(),
                Response.Status.fromStatusCode(e.status()).getReasonPhrase(), e.getMessage())));
        if (e.retryAfterSeconds() != null) {
            r.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        return r.build();
    }

    @ServerExceptionMapper
    public Response busy(ReadLanes.BusyException e) {
        return Response.fromResponse(respond(Problem.of(503, "Service Unavailable", e.getMessage())))
                .header("Retry-After", "2").build();
    }

    @ServerExceptionMapper
    public Response tooManyListeners(LiveActivity.FullException e) {
        return Response.fromResponse(respond(Problem.of(503, "Service Unavailable", e.getMessage())))
                .header("Retry-After", "30").build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (Failures.isTimeout(e)) {
            LOG.warnf("A request ran out of time: %s", e.getMessage());
            return Response.fromResponse(respond(Problem.of(503, "Service Unavailable",
                    "The question took longer than its time limit; narrow it (a shorter window, more filters) or "
                            + "try again shortly"))).header("Retry-After", "10").build();
        }
        if (Failures.isTransient(e)) {
            LOG.warnf("The database is unavailable: %s", e.getMessage());
            return Response.fromResponse(respond(Problem.of(503, "Service Unavailable",
                    "The read model's database cannot be reached; try again shortly"))).header("Retry-After", "5")
                    .build();
        }
        LOG.error("Unexpected error", e);
        return respond(Problem.of(500, "Internal Server Error", "An unexpected error occurred; it has been logged"));
    }

    public static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    public static Response notFound(String detail) {
        return respond(Problem.of(404, "Not Found", detail));
    }

    /** A query parameter that cannot be used as given. */
    public static final class BadParameterException extends RuntimeException {

        public BadParameterException(String message) {
            super(message, null, false, false);
        }
    }
}
