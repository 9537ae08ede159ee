package io.palabre.support.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * API tokens' text and states, and how roles nest, alone: plain JUnit.
 */
class AccessTokenTest {

    @Test
    void aDrawnTokenReadsBackAndNothingElseDoes() {
        AccessToken.Presented drawn = AccessToken.draw();
        String text = AccessToken.text(drawn);
        assertEquals(drawn, AccessToken.parse(text).orElseThrow());
        assertFalse(drawn.toString().contains(drawn.secret()), "the secret stays out of toString");
        assertTrue(AccessToken.parse(text + "x").isEmpty());
        assertTrue(AccessToken.parse(text.substring(0, text.length() - 1)).isEmpty());
        assertTrue(AccessToken.parse(text.replace("plb_", "plx_")).isEmpty());
        assertTrue(AccessToken.parse("plb_" + "G".repeat(16) + "_" + drawn.secret()).isEmpty(), "id is hexadecimal");
        assertTrue(AccessToken.parse("plb_" + drawn.id() + "_" + "é".repeat(43)).isEmpty());
        assertTrue(AccessToken.parse(null).isEmpty());
    }

    @Test
    void aStateSurvivesTheTopicAndSaysWhyItCannotBeUsed() {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        AccessToken state = new AccessToken("0123456789abcdef", "alice", "notebook", Role.OPERATOR, "$2a$10$hash",
                now.minusSeconds(60), now.plusSeconds(60), null, 3);
        assertEquals(state, AccessToken.fromJson(state.toJson()).orElseThrow());
        assertTrue(state.unusableAt(now).isEmpty());
        assertEquals("The token has expired", state.unusableAt(now.plusSeconds(60)).orElseThrow());
        AccessToken revoked = state.revoked(now);
        assertEquals(4, revoked.version());
        assertEquals("The token was revoked", revoked.unusableAt(now).orElseThrow());
        assertTrue(AccessToken.fromJson("{\"id\":\"0123456789abcdef\",\"user\":\"a\",\"role\":\"root\"}").isEmpty());
        assertTrue(AccessToken.fromJson("not json").isEmpty());
    }

    @Test
    void rolesNest() {
        assertEquals(Set.of("analyst", "operator", "admin"), Role.ADMIN.held());
        assertEquals(Set.of("analyst", "operator"), Role.OPERATOR.held());
        assertEquals(Set.of("analyst"), Role.ANALYST.held());
        assertTrue(Role.ADMIN.holds(Role.ANALYST) && !Role.ANALYST.holds(Role.OPERATOR));
        assertEquals(Role.OPERATOR, Role.highest(java.util.List.of("analyst", "operator", "unknown")).orElseThrow());
        assertEquals(Role.ANALYST, Role.min(Role.ADMIN, Role.ANALYST));
        assertEquals(Role.ADMIN, Role.parse(" Admin ").orElseThrow());
    }
}
