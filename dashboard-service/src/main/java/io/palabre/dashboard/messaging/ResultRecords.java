package io.palabre.dashboard.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.dashboard.domain.AccountMetricsUpdated;
import io.palabre.dashboard.domain.ConversationUpdated;
import io.palabre.dashboard.domain.MentionThreaded;
import io.palabre.dashboard.domain.RelationshipUpdated;
import io.palabre.support.Failures;
import io.palabre.support.UntrustedText;

/**
 * Reads one record of analysis-service's topics into what the read model applies, checked for the fields the read
 * model cannot do without. A topic is untrusted input even when analysis-service wrote it: every string, names of
 * fields included, is cleaned ({@link UntrustedText}; PostgreSQL's text and jsonb cannot hold U+0000) and cut at
 * {@value #MAX_CHARS} characters, and null items are dropped from arrays.
 */
@ApplicationScoped
public class ResultRecords {

    /** The longest string kept: a post's text is capped at this length upstream, and so is the full-text index. */
    static final int MAX_CHARS = 100_000;

    private final ObjectMapper mapper;

    public ResultRecords(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Why a record cannot be used. */
    public static final class UnreadableException extends Exception {

        UnreadableException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** What the record says, or null for a tombstone (nothing analysis publishes deletes that way). */
    public Object parse(String topic, String value) throws UnreadableException {
        if (value == null) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(value);
            if (node == null || !node.isObject()) {
                throw new UnreadableException("not a JSON object");
            }
            UntrustedText.cleanTree(node, field -> false, MAX_CHARS);
            return switch (topic) {
                case "conversations" -> conversation(mapper.treeToValue(node, ConversationUpdated.class));
                case "relationships" -> relationship(mapper.treeToValue(node, RelationshipUpdated.class));
                case "account-metrics" -> accountMetrics(mapper.treeToValue(node, AccountMetricsUpdated.class));
                case "threaded-mentions" -> mention(mapper.treeToValue(node, MentionThreaded.class));
                default -> throw new UnreadableException("a record of topic " + topic + ", which this consumer "
                        + "does not read");
            };
        } catch (JsonProcessingException e) {
            throw new UnreadableException(e.getOriginalMessage());
        } catch (RuntimeException e) {
            throw new UnreadableException(Failures.reason(e));
        }
    }

    private static ConversationUpdated conversation(ConversationUpdated c) throws UnreadableException {
        require(c.id(), "id");
        time(c.firstActivityAt(), "firstActivityAt");
        time(c.lastActivityAt(), "lastActivityAt");
        time(c.updatedAt(), "updatedAt");
        return c;
    }

    private static RelationshipUpdated relationship(RelationshipUpdated r) throws UnreadableException {
        require(r.sourceId(), "sourceId");
        require(r.targetId(), "targetId");
        require(r.type(), "type");
        return r;
    }

    private static AccountMetricsUpdated accountMetrics(AccountMetricsUpdated a) throws UnreadableException {
        require(a.accountId(), "accountId");
        return a;
    }

    private static MentionThreaded mention(MentionThreaded t) throws UnreadableException {
        require(t.conversationId(), "conversationId");
        MentionThreaded.Mention m = t.mention();
        require(m, "mention");
        require(m.id(), "mention.id");
        require(m.platform(), "mention.platform");
        require(m.kind(), "mention.kind");
        time(m.createdAt(), "mention.createdAt");
        if (t.postedAt() != null) {
            time(t.postedAt(), "postedAt");
        }
        require(m.author(), "mention.author");
        require(m.author().id(), "mention.author.id");
        return t;
    }

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** A time the read model can store and serve: years 1 to 9999. */
    private static void time(Instant value, String field) throws UnreadableException {
        require(value, field);
        if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
            throw new UnreadableException(field + " out of range (years 1 to 9999): " + value);
        }
    }

    private static void require(Object value, String field) throws UnreadableException {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw new UnreadableException("missing " + field);
        }
    }
}
