package io.palabre.dashboard.alerts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a delivery says, per channel: the generic webhook payload (docs/contracts/alert-webhook.schema.json), the
 * Slack- and Mattermost-compatible one ({@code text}), and the e-mail.
 */
final class AlertMessages {

    private final ObjectMapper mapper;
    private final Optional<String> dashboardUrl;

    AlertMessages(ObjectMapper mapper, Optional<String> dashboardUrl) {
        this.mapper = mapper;
        this.dashboardUrl = dashboardUrl.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    }

    /** Where the alert is shown in the web UI, when the dashboard's address is set. */
    Optional<String> link(AlertStore.Alert alert) {
        return dashboardUrl.map(u -> u + "/#/alerts/" + alert.id());
    }

    byte[] generic(AlertStore.Due due) {
        AlertStore.Alert a = due.alert();
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("id", a.id());
        alert.put("ruleId", a.ruleId());
        alert.put("ruleName", a.ruleName());
        alert.put("type", a.type());
        alert.put("key", a.key());
        alert.put("state", due.event());
        alert.put("summary", a.summary());
        alert.put("details", a.details());
        alert.put("firedAt", a.firedAt().toString());
        alert.put("resolvedAt", a.resolvedAt() == null ? null : a.resolvedAt().toString());
        alert.put("url", link(a).orElse(null));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deliveryId", due.id());
        body.put("event", due.event());
        body.put("alert", alert);
        return write(body);
    }

    /** Slack's incoming webhooks and Mattermost's take {@code text} in their markdown. */
    byte[] chat(AlertStore.Due due) {
        AlertStore.Alert a = due.alert();
        String mark = "fired".equals(due.event()) ? ":rotating_light:" : ":white_check_mark:";
        StringBuilder text = new StringBuilder(mark).append(" *").append(escape(a.ruleName())).append("* ")
                .append("fired".equals(due.event()) ? "fired" : "resolved").append(": ").append(escape(a.summary()));
        link(a).ifPresent(u -> text.append(" <").append(u).append("|open in Palabre>"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text.toString());
        body.put("username", "Palabre");
        return write(body);
    }

    String subject(AlertStore.Due due) {
        return "[Palabre] " + ("fired".equals(due.event()) ? "Alert: " : "Resolved: ") + due.alert().ruleName();
    }

    String text(AlertStore.Due due) {
        AlertStore.Alert a = due.alert();
        StringBuilder text = new StringBuilder();
        text.append(a.summary()).append("\n\n");
        text.append("Rule: ").append(a.ruleName()).append(" (").append(a.type()).append(")\n");
        text.append("Fired at: ").append(a.firedAt()).append('\n');
        if (a.resolvedAt() != null) {
            text.append("Resolved at: ").append(a.resolvedAt()).append('\n');
        }
        a.details().forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        link(a).ifPresent(u -> text.append("\n").append(u).append('\n'));
        return text.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private byte[] write(Map<String, Object> body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An alert that cannot be written as JSON", e);
        }
    }
}
