package io.palabre.ingest.service;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.palabre.ingest.config.IngestConfig;
import io.palabre.ingest.domain.MentionCaptured;
import io.palabre.ingest.domain.Rejection;
import io.palabre.ingest.messaging.MentionPublisher;
import io.palabre.ingest.service.MentionValidator.InvalidMentionException;

/**
 * Imports a stream of newline-delimited mentions line by line, in bounded memory, publishing each good line and
 * sending each bad one to the dead-letter topic with its reason.
 */
@ApplicationScoped
public class ImportService {

    private static final Logger LOG = Logger.getLogger(ImportService.class);
    private static final long ACK_TIMEOUT_SECONDS = 120;

    private final MentionValidator validator;
    private final MentionPublisher publisher;
    private final IngestConfig config;
    private final ImportJobs jobs;

    public ImportService(MentionValidator validator, MentionPublisher publisher, IngestConfig config,
            ImportJobs jobs) {
        this.validator = validator;
        this.publisher = publisher;
        this.config = config;
        this.jobs = jobs;
    }

    /** Formats that {@link #importStream} reads. */
    public static List<String> formats() {
        return List.of("palabre");
    }

    public ImportReport importStream(String format, InputStream body) throws IOException {
        String importId = UUID.randomUUID().toString();
        Instant startedAt = Instant.now();
        jobs.started(importId, format, startedAt);

        int maxInFlight = config.publishing().maxInFlight();
        Semaphore inFlight = new Semaphore(maxInFlight);
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ConcurrentLinkedQueue<ImportReport.LineProblem> problems = new ConcurrentLinkedQueue<>();
        long rejected = 0;
        long lines = 0;

        NdjsonLineReader reader = new NdjsonLineReader(body, config.imports().maxLineBytes());
        NdjsonLineReader.Line line;
        while ((line = reader.next()) != null) {
            if (line.problem() == null && line.text().isBlank()) {
                continue;
            }
            lines++;
            long number = line.number();
            String origin = "import:" + format + "/" + importId + "/line " + number;
            String reason = line.problem();
            MentionCaptured mention = null;
            if (reason == null) {
                try {
                    mention = validator.validate(line.text());
                } catch (InvalidMentionException e) {
                    reason = e.getMessage();
                }
            }
            acquire(inFlight);
            if (mention != null) {
                publisher.publish(mention).whenComplete((ok, error) -> {
                    if (error == null) {
                        accepted.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        problems.add(new ImportReport.LineProblem(number, "not published: " + error.getMessage()));
                    }
                    inFlight.release();
                });
            } else {
                rejected++;
                problems.add(new ImportReport.LineProblem(number, reason));
                String why = reason;
                publisher.reject(deadLetter(reason, line.text(), origin)).whenComplete((ok, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                        LOG.errorf("Line %d of import %s rejected (%s) but not dead-lettered: %s", number, importId,
                                why, error.getMessage());
                    }
                    inFlight.release();
                });
            }
        }
        awaitAll(inFlight, maxInFlight);

        List<ImportReport.LineProblem> sorted = new ArrayList<>(problems);
        sorted.sort((a, b) -> Long.compare(a.line(), b.line()));
        int cap = config.imports().maxReportedRejections();
        boolean truncated = sorted.size() > cap;
        List<ImportReport.LineProblem> listed = Collections.unmodifiableList(
                truncated ? new ArrayList<>(sorted.subList(0, cap)) : sorted);
        ImportReport report = new ImportReport(importId, format, startedAt, Instant.now(), reader.bytesRead(), lines,
                accepted.get(), rejected, failed.get(), listed, truncated);
        jobs.finished(report);
        LOG.infof("Import %s (%s): %d lines, %d accepted, %d rejected, %d failed", importId, format, lines,
                report.accepted(), rejected, report.failed());
        return report;
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

    private static void awaitAll(Semaphore inFlight, int permits) {
        try {
            if (!inFlight.tryAcquire(permits, ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new BrokerUnavailableException("The broker did not acknowledge every record within "
                        + ACK_TIMEOUT_SECONDS + " s", new TimeoutException());
            }
            inFlight.release(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("Interrupted while waiting for the broker");
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
