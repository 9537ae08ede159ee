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

    ThreadCompletion threadCompletion();

    /** The public Bluesky AppView, for threads ({@code app.bsky.feed.getPostThread}). */
    @WithDefault("https://public.api.bsky.app")
    String blueskyAppviewUrl();

    Mastodon mastodon();

    X x();

    Reddit reddit();

    @io.smallrye.config.WithName("bluesky-search")
    BlueskySearch blueskySearch();

    Rss rss();

    @io.smallrye.config.WithName("bluesky-jetstream")
    Jetstream jetstream();

    /** Caps on what platforms send, so that no answer, line or frame can exhaust memory. */
    Limits limits();

    /**
     * Hosts connectors may reach even though they resolve to a loopback, private or link-local address (by default
     * none: see OutboundGuard); the tests' local fakes are allowed this way.
     */
    Optional<java.util.List<String>> allowedHosts();

    /** Caps on platform input; what goes over is refused or dead-lettered with the reason, never held whole. */
    interface Limits {

        /** A platform answer longer than this is refused (the call fails with the reason and is retried later). */
        @WithDefault("16777216")
        int maxBodyBytes();

        /** A stream line (server-sent events, X's filtered stream) longer than this is dead-lettered, cut. */
        @WithDefault("1048576")
        int maxLineChars();

        /** A WebSocket message (Jetstream) longer than this is dead-lettered, cut. */
        @WithDefault("1048576")
        int maxFrameChars();

        /** Jetstream publications the broker has not acknowledged yet, at most: beyond it the stream is paused. */
        @WithDefault("5000")
        int maxInFlight();

        /** How long the ids of statuses that streams delivered are kept, to forward their deletes. */
        @WithDefault("P90D")
        Duration streamIdsRetention();
    }

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

        /** Also follow the hashtags live through the streaming API (needs the token). */
        @WithDefault("false")
        boolean streaming();

        /** The streaming server, when the instance serves it elsewhere ({@code configuration.urls.streaming}). */
        Optional<String> streamingUrl();

        /** Silence longer than this (heartbeats count) means the stream stalled. */
        @WithDefault("60s")
        Duration stallTimeout();
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

        /** Also follow the queries live through the filtered stream (rules kept in step with the queries). */
        @WithDefault("false")
        boolean filteredStream();

        /** X sends a keep-alive every 20 s: silence longer than this means the stream stalled. */
        @WithDefault("30s")
        Duration stallTimeout();
    }

    /** The Bluesky Jetstream firehose over WebSocket, filtered by the listening queries (it has no keyword filter). */
    interface Jetstream {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("wss://jetstream2.us-east.bsky.network/subscribe")
        String url();

        /** No event for this long means the stream stalled: reconnect, and report not ready meanwhile. */
        @WithDefault("30s")
        Duration stallTimeout();

        /** How often the cursor is saved (after what it covers is published). */
        @WithDefault("5s")
        Duration cursorInterval();

        /** On reconnect, resume this far before the saved cursor; duplicates are harmless. */
        @WithDefault("5s")
        Duration rewind();

        /** Jetstream keeps this much history: a longer outage is a gap. */
        @WithDefault("36h")
        Duration lookback();
    }

    /** Reddit through OAuth (application-only, client credentials): search, and new comments of chosen subreddits. */
    interface Reddit {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("https://oauth.reddit.com")
        String baseUrl();

        @WithDefault("https://www.reddit.com/api/v1/access_token")
        String tokenUrl();

        /** From PALABRE_CONNECTORS_REDDIT_CLIENT_ID. */
        Optional<String> clientId();

        /** From PALABRE_CONNECTORS_REDDIT_CLIENT_SECRET. */
        Optional<String> clientSecret();

        /** Reddit asks for {@code <platform>:<app id>:<version> (by /u/<user>)}. */
        @WithDefault("server:io.palabre:0.1 (by /u/palabre)")
        String userAgent();

        /** Subreddits whose new comments are read and filtered by the queries (search only finds submissions). */
        Optional<java.util.List<String>> subreddits();

        @WithDefault("5")
        int maxPages();
    }

    /** RSS and Atom feeds named in the queries' accounts as {@code rss:<feed url>}. */
    interface Rss {
        @WithDefault("false")
        boolean enabled();
    }

    /** Fetching the missing ancestors of collected replies. */
    interface ThreadCompletion {
        @WithDefault("true")
        boolean enabled();

        /** How many ancestors up one reply may reach. */
        @WithDefault("20")
        int maxDepth();

        /** Platform calls per connector cycle at most; the parents beyond are recorded as gaps. */
        @WithDefault("50")
        int maxFetchesPerCycle();
    }

    /** Bluesky {@code searchPosts} through an authenticated session (an app password). */
    interface BlueskySearch {
        @WithDefault("false")
        boolean enabled();

        /** The PDS that authenticates and serves search. */
        @WithDefault("https://bsky.social")
        String pdsUrl();

        /** Handle or DID; from PALABRE_CONNECTORS_BLUESKY_SEARCH_IDENTIFIER. */
        Optional<String> identifier();

        /** An app password; from PALABRE_CONNECTORS_BLUESKY_SEARCH_APP_PASSWORD. */
        Optional<String> appPassword();

        @WithDefault("5")
        int maxPages();
    }
}
