package io.palabre.ingest.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.palabre.ingest.domain.ImportJob;
import io.palabre.ingest.messaging.AuditTrail;
import io.palabre.support.security.Identities;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/**
 * Keeps the record of each import, in short transactions of their own apart from the long streaming read.
 */
@ApplicationScoped
public class ImportJobs {

    /** Records the import's start, and who started it in the audit log, in one transaction. */
    @Transactional
    void started(String id, ImportService.Options options, Instant startedAt) {
        ImportJob job = new ImportJob();
        job.id = id;
        job.format = options.format();
        job.startedAt = startedAt;
        job.createdBy = Identities.name(options.by());
        job.persist();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("format", options.format());
        if (options.instance() != null) {
            detail.put("instance", options.instance());
        }
        if (options.query() != null) {
            detail.put("query", options.query());
        }
        AuditTrail.record(options.by(), "import.create", id, detail);
    }

    @Transactional
    void finished(ImportReport report) {
        ImportJob job = ImportJob.findById(report.importId());
        job.finishedAt = report.finishedAt();
        job.lines = report.lines();
        job.accepted = report.accepted();
        job.rejected = report.rejected();
        job.failed = report.failed();
        job.bytesRead = report.bytesRead();
    }

    @Transactional
    public Optional<ImportJob> find(String id) {
        return ImportJob.findByIdOptional(id);
    }

    @Transactional
    public List<ImportJob> latest(int limit) {
        return ImportJob.findAll(Sort.descending("startedAt")).page(Page.ofSize(limit)).list();
    }
}
