package io.palabre.dashboard.access;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.palabre.support.UntrustedText;
import io.palabre.support.audit.AuditEvent;
import io.palabre.support.security.AccessToken;
import io.palabre.support.security.Identities;
import io.palabre.support.security.Role;
import io.palabre.support.security.Secrets;
import io.palabre.support.security.Sessions;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The built-in mode's users, API tokens and web sessions: the rules (who may make what, which role a token may
 * have, how long it lives, when logins are throttled), each change stored with its audit event in one transaction,
 * and token changes published to every service before the call returns.
 */
@ApplicationScoped
public class AccessService implements Sessions {

    public static final String SERVICE = "dashboard-service";
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");
    private static final int MIN_PASSWORD = 12;
    private static final int MAX_PASSWORD_BYTES = 72;
    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    /** A user as served. */
    public record UserView(String username, String role, Instant createdAt, String createdBy) {

        static UserView of(AccessStore.User u) {
            return new UserView(u.username(), u.role().id(), u.createdAt(), u.createdBy());
        }
    }

    /** A user just made; {@code password} is set only when Palabre drew it, and is shown this once. */
    public record NewUser(String username, String role, String password) {
    }

    /** A token as served: never its secret. {@code propagated}: every service has its latest state. */
    public record TokenView(String id, String user, String name, String role, Instant createdAt, String createdBy,
            Instant expiresAt, Instant revokedAt, String revokedBy, boolean propagated) {

        static TokenView of(AccessStore.Token t) {
            return new TokenView(t.id(), t.username(), t.name(), t.role().id(), t.createdAt(), t.createdBy(),
                    t.expiresAt(), t.revokedAt(), t.revokedBy(), t.publishedVersion() >= t.version());
        }
    }

    /** A token just made, with its text ({@code plb_…}), shown this once. */
    public record NewToken(TokenView token, String secret) {
    }

    /** A session just opened: the cookie's value, and what the page needs. */
    public record Login(String username, String role, String sessionId, String csrfToken, Instant expiresAt) {
    }

    private final AccessStore store;
    private final AuditLog audit;
    private final TokenPublisher publisher;
    private final AccessConfig config;
    private final String dummyHash = Secrets.hash(Secrets.random(16));

    public AccessService(AccessStore store, AuditLog audit, TokenPublisher publisher, AccessConfig config) {
        this.store = store;
        this.audit = audit;
        this.publisher = publisher;
        this.config = config;
    }

    // Users

    public List<UserView> users() {
        return tx(() -> store.users().stream().map(UserView::of).toList());
    }

    public UserView user(String username) {
        return tx(() -> store.findUser(normalised(username)).map(UserView::of)
                .orElseThrow(() -> AccessException.notFound("No user " + printable(username))));
    }

    public NewUser createUser(SecurityIdentity by, String username, String roleName, String password) {
        String name = validUsername(username);
        Role role = validRole(roleName);
        String drawn = password == null ? Secrets.random(18) : null;
        String hash = Secrets.hash(validPassword(drawn != null ? drawn : password));
        tx(() -> {
            if (!store.insertUser(name, role, hash, Identities.name(by))) {
                throw AccessException.conflict("A user named " + name + " exists already");
            }
            audit.record(AuditEvent.of(SERVICE, by, "user.create", name, AuditEvent.OK, Map.of("role", role.id())));
            return null;
        });
        return new NewUser(name, role.id(), drawn);
    }

    /** Changes a user's role or password (null: unchanged). A lower role caps the user's tokens at once. */
    public UserView updateUser(SecurityIdentity by, String username, String roleName, String password) {
        String name = normalised(username);
        Role role = roleName == null ? null : validRole(roleName);
        String hash = password == null ? null : Secrets.hash(validPassword(password));
        UserView updated = tx(() -> {
            AccessStore.User user = store.findUser(name)
                    .orElseThrow(() -> AccessException.notFound("No user " + printable(username)));
            Map<String, Object> detail = new LinkedHashMap<>();
            if (role != null && role != user.role()) {
                if (user.role() == Role.ADMIN && store.countAdmins() <= 1) {
                    throw AccessException.conflict(name + " is the last admin; make another admin first");
                }
                store.updateRole(name, role);
                detail.put("role", role.id());
                detail.put("previousRole", user.role().id());
            }
            if (hash != null) {
                store.updatePassword(name, hash);
                store.deleteSessionsOf(name);
                detail.put("password", "changed");
            }
            audit.record(AuditEvent.of(SERVICE, by, "user.update", name, AuditEvent.OK, detail));
            return UserView.of(store.findUser(name).orElseThrow());
        });
        publisher.nudge();
        return updated;
    }

    /** Deletes a user: its sessions end and its tokens are revoked. */
    public void deleteUser(SecurityIdentity by, String username) {
        String name = normalised(username);
        if (name.equals(Identities.name(by))) {
            throw AccessException.conflict("You cannot delete yourself");
        }
        int revoked = tx(() -> {
            AccessStore.User user = store.findUser(name)
                    .orElseThrow(() -> AccessException.notFound("No user " + printable(username)));
            if (user.role() == Role.ADMIN && store.countAdmins() <= 1) {
                throw AccessException.conflict(name + " is the last admin");
            }
            int n = store.revokeTokensOf(name, Identities.name(by), Instant.now());
            store.deleteUser(name);
            audit.record(AuditEvent.of(SERVICE, by, "user.delete", name, AuditEvent.OK, Map.of("tokensRevoked", n)));
            return n;
        });
        if (revoked > 0) {
            publisher.nudge();
        }
    }

    // Tokens

    /** Tokens, newest first: an admin's choice of user (or everyone's), anyone else's own. */
    public List<TokenView> tokens(SecurityIdentity by, String username, int limit) {
        String owner = isAdmin(by) ? (username == null || username.isBlank() ? null : normalised(username))
                : Identities.name(by);
        return tx(() -> store.tokens(owner, limit).stream().map(TokenView::of).toList());
    }

    /**
     * Makes a token for {@code username} (the caller's own when null; only an admin makes them for others), with at
     * most the owner's role and the caller's, for {@code days} days.
     */
    public NewToken createToken(SecurityIdentity by, String username, String name, String roleName, Integer days) {
        String caller = Identities.name(by);
        String owner = username == null || username.isBlank() ? caller : normalised(username);
        if (!owner.equals(caller) && !isAdmin(by)) {
            throw AccessException.forbidden("Only an admin makes tokens for someone else");
        }
        String label = name == null ? "" : UntrustedText.clean(name, true, 100).trim();
        if (label.isEmpty()) {
            throw AccessException.invalid("name: required, what the token is for (1 to 100 characters)");
        }
        int lifetime = days == null ? config.tokenDays() : days;
        if (lifetime < 1 || lifetime > config.maxTokenDays()) {
            throw AccessException.invalid("expiresInDays: between 1 and " + config.maxTokenDays());
        }
        Role callerRole = Identities.role(by).orElseThrow(() -> AccessException.forbidden("No role"));
        AccessToken.Presented drawn = AccessToken.draw();
        String hash = Secrets.hash(drawn.secret());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AccessStore.Token made = tx(() -> {
            Role ownerRole = store.findUser(owner).map(AccessStore.User::role)
                    .orElseGet(() -> owner.equals(caller) ? callerRole : null);
            if (ownerRole == null) {
                throw AccessException.notFound("No user " + printable(owner));
            }
            Role ceiling = Role.min(ownerRole, callerRole);
            Role role = roleName == null ? ceiling : validRole(roleName);
            if (!ceiling.holds(role)) {
                throw AccessException.forbidden("A token for " + owner + " can have at most the role " + ceiling.id());
            }
            AccessStore.Token token = new AccessStore.Token(drawn.id(), owner, label, role, hash, now, caller,
                    now.plus(Duration.ofDays(lifetime)), null, null, 1, 0);
            store.insertToken(token);
            audit.record(AuditEvent.of(SERVICE, by, "token.create", drawn.id(), AuditEvent.OK,
                    Map.of("user", owner, "name", label, "role", role.id(), "expiresAt",
                            token.expiresAt().toString())));
            return token;
        });
        boolean propagated = publisher.awaitPublished(made.id(), PROPAGATION);
        TokenView view = TokenView.of(made);
        return new NewToken(new TokenView(view.id(), view.user(), view.name(), view.role(), view.createdAt(),
                view.createdBy(), view.expiresAt(), null, null, propagated), AccessToken.text(drawn));
    }

    /** Revokes a token (an admin any, anyone else their own) and waits until every service knows. */
    public TokenView revokeToken(SecurityIdentity by, String id) {
        String caller = Identities.name(by);
        tx(() -> {
            AccessStore.Token token = store.findToken(id)
                    .filter(t -> isAdmin(by) || t.username().equals(caller))
                    .orElseThrow(() -> AccessException.notFound("No token " + printable(id)));
            if (store.revokeToken(token.id(), caller, Instant.now())) {
                audit.record(AuditEvent.of(SERVICE, by, "token.revoke", token.id(), AuditEvent.OK,
                        Map.of("user", token.username(), "name", token.name())));
            }
            return null;
        });
        publisher.awaitPublished(id, PROPAGATION);
        return tx(() -> store.findToken(id).map(TokenView::of).orElseThrow());
    }

    // Sessions

    /**
     * Opens a session for a user name and password. Refused (429) after too many failures for the name or from the
     * address within the window; a wrong name and a wrong password are refused alike, in the same time.
     */
    public Login login(String username, String password, String address) {
        String name = username == null ? "" : username.trim().toLowerCase(java.util.Locale.ROOT);
        String printableName = printable(name);
        Instant now = Instant.now();
        Duration window = config.login().failureWindow();
        AccessStore.Failures failures = tx(() -> store.failures(printableName, address, now.minus(window)));
        Instant oldest = null;
        if (failures.ofUser() >= config.login().maxFailuresPerUser()) {
            oldest = failures.oldestOfUser();
        } else if (failures.ofAddress() >= config.login().maxFailuresPerAddress()) {
            oldest = failures.oldestOfAddress();
        }
        if (oldest != null) {
            long wait = Math.max(1, Duration.between(now, oldest.plus(window)).toSeconds() + 1);
            tx(() -> audit.record(AuditEvent.of(SERVICE, printableName, "session", "session.login", printableName,
                    AuditEvent.REFUSED, Map.of("reason", "throttled", "address", address))));
            throw AccessException.tooManyAttempts(wait);
        }
        Optional<AccessStore.User> user = tx(() -> USERNAME.matcher(name).matches() ? store.findUser(name)
                : Optional.<AccessStore.User> empty());
        boolean matches = Secrets.matches(password == null ? "" : password,
                user.map(AccessStore.User::passwordHash).orElse(dummyHash));
        if (user.isEmpty() || !matches) {
            tx(() -> {
                store.recordFailure(printableName, address);
                audit.record(AuditEvent.of(SERVICE, printableName, "session", "session.login", printableName,
                        AuditEvent.REFUSED, Map.of("reason", "wrong credentials", "address", address)));
                return null;
            });
            throw AccessException.wrongCredentials();
        }
        String sessionId = Secrets.random(32);
        String csrf = Secrets.random(24);
        Instant expires = now.plus(config.sessionLifetime());
        tx(() -> {
            store.insertSession(Secrets.sha256(sessionId), name, csrf, expires);
            store.deleteExpiredSessions();
            store.purgeFailures(now.minus(Duration.ofDays(1)));
            audit.record(AuditEvent.of(SERVICE, name, "session", "session.login", name, AuditEvent.OK,
                    Map.of("address", address)));
            return null;
        });
        return new Login(name, user.get().role().id(), sessionId, csrf, expires);
    }

    public void logout(SecurityIdentity by, String sessionId) {
        tx(() -> {
            store.deleteSession(Secrets.sha256(sessionId));
            audit.record(AuditEvent.of(SERVICE, by, "session.logout", Identities.name(by), AuditEvent.OK, null));
            return null;
        });
    }

    @Override
    public Optional<Live> find(String sessionId) {
        if (sessionId.length() > 100) {
            return Optional.empty();
        }
        return tx(() -> store.findSession(Secrets.sha256(sessionId)));
    }

    // The first admin

    /** Makes the first admin (and its token) from the bootstrap settings when there is no user; true if it did. */
    public boolean bootstrap() {
        AccessConfig.Bootstrap b = config.bootstrap();
        if (b.adminPassword().isEmpty()) {
            return false;
        }
        String name = validUsername(b.adminUser());
        String hash = Secrets.hash(validPassword(b.adminPassword().get()));
        Optional<AccessToken.Presented> token = b.adminToken().map(t -> AccessToken.parse(t.trim())
                .orElseThrow(() -> AccessException.invalid("The bootstrap admin token is not of the form "
                        + "plb_<16 hex>_<43 base64url>")));
        String tokenHash = token.map(t -> Secrets.hash(t.secret())).orElse(null);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return tx(() -> {
            if (store.countUsers() > 0 || !store.insertUser(name, Role.ADMIN, hash, "bootstrap")) {
                return false;
            }
            audit.record(AuditEvent.of(SERVICE, "bootstrap", "configuration", "user.create", name, AuditEvent.OK,
                    Map.of("role", Role.ADMIN.id())));
            if (token.isPresent() && store.findToken(token.get().id()).isEmpty()) {
                store.insertToken(new AccessStore.Token(token.get().id(), name, "bootstrap", Role.ADMIN, tokenHash,
                        now, "bootstrap", now.plus(Duration.ofDays(b.tokenDays())), null, null, 1, 0));
                audit.record(AuditEvent.of(SERVICE, "bootstrap", "configuration", "token.create", token.get().id(),
                        AuditEvent.OK, Map.of("user", name, "name", "bootstrap", "role", Role.ADMIN.id())));
            }
            return true;
        });
    }

    public boolean hasUsers() {
        return tx(() -> store.countUsers() > 0);
    }

    // Rules

    private static boolean isAdmin(SecurityIdentity identity) {
        return identity.hasRole(Role.ADMIN_NAME);
    }

    private static String normalised(String username) {
        return username == null ? "" : username.trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static String validUsername(String username) {
        String name = normalised(username);
        if (!USERNAME.matcher(name).matches()) {
            throw AccessException.invalid("username: 1 to 64 of a-z, 0-9, '.', '_', '@', '-', starting with a letter "
                    + "or digit");
        }
        return name;
    }

    private static Role validRole(String role) {
        return Role.parse(role).orElseThrow(() -> AccessException.invalid("role: one of analyst, operator, admin"));
    }

    private static String validPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw AccessException.invalid("password: at least " + MIN_PASSWORD + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw AccessException.invalid("password: at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8");
        }
        if (UntrustedText.unusable(password) >= 0) {
            throw AccessException.invalid("password: no control characters");
        }
        return password;
    }

    private static String printable(String text) {
        return UntrustedText.clean(text == null ? "" : text, false, 64);
    }

    private static <T> T tx(Callable<T> work) {
        try {
            return QuarkusTransaction.requiringNew().call(work);
        } catch (io.quarkus.narayana.jta.QuarkusTransactionException e) {
            if (e.getCause() instanceof AccessException a) {
                throw a;
            }
            throw e;
        }
    }
}
