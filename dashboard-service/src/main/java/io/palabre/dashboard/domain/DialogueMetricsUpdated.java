package io.palabre.dashboard.domain;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Dialogue metrics of an organisation account for one window as read from topic {@code dialogue-metrics}
 * (docs/contracts/dialogue-metrics.schema.json): kept whole, served as they are.
 */
public record DialogueMetricsUpdated(String accountId, String window, Instant computedAt, JsonNode metrics) {
}
