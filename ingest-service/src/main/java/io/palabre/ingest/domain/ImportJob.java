package io.palabre.ingest.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The record of one file import: what came in and what became of it.
 */
@Entity
@Table(name = "import_job")
public class ImportJob extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String format;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(nullable = false)
    public long lines;

    @Column(nullable = false)
    public long accepted;

    @Column(nullable = false)
    public long rejected;

    @Column(nullable = false)
    public long failed;

    @Column(name = "bytes_read", nullable = false)
    public long bytesRead;

    /** Who started it (null for imports older than the record of it). */
    @Column(name = "created_by")
    public String createdBy;
}
