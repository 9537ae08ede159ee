package io.palabre.ingest.query;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A listening query: the terms, hashtags and accounts to collect on some platforms, and the organisation's own
 * accounts, whose dialogue Palabre measures.
 */
@Entity
@Table(name = "listening_query")
public class ListeningQuery extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false, unique = true)
    public String name;

    /** Boolean terms, e.g. {@code "acme rail" OR acmerail -job}. */
    @Column(nullable = false)
    public String terms;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    public String[] hashtags;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    public String[] accounts;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    public String[] platforms;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "organisation_accounts", nullable = false)
    public String[] organisationAccounts;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public int version;
}
