package io.palabre.dashboard.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A conversation that turned out to be a fragment of another; {@code intoId} is always a live conversation.
 */
@Entity
@Table(name = "merged_conversation")
public class MergedConversation extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "into_id")
    public String intoId;
}
