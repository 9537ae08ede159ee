package io.palabre.ingest.connector;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Connector settings. Every connector is off until enabled, and base URLs are configurable, so that tests and
 * offline machines point them at local fakes. Credentials come from the environment (never logged).
 */
@ConfigMapping(prefix = "palabre.connectors")
public interface ConnectorsConfig {

    /** Run the polling loop. */
    @WithDefault("false")
    boolean enabled();

    /** Pause between two cycles of one connector. */
    @WithDefault("60s")
    Duration interval();

    /** How far back a query's first poll looks. */
    @WithDefault("24h")
    Duration firstLookback();

    /** Longest wait after repeated failures. */
    @WithDefault("15m")
    Duration maxBackoff();

    HackerNews hackernews();

    Mastodon mastodon();

    X x();

    /** Hacker News through Algolia search (no credentials). */
    interface HackerNews {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("https://hn.algolia.com")
        String baseUrl();

        /** Algolia returns at most this many hits per query: more since the cursor is a gap. */
        @WithDefault("1000")
        int maxHits();
    }

    /** One Mastodon instance's hashtag timelines. */
    interface Mastodon {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("https://mastodon.social")
        String baseUrl();

        /** A user token (read:statuses), for instances that require one; from PALABRE_CONNECTORS_MASTODON_TOKEN. */
        Optional<String> token();

        @WithDefault("10")
        int maxPages();
    }

    /** X API v2 recent search (the last 7 days), with an app bearer token. */
    interface X {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("https://api.x.com")
        String baseUrl();

        /** App-only bearer token; from PALABRE_CONNECTORS_X_BEARER_TOKEN. */
        Optional<String> bearerToken();

        @WithDefault("5")
        int maxPages();
    }
}
