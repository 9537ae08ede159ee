package io.palabre.ingest.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What became of an import. For the {@code palabre} format each line is one mention: accepted (published on
 * {@code mentions}), rejected (published on {@code mentions-dlq} with its reason) or failed (the broker did not
 * acknowledge it; import again). For a platform format a line (or the whole document) is one payload that may hold
 * many items, and the counts are of mentions published and items rejected.
 */
@Schema(description = "Outcome of a file import")
public record ImportReport(
        String importId,
        String format,
        Instant startedAt,
        Instant finishedAt,
        long bytesRead,
        long lines,
        long accepted,
        long rejected,
        long failed,
        @Schema(description = "Items deliberately not imported because they are not mentions (likes, follows, "
                + "profile updates), counted by reason")
        Map<String, Long> skipped,
        @Schema(description = "Rejected and failed lines with their reason, in line order, up to the documented limit")
        List<LineProblem> problems,
        @Schema(description = "True when more lines had problems than are listed; all of them are on mentions-dlq")
        boolean problemsTruncated) {

    /** Why one line did not become a published mention. */
    public record LineProblem(long line, String reason) {
    }
}
