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
 * A mention of the read model, in the conversation it belongs to.
 */
@Entity
@Table(name = "mention")
public class Mention extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "conversation_id")
    public String conversationId;

    public String platform;

    public String kind;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "author_id")
    public String authorId;

    @Column(name = "author_handle")
    public String authorHandle;

    @Column(name = "author_display_name")
    public String authorDisplayName;

    public String text;

    public String lang;

    public String url;

    @Column(name = "reply_to_id")
    public String replyToId;

    @Column(name = "quote_of")
    public String quoteOf;

    @Column(name = "repost_of")
    public String repostOf;

    public boolean deleted;

    public boolean edited;

    @Column(name = "lang_detected")
    public boolean langDetected;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] hashtags;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] links;

    public String query;
}
