package io.palabre.ingest.connector;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts {@link FakePlatform} and points the connectors at it; the polling loop stays off so that tests drive
 * each cycle.
 */
public class FakePlatformResource implements QuarkusTestResourceLifecycleManager {

    static FakePlatform platform;

    @Override
    public Map<String, String> start() {
        platform = new FakePlatform();
        return Map.ofEntries(
                Map.entry("palabre.connectors.bluesky-search.enabled", "true"),
                Map.entry("palabre.connectors.bluesky-search.pds-url", platform.url() + "/pds"),
                Map.entry("palabre.connectors.bluesky-search.identifier", "palabre.test"),
                Map.entry("palabre.connectors.bluesky-search.app-password", "app-password"),
                Map.entry("palabre.connectors.rss.enabled", "true"),
                Map.entry("palabre.connectors.reddit.enabled", "true"),
                Map.entry("palabre.connectors.reddit.base-url", platform.url() + "/reddit"),
                Map.entry("palabre.connectors.reddit.token-url", platform.url() + "/reddit-token/access_token"),
                Map.entry("palabre.connectors.reddit.client-id", "app"),
                Map.entry("palabre.connectors.reddit.client-secret", "secret"),
                Map.entry("palabre.connectors.reddit.subreddits", "kakapo"),
                Map.entry("palabre.connectors.x.enabled", "true"),
                Map.entry("palabre.connectors.x.base-url", platform.url() + "/x"),
                Map.entry("palabre.connectors.x.bearer-token", "test-token"),
                Map.entry("palabre.connectors.x.filtered-stream", "true"),
                Map.entry("palabre.connectors.enabled", "false"),
                Map.entry("palabre.connectors.first-lookback", "20000d"),
                Map.entry("palabre.connectors.hackernews.enabled", "true"),
                Map.entry("palabre.connectors.hackernews.base-url", platform.url() + "/hn"),
                Map.entry("palabre.connectors.hackernews.max-hits", "200"),
                Map.entry("palabre.connectors.mastodon.enabled", "true"),
                Map.entry("palabre.connectors.mastodon.token", "mastodon-token"),
                Map.entry("palabre.connectors.mastodon.streaming", "true"),
                Map.entry("palabre.connectors.mastodon.stall-timeout", "2s"),
                Map.entry("palabre.connectors.mastodon.base-url", platform.url() + "/mastodon"));
    }

    @Override
    public void stop() {
        platform.close();
    }
}
