package io.palabre.support.security;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.palabre.support.Problems;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * How every Palabre service learns who calls: an API token ({@code Authorization: Bearer plb_…}) or, in the service
 * that serves the web UI, the session cookie. A token that is malformed, unknown, revoked or expired is refused with a
 * 401 that says why; a stale session cookie counts as no credentials. When an identity provider is configured
 * ({@code palabre.security.oidc.enabled}), bearer tokens that are not Palabre's are left to it, and so, with
 * {@code palabre.security.oidc.web-login}, is the browser's login.
 *
 * <p>Without credentials, a protected API answers 401 {@code application/problem+json}; a page of the web UI sends
 * the browser to the login page.
 */
@ApplicationScoped
public class PalabreAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** Routing-context key: why the presented credentials were refused. */
    static final String REFUSAL = "palabre.auth.refusal";
    static final String REALM = "Bearer realm=\"palabre\"";
    static final String REQUIRED = "Authentication is required: send Authorization: Bearer <API token>, or log in to "
            + "the web UI";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Instance<Sessions> sessions;
    private final Optional<String> loginPage;
    private final boolean otherBearerTokens;
    private final boolean providerLogin;

    public PalabreAuthenticationMechanism(Instance<Sessions> sessions,
            @ConfigProperty(name = "palabre.security.login-page") Optional<String> loginPage,
            @ConfigProperty(name = "palabre.security.oidc.enabled", defaultValue = "false") boolean oidc,
            @ConfigProperty(name = "palabre.security.oidc.web-login", defaultValue = "false") boolean webLogin) {
        this.sessions = sessions;
        this.loginPage = loginPage;
        this.otherBearerTokens = oidc;
        this.providerLogin = oidc && webLogin;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String authorization = context.request().getHeader(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null) {
            return bearer(context, identities, authorization.trim());
        }
        if (sessions.isResolvable()) {
            Cookie cookie = context.request().getCookie(Sessions.COOKIE);
            if (cookie != null && !cookie.getValue().isEmpty()) {
                return identities.authenticate(request(new Credentials.Session(cookie.getValue()), context))
                        .onFailure(AuthenticationFailedException.class).recoverWithNull();
            }
        }
        return Uni.createFrom().nullItem();
    }

    private Uni<SecurityIdentity> bearer(RoutingContext context, IdentityProviderManager identities, String header) {
        if (header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return otherBearerTokens ? Uni.createFrom().nullItem()
                    : refuse(context, "Only bearer tokens are accepted: Authorization: Bearer <token>");
        }
        String value = header.substring(7).trim();
        if (!AccessToken.looksLikeOne(value)) {
            return otherBearerTokens ? Uni.createFrom().nullItem()
                    : refuse(context, "The bearer token is not a Palabre API token (plb_…)");
        }
        Optional<AccessToken.Presented> token = AccessToken.parse(value);
        if (token.isEmpty()) {
            return refuse(context, "The API token is malformed");
        }
        return identities.authenticate(request(new Credentials.Token(token.get()), context))
                .onFailure(AuthenticationFailedException.class)
                .invoke(e -> context.put(REFUSAL, e.getMessage()));
    }

    private static AuthenticationRequest request(AuthenticationRequest request, RoutingContext context) {
        return HttpSecurityUtils.setRoutingContextAttribute(request, context);
    }

    private static Uni<SecurityIdentity> refuse(RoutingContext context, String reason) {
        context.put(REFUSAL, reason);
        return Uni.createFrom().failure(new AuthenticationFailedException(reason));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE, REALM));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        HttpServerResponse response = context.response();
        if (response.headWritten()) {
            return Uni.createFrom().item(true);
        }
        if (providerLogin && wantsPage(context)) {
            // The identity provider's login (its authorization code flow) takes the browser.
            return Uni.createFrom().item(false);
        }
        if (loginPage.isPresent() && wantsPage(context)) {
            String next = context.request().uri();
            response.setStatusCode(302).putHeader(HttpHeaderNames.LOCATION,
                    loginPage.get() + "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            return Uni.createFrom().item(true);
        }
        String refusal = context.get(REFUSAL);
        sendProblem(context, refusal);
        return Uni.createFrom().item(true);
    }

    /** Ends the response with a 401 problem; {@code refusal} says why the credentials were refused, if they were. */
    static void sendProblem(RoutingContext context, String refusal) {
        String body;
        try {
            body = MAPPER.writeValueAsString(Problems.body(401, "Unauthorized", refusal != null ? refusal : REQUIRED));
        } catch (JsonProcessingException e) {
            body = "{\"status\":401}";
        }
        context.response().setStatusCode(401)
                .putHeader(HttpHeaderNames.WWW_AUTHENTICATE, refusal == null ? REALM : REALM + ", error=\"invalid_token\"")
                .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .putHeader(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .end(body);
    }

    private static boolean wantsPage(RoutingContext context) {
        HttpMethod method = context.request().method();
        String path = context.normalizedPath();
        String accept = context.request().getHeader(HttpHeaderNames.ACCEPT);
        return (method == HttpMethod.GET || method == HttpMethod.HEAD) && !path.startsWith("/api/")
                && !path.startsWith("/q/") && accept != null && accept.contains("text/html");
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(Credentials.Token.class, Credentials.Session.class);
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }
}
