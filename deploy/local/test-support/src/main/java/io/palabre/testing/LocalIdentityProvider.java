package io.palabre.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenID Connect provider on loopback for tests, issuing real RS256-signed JWTs: discovery, a JWKS, an
 * authorization endpoint that logs the configured person in at once and sends the browser back with a code, a
 * token endpoint that exchanges the code, and a logout endpoint. Palabre's services verify its tokens with quarkus-oidc as they would a
 * Keycloak realm's; nothing in the service is replaced.
 */
public final class LocalIdentityProvider implements AutoCloseable {

    /** The person the authorization endpoint logs in, and the roles their tokens carry. */
    public record Person(String username, List<String> roles) {
    }

    private final HttpServer server;
    private final RsaJsonWebKey key;
    private final RsaJsonWebKey otherKey;
    private final Map<String, Map<String, String>> codes = new ConcurrentHashMap<>();
    private volatile Person person = new Person("oidc-analyst", List.of("analyst"));

    public LocalIdentityProvider() throws IOException, JoseException {
        key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId("palabre-test-" + UUID.randomUUID().toString().substring(0, 8));
        otherKey = RsaJwkGenerator.generateJwk(2048);
        otherKey.setKeyId(key.getKeyId());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/realms/palabre/.well-known/openid-configuration", this::discovery);
        server.createContext("/realms/palabre/jwks", this::jwks);
        server.createContext("/realms/palabre/authorize", this::authorize);
        server.createContext("/realms/palabre/token", this::token);
        server.createContext("/realms/palabre/logout", this::logout);
        server.start();
    }

    /** The issuer, and the value of {@code quarkus.oidc.auth-server-url}. */
    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/palabre";
    }

    /** Who the authorization endpoint logs in next. */
    public void logsIn(Person next) {
        person = next;
    }

    /** An access token for {@code username} with {@code roles} (as Keycloak puts them), valid for {@code ttl}. */
    public String accessToken(String username, List<String> roles, Duration ttl) {
        return sign(claims(username, roles, ttl, "palabre"), key);
    }

    /** The same, but signed with a key the provider never published. */
    public String forgedToken(String username, List<String> roles) {
        return sign(claims(username, roles, Duration.ofMinutes(5), "palabre"), otherKey);
    }

    private JwtClaims claims(String username, List<String> roles, Duration ttl, String audience) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer());
        claims.setSubject(UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString());
        claims.setAudience(audience);
        claims.setIssuedAt(NumericDate.fromSeconds(Instant.now().getEpochSecond() - 5));
        claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().plus(ttl).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("preferred_username", username);
        claims.setClaim("azp", "palabre");
        claims.setClaim("realm_access", Map.of("roles", roles));
        return claims;
    }

    private static String sign(JwtClaims claims, RsaJsonWebKey with) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(with.getPrivateKey());
        jws.setKeyIdHeaderValue(with.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        String base = issuer();
        respond(exchange, 200, "application/json", """
                {"issuer":"%1$s","jwks_uri":"%1$s/jwks","authorization_endpoint":"%1$s/authorize",
                 "token_endpoint":"%1$s/token","end_session_endpoint":"%1$s/logout",
                 "response_types_supported":["code"],
                 "subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]}"""
                .formatted(base));
    }

    private void jwks(HttpExchange exchange) throws IOException {
        respond(exchange, 200, "application/json", new JsonWebKeySet(key).toJson());
    }

    /** Logs the configured person in at once and sends the browser back with a one-time code. */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        String code = UUID.randomUUID().toString();
        Map<String, String> grant = new HashMap<>(query);
        grant.put("username", person.username());
        grant.put("roles", String.join(",", person.roles()));
        codes.put(code, grant);
        String back = query.get("redirect_uri") + (query.get("redirect_uri").contains("?") ? "&" : "?") + "code="
                + code + "&state=" + URLEncoder.encode(query.getOrDefault("state", ""), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Location", back);
        respond(exchange, 302, "text/plain", "");
    }

    /** Ends the provider's side of the session and sends the browser where the application asked. */
    private void logout(HttpExchange exchange) throws IOException {
        String back = form(exchange.getRequestURI().getRawQuery()).get("post_logout_redirect_uri");
        if (back != null) {
            exchange.getResponseHeaders().add("Location", back);
        }
        respond(exchange, back == null ? 200 : 302, "text/plain", "");
    }

    /** Exchanges a code, once, for an ID token and an access token. */
    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Map<String, String> grant = codes.remove(body.getOrDefault("code", ""));
        if (grant == null || !"authorization_code".equals(body.get("grant_type"))) {
            respond(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        List<String> roles = List.of(grant.get("roles").split(","));
        JwtClaims id = claims(grant.get("username"), roles, Duration.ofMinutes(5), grant.get("client_id"));
        if (grant.get("nonce") != null) {
            id.setClaim("nonce", grant.get("nonce"));
        }
        String access = sign(claims(grant.get("username"), roles, Duration.ofMinutes(5), "palabre"), key);
        respond(exchange, 200, "application/json", """
                {"access_token":"%s","id_token":"%s","token_type":"Bearer","expires_in":300}"""
                .formatted(access, sign(id, key)));
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
