package io.palabre.support.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Hashing and checking secrets, alone: plain JUnit.
 */
class SecretsTest {

    @Test
    void aSecretMatchesItsHashAndNothingElse() {
        String secret = Secrets.random(24);
        String hash = Secrets.hash(secret);
        assertTrue(hash.startsWith("$2"), hash);
        assertFalse(hash.contains(secret));
        assertTrue(Secrets.matches(secret, hash));
        assertFalse(Secrets.matches(secret + "x", hash));
        assertFalse(Secrets.matches(secret, "not a hash"));
        assertNotEquals(Secrets.random(24), Secrets.random(24));
    }
}
