package io.palabre.analysis.domain;

import java.time.Instant;
import java.util.Map;

import io.palabre.analysis.messaging.AnalysisPublisher.Keyed;

/**
 * Graph metrics of one account over the whole relationship graph, published on {@code account-metrics}; contract
 * in docs/contracts/account-metrics.schema.json.
 *
 * @param pagerank PageRank on all relationships together (weights summed), ranks summing to 1
 * @param pagerankByType PageRank on each relationship type's graph alone
 * @param core k-core number in the undirected graph of all relationships
 * @param betweenness approximate betweenness (sampled pivots), unnormalised
 * @param reciprocity share of the account's partners that it has relationships with in both directions
 * @param community community number of the run over the whole graph (Leiden on the undirected weighted graph), 0
 *     being the largest
 * @param subCommunity the part of that community its own structure splits it into, numbered across the graph (a
 *     community that does not split is one sub-community)
 * @param degrees per relationship type and "all": distinct partners in and out, and weights in and out
 */
public record AccountMetrics(String accountId, long runId, Instant computedAt, double pagerank,
        Map<String, Double> pagerankByType, int core, double betweenness, double reciprocity, int community,
        int subCommunity, Map<String, Degrees> degrees) implements Keyed {

    /** Distinct accounts and summed weights, towards the account and from it. */
    public record Degrees(int in, int out, long weightedIn, long weightedOut) {
    }

    @Override
    public String key() {
        return accountId;
    }
}
