package io.palabre.ingest.rest;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.palabre.ingest.domain.ImportJob;
import io.palabre.ingest.service.ImportJobs;
import io.palabre.ingest.service.ImportReport;
import io.palabre.ingest.service.ImportService;
import io.palabre.support.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/**
 * File imports: newline-delimited mentions streamed in, published on {@code mentions}.
 */
@RolesAllowed(Role.OPERATOR_NAME)
@Path("/api/imports")
@Tag(name = "Imports", description = "Bring archives and exports into Palabre")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {

    private static final int MAX_LIST = 200;

    private final ImportService imports;
    private final ImportJobs jobs;
    private final SecurityIdentity identity;

    public ImportResource(ImportService imports, ImportJobs jobs, SecurityIdentity identity) {
        this.imports = imports;
        this.jobs = jobs;
        this.identity = identity;
    }

    @POST
    @Blocking
    @Consumes({ "application/x-ndjson", "application/jsonl", "application/json" })
    @Operation(summary = "Import a file of mentions",
            description = "The body is newline-delimited JSON (one mention per line), read as a stream so that "
                    + "files of any size fit in bounded memory. Each valid line is published on topic `mentions`; "
                    + "each invalid line goes to `mentions-dlq` with its reason and is listed in the answer (up to "
                    + "1,000 lines). Importing the same file again is harmless: analysis deduplicates by id. The body "
                    + "is `application/x-ndjson` (or `application/jsonl`, or `application/json` for one document); "
                    + "any other type, such as a form a web page posts across sites, is refused with 415.")
    @APIResponse(responseCode = "202", description = "Read to the end; see the counts",
            content = @Content(schema = @Schema(implementation = ImportReport.class)))
    @APIResponse(responseCode = "415", description = "The body is not NDJSON or JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "Unknown or missing format",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The broker did not acknowledge some lines; import again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response importFile(
            @Parameter(description = "Format of the file: `palabre` (canonical mentions, one per line), or a "
                    + "platform's own payloads, one per line or as one JSON document: `mastodon` (statuses, status "
                    + "lists, /context, streaming events), `bluesky-jetstream` (Jetstream events), `bluesky-search` "
                    + "(searchPosts or getPostThread responses), `reddit` (listings, comment trees), `hackernews` "
                    + "(Algolia search or item trees, Firebase items), `x` (API v2 responses)",
                    example = "palabre") @QueryParam("format") String format,
            @Parameter(description = "mastodon only: the instance that served the payload (its ids are local to it)",
                    example = "mastodon.social") @QueryParam("instance") String instance,
            @Parameter(description = "The listening query these mentions answer, recorded on each mention")
            @QueryParam("query") String query,
            InputStream body) throws IOException {
        if (format == null || format.isBlank()) {
            return ProblemMappers.respond(Problem.of(400, "Bad Request",
                    "Query parameter 'format' is required; supported formats: " + ImportService.formats()));
        }
        if (!ImportService.formats().contains(format)) {
            return ProblemMappers.respond(Problem.of(400, "Bad Request",
                    "Unknown format '" + format + "'; supported formats: " + ImportService.formats()));
        }
        ImportReport report = imports.importStream(new ImportService.Options(format, instance, query, identity), body);
        if (report.failed() > 0) {
            return Response.status(503).type(MediaType.APPLICATION_JSON).entity(report).build();
        }
        return Response.accepted(report).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One import's record")
    @APIResponse(responseCode = "200", description = "The import")
    @APIResponse(responseCode = "404", description = "No import has this id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("id") String id) {
        return jobs.find(id)
                .map(job -> Response.ok(ImportView.of(job)).build())
                .orElseGet(() -> ProblemMappers.respond(Problem.of(404, "Not Found", "No import with id " + id)));
    }

    @GET
    @Operation(summary = "The latest imports, newest first")
    public Response list(@QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            return ProblemMappers.respond(Problem.of(400, "Bad Request",
                    "limit must be between 1 and " + MAX_LIST));
        }
        List<ImportView> views = jobs.latest(limit).stream().map(ImportView::of).toList();
        return Response.ok(views).build();
    }

    /** An import's record as served. */
    public record ImportView(String importId, String format, java.time.Instant startedAt,
            java.time.Instant finishedAt, long bytesRead, long lines, long accepted, long rejected, long failed,
            String createdBy) {

        static ImportView of(ImportJob job) {
            return new ImportView(job.id, job.format, job.startedAt, job.finishedAt, job.bytesRead, job.lines,
                    job.accepted, job.rejected, job.failed, job.createdBy);
        }
    }
}
