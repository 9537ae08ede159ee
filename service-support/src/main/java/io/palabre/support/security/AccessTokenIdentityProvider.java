package io.palabre.support.security;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Checks an API token against its latest state ({@link AccessTokenStore}): unknown, revoked and expired tokens are
 * refused with the reason, a known one by its secret's bcrypt hash. A bcrypt check costs tens of milliseconds, so a
 * secret once verified against a hash is remembered (as its SHA-256) and later requests cost a lookup; revocation and
 * expiry are still checked on every request.
 */
@ApplicationScoped
public class AccessTokenIdentityProvider implements IdentityProvider<Credentials.Token> {

    private static final int REMEMBERED = 10_000;

    private final AccessTokenStore store;
    private final Clock clock;
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    public AccessTokenIdentityProvider(AccessTokenStore store) {
        this.store = store;
        this.clock = Clock.systemUTC();
    }

    @Override
    public Class<Credentials.Token> getRequestType() {
        return Credentials.Token.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(Credentials.Token request, AuthenticationRequestContext context) {
        AccessToken.Presented presented = request.token();
        Optional<AccessToken> known = store.find(presented.id());
        if (known.isEmpty()) {
            return refuse(store.ready() ? "The token is not known" : "The token is not known yet: this service is "
                    + "still reading the tokens (" + store.problem() + ")");
        }
        AccessToken token = known.get();
        Optional<String> unusable = token.unusableAt(clock.instant());
        if (unusable.isPresent()) {
            return refuse(unusable.get());
        }
        String proof = Secrets.sha256(token.secretHash() + "\n" + presented.secret());
        if (proof.equals(verified.get(token.id()))) {
            return Uni.createFrom().item(identity(token));
        }
        return context.runBlocking(() -> {
            if (!Secrets.matches(presented.secret(), token.secretHash())) {
                throw new AuthenticationFailedException("The token is not valid");
            }
            if (verified.size() >= REMEMBERED) {
                verified.clear();
            }
            verified.put(token.id(), proof);
            return identity(token);
        });
    }

    private static SecurityIdentity identity(AccessToken token) {
        return Identities.of(token.user(), token.role(), "token " + token.id());
    }

    private static Uni<SecurityIdentity> refuse(String reason) {
        return Uni.createFrom().failure(new AuthenticationFailedException(reason));
    }
}
