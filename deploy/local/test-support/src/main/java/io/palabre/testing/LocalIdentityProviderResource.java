package io.palabre.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Turns on the OIDC mode of the service under test against a {@link LocalIdentityProvider}, and gives the test that
 * provider (a field of its type) to mint tokens.
 */
public class LocalIdentityProviderResource implements QuarkusTestResourceLifecycleManager {

    private LocalIdentityProvider provider;

    @Override
    public Map<String, String> start() {
        try {
            provider = new LocalIdentityProvider();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the local identity provider", e);
        }
        return Map.of(
                "palabre.security.oidc.enabled", "true",
                "quarkus.oidc.auth-server-url", provider.issuer(),
                "quarkus.oidc.client-id", "palabre",
                "quarkus.oidc.credentials.secret", "fake-oidc-client-secret-7d1c90");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(provider, new TestInjector.MatchesType(LocalIdentityProvider.class));
    }

    @Override
    public void stop() {
        if (provider != null) {
            provider.close();
        }
    }
}
