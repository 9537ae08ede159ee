package io.palabre.support.security;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The state of one API token as every service knows it: whose it is, its role, the bcrypt hash of its secret, when it
 * expires and whether it was revoked. The secret itself is shown once, when the token is made, and never stored.
 *
 * <p>{@code version} grows with every change of the token, so that a service keeps the newest state whatever order
 * the states reach it in.
 *
 * <p>A token reads {@code plb_<id>_<secret>}: {@code id} is 16 hexadecimal characters that name the token without
 * revealing it (in lists, in the audit log), {@code secret} is 32 random bytes in URL-safe base64.
 */
public record AccessToken(String id, String user, String name, Role role, String secretHash, Instant createdAt,
        Instant expiresAt, Instant revokedAt, long version) {

    public static final String PREFIX = "plb_";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A token as presented by a caller, split into its id and its secret. */
    public record Presented(String id, String secret) {

        @Override
        public String toString() {
            return "Presented[id=" + id + "]";
        }
    }

    /** A new token's id and secret, drawn at random. */
    public static Presented draw() {
        String id = Secrets.randomHex(8);
        return new Presented(id, Secrets.random(32));
    }

    /** The text a caller presents: {@code plb_<id>_<secret>}. */
    public static String text(Presented token) {
        return PREFIX + token.id() + "_" + token.secret();
    }

    /** Whether the text looks like a Palabre token (and so is not, for instance, an identity provider's JWT). */
    public static boolean looksLikeOne(String text) {
        return text != null && text.startsWith(PREFIX);
    }

    /** The id and secret of a presented token, or empty if the text is not one. */
    public static Optional<Presented> parse(String text) {
        if (text == null || text.length() != PREFIX.length() + 16 + 1 + 43 || !text.startsWith(PREFIX)
                || text.charAt(PREFIX.length() + 16) != '_') {
            return Optional.empty();
        }
        String id = text.substring(PREFIX.length(), PREFIX.length() + 16);
        String secret = text.substring(PREFIX.length() + 17);
        if (!ID.matcher(id).matches() || !SECRET.matcher(secret).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Presented(id, secret));
    }

    /** Why the token cannot be used at {@code now}, or empty if it can. */
    public Optional<String> unusableAt(Instant now) {
        if (revokedAt != null) {
            return Optional.of("The token was revoked");
        }
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return Optional.of("The token has expired");
        }
        return Optional.empty();
    }

    public AccessToken revoked(Instant at) {
        return new AccessToken(id, user, name, role, secretHash, createdAt, expiresAt, at, version + 1);
    }

    public AccessToken withRole(Role newRole) {
        return new AccessToken(id, user, name, newRole, secretHash, createdAt, expiresAt, revokedAt, version + 1);
    }

    /** The record on topic {@code access-tokens}, keyed by the token's id. */
    public String toJson() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", id);
        node.put("user", user);
        node.put("name", name);
        node.put("role", role.id());
        node.put("secretHash", secretHash);
        node.put("createdAt", createdAt == null ? null : createdAt.toString());
        node.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        node.put("revokedAt", revokedAt == null ? null : revokedAt.toString());
        node.put("version", version);
        return node.toString();
    }

    /** Reads a record of topic {@code access-tokens}; empty if it is not a usable token state. */
    public static Optional<AccessToken> fromJson(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            String id = node.path("id").asText(null);
            String user = node.path("user").asText(null);
            Optional<Role> role = Role.parse(node.path("role").asText(null));
            String hash = node.path("secretHash").asText(null);
            if (id == null || !ID.matcher(id).matches() || user == null || role.isEmpty() || hash == null) {
                return Optional.empty();
            }
            return Optional.of(new AccessToken(id, user, node.path("name").asText(""), role.get(), hash,
                    instant(node, "createdAt"), instant(node, "expiresAt"), instant(node, "revokedAt"),
                    node.path("version").asLong(0)));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static Instant instant(JsonNode node, String field) {
        String text = node.path(field).asText(null);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an instant", e);
        }
    }

    @Override
    public String toString() {
        return "AccessToken[id=" + id + ", user=" + user + ", role=" + role + ", expiresAt=" + expiresAt
                + ", revokedAt=" + revokedAt + "]";
    }
}
