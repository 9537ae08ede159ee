package io.palabre.ingest.messaging;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A record waiting in the outbox to be published: saved in the same transaction as the change it tells of, removed
 * by {@link Outbox} once the broker has it.
 */
@Entity
@Table(name = "outbox")
public class OutboxRecord extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(nullable = false)
    public String topic;

    @Column(name = "record_key", nullable = false)
    public String recordKey;

    /** The record's value; null for a tombstone. */
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Adds a record to the outbox, in the caller's transaction. */
    public static void record(String topic, String key, String payload) {
        OutboxRecord r = new OutboxRecord();
        r.topic = topic;
        r.recordKey = key;
        r.payload = payload;
        r.createdAt = Instant.now();
        r.persist();
    }
}
