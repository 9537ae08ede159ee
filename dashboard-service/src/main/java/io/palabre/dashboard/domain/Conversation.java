package io.palabre.dashboard.domain;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A conversation of the read model.
 */
@Entity
@Table(name = "conversation")
public class Conversation extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "root_present")
    public boolean rootPresent;

    public int size;

    public int depth;

    public int participants;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] platforms;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] languages;

    @Column(name = "first_activity_at")
    public Instant firstActivityAt;

    @Column(name = "last_activity_at")
    public Instant lastActivityAt;

    @Column(name = "max_branching")
    public int maxBranching;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "organisation_took_part")
    public boolean organisationTookPart;
}
