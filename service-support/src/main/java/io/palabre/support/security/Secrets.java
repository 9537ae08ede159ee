package io.palabre.support.security;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import org.wildfly.security.password.Password;
import org.wildfly.security.password.PasswordFactory;
import org.wildfly.security.password.WildFlyElytronPasswordProvider;
import org.wildfly.security.password.interfaces.BCryptPassword;
import org.wildfly.security.password.util.ModularCrypt;

import io.quarkus.elytron.security.common.BcryptUtil;

/**
 * Passwords and token secrets: drawn at random, stored only as bcrypt hashes (modular crypt format), checked against
 * them.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A random secret of {@code bytes} bytes, URL-safe base64 without padding. */
    public static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** {@code bytes} random bytes in lower-case hexadecimal. */
    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    /** The SHA-256 of a text, in hexadecimal: for looking up high-entropy secrets (session ids), not passwords. */
    public static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bcrypt hash of a secret (cost 10), in modular crypt format. */
    public static String hash(String secret) {
        return BcryptUtil.bcryptHash(secret, 10);
    }

    /** Whether the secret matches the hash; a hash that cannot be read matches nothing. */
    public static boolean matches(String secret, String hash) {
        try {
            Password stored = ModularCrypt.decode(hash);
            if (!(stored instanceof BCryptPassword)) {
                return false;
            }
            PasswordFactory factory = PasswordFactory.getInstance(BCryptPassword.ALGORITHM_BCRYPT,
                    WildFlyElytronPasswordProvider.getInstance());
            return factory.verify(factory.translate(stored), secret.toCharArray());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
