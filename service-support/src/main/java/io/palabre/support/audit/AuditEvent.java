package io.palabre.support.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.support.security.Identities;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * One write, as the audit log keeps it: who ({@code actor}, and {@code via} which credentials), did what
 * ({@code action}, such as {@code query.create}), to which thing ({@code target}), with which {@code outcome}
 * ({@code ok} or {@code refused}), and what else is worth knowing ({@code detail}). Services other than the dashboard
 * send their events on topic {@code audit} (docs/contracts/audit-event.schema.json).
 */
public record AuditEvent(String id, Instant at, String service, String actor, String via, String action,
        String target, String outcome, JsonNode detail) {

    public static final String OK = "ok";
    public static final String REFUSED = "refused";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A new event of {@code identity}'s, now. */
    public static AuditEvent of(String service, SecurityIdentity identity, String action, String target,
            String outcome, Map<String, ?> detail) {
        return new AuditEvent(UUID.randomUUID().toString(), Instant.now(), service, Identities.name(identity),
                Identities.via(identity), action, target, outcome, detail == null ? null : MAPPER.valueToTree(detail));
    }

    /** A new event of a named actor's (a person at login, before there is an identity; the launcher). */
    public static AuditEvent of(String service, String actor, String via, String action, String target,
            String outcome, Map<String, ?> detail) {
        return new AuditEvent(UUID.randomUUID().toString(), Instant.now(), service, actor, via, action, target,
                outcome, detail == null ? null : MAPPER.valueToTree(detail));
    }

    public String toJson() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", id);
        node.put("at", at.toString());
        node.put("service", service);
        node.put("actor", actor);
        node.put("via", via);
        node.put("action", action);
        node.put("target", target);
        node.put("outcome", outcome);
        node.set("detail", detail);
        return node.toString();
    }

    /** Reads an event of topic {@code audit}; empty if a required field is missing or unreadable. */
    public static Optional<AuditEvent> fromJson(String json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            String id = text(n, "id");
            String at = text(n, "at");
            String service = text(n, "service");
            String actor = text(n, "actor");
            String action = text(n, "action");
            String outcome = text(n, "outcome");
            if (id == null || at == null || service == null || actor == null || action == null || outcome == null) {
                return Optional.empty();
            }
            JsonNode detail = n.get("detail");
            return Optional.of(new AuditEvent(id, Instant.parse(at), service, actor,
                    Optional.ofNullable(text(n, "via")).orElse("unknown"), action, text(n, "target"), outcome,
                    detail == null || detail.isNull() ? null : detail));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
