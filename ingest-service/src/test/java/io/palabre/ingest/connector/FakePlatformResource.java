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
        return Map.of(
                "palabre.connectors.enabled", "false",
                "palabre.connectors.first-lookback", "20000d",
                "palabre.connectors.hackernews.enabled", "true",
                "palabre.connectors.hackernews.base-url", platform.url() + "/hn",
                "palabre.connectors.hackernews.max-hits", "200",
                "palabre.connectors.mastodon.enabled", "true",
                "palabre.connectors.mastodon.base-url", platform.url() + "/mastodon");
    }

    @Override
    public void stop() {
        platform.close();
    }
}
