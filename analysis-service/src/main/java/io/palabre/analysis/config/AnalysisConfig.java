package io.palabre.analysis.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Business tunables of analysis-service. */
@ConfigMapping(prefix = "palabre.analysis")
public interface AnalysisConfig {

    /** Global graph metrics and dialogue snapshots. */
    Metrics metrics();

    interface Metrics {

        /** Whether this instance computes and publishes them (one instance at a time does, under a lock). */
        @WithDefault("true")
        boolean enabled();

        /** Shortest time between two runs. */
        @WithDefault("30s")
        Duration interval();

        /**
         * A run waits at least this many times its previous duration before the next, so global metrics never take
         * more than 1 / (1 + factor) of a core however large the graph grows.
         */
        @WithDefault("4")
        int spacingFactor();

        /** Source nodes sampled for approximate betweenness. */
        @WithDefault("128")
        int betweennessPivots();
    }
}
