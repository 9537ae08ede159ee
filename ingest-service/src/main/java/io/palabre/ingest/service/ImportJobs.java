package io.palabre.ingest.service;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.palabre.ingest.domain.ImportJob;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/**
 * Keeps the record of each import, in short transactions of their own apart from the long streaming read.
 */
@ApplicationScoped
public class ImportJobs {

    @Transactional
    void started(String id, String format, Instant startedAt) {
        ImportJob job = new ImportJob();
        job.id = id;
        job.format = format;
        job.startedAt = startedAt;
        job.persist();
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
