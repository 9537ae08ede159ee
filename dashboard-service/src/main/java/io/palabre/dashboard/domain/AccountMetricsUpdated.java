package io.palabre.dashboard.domain;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * An account's graph metrics as read from topic {@code account-metrics}
 * (docs/contracts/account-metrics.schema.json).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccountMetricsUpdated(String accountId, long runId, Instant computedAt, double pagerank,
        JsonNode pagerankByType, int core, double betweenness, double reciprocity, int community,
        Integer subCommunity, Map<String, Degrees> degrees) {

    /** Distinct partners and weights, in and out. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Degrees(int in, int out, long weightedIn, long weightedOut) {
    }
}
