package io.palabre.dashboard.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An alert rule as stored. {@code webhookSecret} signs the webhook's deliveries; the API shows it only once, when the
 * rule is made.
 */
public record AlertRule(long id, String name, RuleType type, String accountId, String query, String hashtag,
        double threshold, int windowMinutes, int minCount, int cooldownMinutes, String webhookUrl,
        String webhookFormat, String webhookSecret, List<String> emails, boolean enabled, String createdBy,
        Instant createdAt, Instant updatedAt, Instant evaluatedAt) {

    public Duration cooldown() {
        return Duration.ofMinutes(cooldownMinutes);
    }

    public Duration window() {
        return Duration.ofMinutes(windowMinutes);
    }

    /** Where a fired or resolved alert of this rule is delivered, beside the UI: channel and target. */
    public List<Channel> channels() {
        List<Channel> channels = new java.util.ArrayList<>();
        if (webhookUrl != null) {
            channels.add(new Channel("webhook", webhookUrl));
        }
        emails.forEach(address -> channels.add(new Channel("email", address)));
        return channels;
    }

    /** One place a delivery goes. */
    public record Channel(String channel, String target) {
    }
}
