package io.palabre.ingest.query;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A change of a listening query waiting in the outbox to be published on topic {@code queries}; saved in the same
 * transaction as the change, removed by {@link QueryOutbox} once the broker has it.
 */
@Entity
@Table(name = "query_outbox")
public class QueryChange extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(name = "query_id", nullable = false)
    public String queryId;

    /** The query's state as JSON; null when it was deleted. */
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    static void record(String queryId, String payload) {
        QueryChange change = new QueryChange();
        change.queryId = queryId;
        change.payload = payload;
        change.createdAt = Instant.now();
        change.persist();
    }
}
