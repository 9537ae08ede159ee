package io.palabre.ingest.service;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.ingest.config.IngestConfig;
import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.bluesky.BlueskyMapper;
import io.palabre.ingest.connector.hackernews.HackerNewsMapper;
import io.palabre.ingest.connector.mastodon.MastodonMapper;
import io.palabre.ingest.connector.reddit.RedditMapper;
import io.palabre.ingest.connector.x.XMapper;
import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.domain.Rejection;
import io.palabre.ingest.messaging.MentionPublisher;
import io.palabre.ingest.service.MentionValidator.InvalidMentionException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Imports files in bounded memory: Palabre's canonical mentions one per line, or a platform's own payloads (API
 * responses, exports) one per line or as one JSON document. Each mention is published; each line or item that
 * cannot be used goes to the dead-letter topic with its reason; items that are deliberately not mentions (likes,
 * follows) are counted by reason.
 */
@ApplicationScoped
public class ImportService {

    private static final Logger LOG = Logger.getLogger(ImportService.class);
    private static final long ACK_TIMEOUT_SECONDS = 120;
    private static final List<String> FORMATS = List.of("palabre", "mastodon", "bluesky-jetstream", "bluesky-search",
            "reddit", "hackernews", "x");

    private final MentionValidator validator;
    private final MentionPublisher publisher;
    private final IngestConfig config;
    private final ImportJobs jobs;
    private final ObjectMapper mapper;
    private final MastodonMapper mastodon;
    private final BlueskyMapper bluesky;
    private final RedditMapper reddit;
    private final HackerNewsMapper hackerNews;
    private final XMapper x;

    public ImportService(MentionValidator validator, MentionPublisher publisher, IngestConfig config, ImportJobs jobs,
            ObjectMapper mapper, MastodonMapper mastodon, BlueskyMapper bluesky, RedditMapper reddit,
            HackerNewsMapper hackerNews, XMapper x) {
        this.validator = validator;
        this.publisher = publisher;
        this.config = config;
        this.jobs = jobs;
        this.mapper = mapper;
        this.mastodon = mastodon;
        this.bluesky = bluesky;
        this.reddit = reddit;
        this.hackerNews = hackerNews;
        this.x = x;
    }

    /** Formats that {@link #importStream} reads. */
    public static List<String> formats() {
        return FORMATS;
    }

    /** Options of one import. */
    /** What to import and for whom: {@code by} is recorded on the import and in the audit log. */
    public record Options(String format, String instance, String query, SecurityIdentity by) {
    }

    public ImportReport importStream(Options options, InputStream body) throws IOException {
        String format = options.format();
        String importId = UUID.randomUUID().toString();
        Instant startedAt = Instant.now();
        jobs.started(importId, options, startedAt);
        Source source = new Source("import:" + format, options.query(), startedAt);
        Run run = new Run(config.publishing().maxInFlight(), config.imports().maxReportedRejections());

        NdjsonLineReader reader = new NdjsonLineReader(body, config.imports().maxLineBytes());
        NdjsonLineReader.Line line;
        boolean first = true;
        while ((line = reader.next()) != null) {
            if (line.problem() == null && line.text().isBlank()) {
                continue;
            }
            run.lines++;
            String origin = "import:" + format + "/" + importId + "/line " + line.number();
            if (line.problem() != null) {
                reject(run, line.number(), line.problem(), line.text(), origin);
            } else if (format.equals("palabre")) {
                try {
                    publish(run, line.number(), validator.validate(line.text()), origin);
                } catch (InvalidMentionException e) {
                    reject(run, line.number(), e.getMessage(), line.text(), origin);
                }
            } else {
                String payload = line.text();
                if (first && startsDocument(payload)) {
                    payload = readDocument(payload, reader, run);
                    if (payload == null) {
                        reject(run, line.number(), "the JSON document is longer than the limit of "
                                + config.imports().maxDocumentBytes() + " bytes", line.text(), origin);
                        first = false;
                        continue;
                    }
                }
                mapPayload(run, line.number(), payload, options, source, origin);
            }
            first = false;
        }
        run.awaitAll();

        List<ImportReport.LineProblem> listed = run.listedProblems();
        ImportReport report = new ImportReport(importId, format, startedAt, Instant.now(), reader.bytesRead(),
                run.lines, run.accepted.get(), run.rejected, run.failed.get(), new TreeMap<>(run.skipped), listed,
                run.problemsOmitted() > 0);
        jobs.finished(report);
        LOG.infof("Import %s (%s): %d lines, %d accepted, %d rejected, %d failed, skipped %s", importId, format,
                run.lines, report.accepted(), run.rejected, report.failed(), run.skipped);
        return report;
    }

    private void mapPayload(Run run, long number, String payload, Options options, Source source, String origin) {
        JsonNode node;
        try {
            node = mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            reject(run, number, "not JSON: " + e.getOriginalMessage(), payload, origin);
            return;
        }
        Mapping mapping;
        try {
            mapping = switch (options.format()) {
                case "mastodon" -> mastodon.map(node, options.instance(), source);
                case "bluesky-jetstream" -> bluesky.mapJetstream(node, source);
                case "bluesky-search" -> bluesky.mapViews(node, source);
                case "reddit" -> reddit.map(node, source);
                case "hackernews" -> hackerNews.map(node, source);
                case "x" -> x.map(node, source);
                default -> throw new IllegalArgumentException("unknown format " + options.format());
            };
        } catch (RuntimeException e) {
            // Whatever a payload holds, it costs its own line, never the import.
            LOG.debugf(e, "%s could not be mapped", origin);
            reject(run, number, options.format() + " payload cannot be mapped: " + e, payload, origin);
            return;
        }
        for (MentionCaptured mention : mapping.mentions()) {
            String json;
            try {
                json = mapper.writeValueAsString(mention);
                publish(run, number, validator.validate(json), origin);
            } catch (JsonProcessingException | InvalidMentionException e) {
                reject(run, number, mention.id() + " breaks the mention contract: " + e.getMessage(),
                        payload, origin);
            }
        }
        for (Mapping.Problem problem : mapping.problems()) {
            reject(run, number, problem.reason(), problem.item(), origin);
        }
        mapping.skipped().forEach((reason, count) -> run.skipped.merge(reason, (long) count, Long::sum));
    }

    private static boolean startsDocument(String line) {
        String t = line.strip();
        return t.startsWith("{") || t.startsWith("[");
    }

    /**
     * When the first line is not a whole JSON value, the body is one (pretty-printed) JSON document: reads the
     * rest, up to the document limit. Returns the first line unchanged when it is a whole value already.
     */
    private String readDocument(String firstLine, NdjsonLineReader reader, Run run) throws IOException {
        try {
            mapper.readTree(firstLine);
            return firstLine;
        } catch (JsonEOFException e) {
            // An unfinished value: a multi-line document.
        } catch (JsonProcessingException e) {
            return firstLine;
        }
        long limit = config.imports().maxDocumentBytes();
        StringBuilder document = new StringBuilder(firstLine);
        NdjsonLineReader.Line next;
        while ((next = reader.next()) != null) {
            run.lines++;
            document.append('\n').append(next.text());
            if (document.length() > limit) {
                while (reader.next() != null) {
                    run.lines++;
                }
                return null;
            }
        }
        return document.toString();
    }

    private void publish(Run run, long number, MentionCaptured mention, String origin) {
        acquire(run.inFlight);
        publisher.publish(mention).whenComplete((ok, error) -> {
            if (error == null) {
                run.accepted.incrementAndGet();
            } else {
                run.failed.incrementAndGet();
                run.problem(new ImportReport.LineProblem(number, "not published: " + error.getMessage()));
            }
            run.inFlight.release();
        });
    }

    private void reject(Run run, long number, String reason, String payload, String origin) {
        run.rejected++;
        run.problem(new ImportReport.LineProblem(number, reason));
        acquire(run.inFlight);
        publisher.reject(deadLetter(reason, payload, origin)).whenComplete((ok, error) -> {
            if (error != null) {
                run.failed.incrementAndGet();
                LOG.errorf("%s rejected (%s) but not dead-lettered: %s", origin, reason, error.getMessage());
            }
            run.inFlight.release();
        });
    }

    private Rejection deadLetter(String reason, String payload, String origin) {
        int cap = config.imports().maxDeadLetterPayloadChars();
        if (payload.length() <= cap) {
            return Rejection.atIngest(reason, payload, origin);
        }
        return Rejection.atIngest(reason + " (payload cut to its first " + cap + " characters)",
                payload.substring(0, cap), origin);
    }

    private static void acquire(Semaphore inFlight) {
        try {
            if (!inFlight.tryAcquire(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new BrokerUnavailableException("The broker acknowledged nothing for " + ACK_TIMEOUT_SECONDS
                        + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("Interrupted while waiting for the broker");
        }
    }

    /** The state of one import while it runs; at most {@code maxListed} problems are kept, the rest counted. */
    private static final class Run {
        final int maxInFlight;
        final Semaphore inFlight;
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final Map<String, Long> skipped = new TreeMap<>();
        private final int maxListed;
        private final List<ImportReport.LineProblem> problems = new ArrayList<>();
        private long omitted;
        long rejected;
        long lines;

        Run(int maxInFlight, int maxListed) {
            this.maxInFlight = maxInFlight;
            this.inFlight = new Semaphore(maxInFlight);
            this.maxListed = maxListed;
        }

        synchronized void problem(ImportReport.LineProblem problem) {
            if (problems.size() < maxListed) {
                problems.add(problem);
            } else {
                omitted++;
            }
        }

        synchronized List<ImportReport.LineProblem> listedProblems() {
            List<ImportReport.LineProblem> sorted = new ArrayList<>(problems);
            sorted.sort((a, b) -> Long.compare(a.line(), b.line()));
            return Collections.unmodifiableList(sorted);
        }

        synchronized long problemsOmitted() {
            return omitted;
        }

        void awaitAll() {
            try {
                if (!inFlight.tryAcquire(maxInFlight, ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new BrokerUnavailableException("The broker did not acknowledge every record within "
                            + ACK_TIMEOUT_SECONDS + " s", new TimeoutException());
                }
                inFlight.release(maxInFlight);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerUnavailableException("Interrupted while waiting for the broker");
            }
        }
    }

    /** The broker stopped acknowledging records, so the import cannot finish. */
    public static final class BrokerUnavailableException extends RuntimeException {

        public BrokerUnavailableException(String message) {
            super(message);
        }

        public BrokerUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
