package io.palabre.ingest.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.palabre.ingest.query.QueryService;
import io.palabre.ingest.service.ImportService.BrokerUnavailableException;
import io.palabre.support.Failures;

/**
 * Every error leaves the service as {@code application/problem+json}: client mistakes as 4xx with the reason, an
 * unavailable broker as 503, and nothing as an unexplained 500.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return respond(Problem.of(status, title, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return respond(Problem.of(400, "Bad Request", "Malformed JSON: " + e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response invalidQuery(QueryService.InvalidQueryException e) {
        return respond(new Problem("about:blank", "Bad Request", 400, "The listening query is not valid", null,
                e.errors()));
    }

    @ServerExceptionMapper
    public Response duplicateName(QueryService.DuplicateNameException e) {
        return respond(Problem.of(409, "Conflict", e.getMessage()));
    }

    @ServerExceptionMapper
    public Response brokerUnavailable(BrokerUnavailableException e) {
        return Response.fromResponse(respond(Problem.of(503, "Service Unavailable", e.getMessage())))
                .header("Retry-After", "10").build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (Failures.isTransient(e)) {
            LOG.warnf("The database is unavailable: %s", e.getMessage());
            return Response.fromResponse(respond(Problem.of(503, "Service Unavailable",
                    "ingest-service's database cannot be reached; try again shortly"))).header("Retry-After", "5")
                    .build();
        }
        LOG.error("Unexpected error", e);
        return respond(Problem.of(500, "Internal Server Error", "An unexpected error occurred; it has been logged"));
    }

    public static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
