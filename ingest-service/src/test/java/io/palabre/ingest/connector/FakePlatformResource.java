package io.palabre.ingest.connector;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts {@link FakePlatform} and points the connectors at it; the polling loop stays off so that tests drive
 * each cycle.
 */
public class FakePlatformResource implements QuarkusTestResourceLifecycleManager {

    /**
     * The platform credentials the tests give the connectors: distinctive, so that a search of every log of a test
     * run (SecretsStayOutOfLogsIT) finds them if any was printed.
     */
    public static final java.util.List<String> SECRETS = java.util.List.of("fake-app-password-7d1c90",
            "fake-client-secret-7d1c90", "fake-bearer-token-7d1c90", "fake-mastodon-token-7d1c90");

    static FakePlatform platform;

    @Override
    public Map<String, String> start() {
        platform = new FakePlatform();
        return Map.ofEntries(
                Map.entry("palabre.connectors.bluesky-search.enabled", "true"),
                Map.entry("palabre.connectors.bluesky-search.pds-url", platform.url() + "/pds"),
                Map.entry("palabre.connectors.bluesky-search.identifier", "palabre.test"),
                Map.entry("palabre.connectors.bluesky-search.app-password", SECRETS.get(0)),
                Map.entry("palabre.connectors.rss.enabled", "true"),
                Map.entry("palabre.connectors.reddit.enabled", "true"),
                Map.entry("palabre.connectors.reddit.base-url", platform.url() + "/reddit"),
                Map.entry("palabre.connectors.reddit.token-url", platform.url() + "/reddit-token/access_token"),
                Map.entry("palabre.connectors.reddit.client-id", "app"),
                Map.entry("palabre.connectors.reddit.client-secret", SECRETS.get(1)),
                Map.entry("palabre.connectors.reddit.subreddits", "kakapo"),
                Map.entry("palabre.connectors.x.enabled", "true"),
                Map.entry("palabre.connectors.x.base-url", platform.url() + "/x"),
                Map.entry("palabre.connectors.x.bearer-token", SECRETS.get(2)),
                Map.entry("palabre.connectors.x.filtered-stream", "true"),
                Map.entry("palabre.connectors.enabled", "false"),
                // The fakes answer on this machine: allowed by name only, so 127.0.0.1 stays refused.
                Map.entry("palabre.connectors.allowed-hosts", "localhost"),
                Map.entry("palabre.connectors.first-lookback", "20000d"),
                Map.entry("palabre.connectors.hackernews.enabled", "true"),
                Map.entry("palabre.connectors.hackernews.base-url", platform.url() + "/hn"),
                Map.entry("palabre.connectors.hackernews.max-hits", "200"),
                Map.entry("palabre.connectors.mastodon.enabled", "true"),
                Map.entry("palabre.connectors.mastodon.token", SECRETS.get(3)),
                Map.entry("palabre.connectors.mastodon.streaming", "true"),
                Map.entry("palabre.connectors.mastodon.stall-timeout", "2s"),
                Map.entry("palabre.connectors.mastodon.base-url", platform.url() + "/mastodon"));
    }

    @Override
    public void stop() {
        platform.close();
    }
}
