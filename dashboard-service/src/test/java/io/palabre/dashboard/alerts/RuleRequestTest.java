package io.palabre.dashboard.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class RuleRequestTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void defaultsComeFromTheTypeAndAWebhookGetsASecret() {
        AlertRule r = new RuleRequest("Late answers", "unanswered", "x:acme", null, null, null, null, null, null,
                "https://hooks.example.org/palabre", null, null, List.of("team@example.org"), null)
                .toRule(0, null, "ops", NOW);
        assertEquals(RuleType.UNANSWERED, r.type());
        assertEquals(60.0, r.threshold());
        assertEquals(10_080, r.windowMinutes());
        assertEquals("generic", r.webhookFormat());
        assertTrue(r.webhookSecret().length() >= 40, r.webhookSecret());
        assertEquals("ops", r.createdBy());
        AlertRule again = new RuleRequest("Late answers", "unanswered", "x:acme", null, null, null, null, null, null,
                "https://hooks.example.org/palabre", null, null, List.of(), null).toRule(0, null, "ops", NOW);
        assertNotEquals(r.webhookSecret(), again.webhookSecret());
        AlertRule replaced = new RuleRequest("Late", "unanswered", "x:acme", null, null, 30.0, null, null, null,
                "https://hooks.example.org/palabre", "mattermost", null, List.of(), false)
                .toRule(r.id(), r, "other", NOW.plusSeconds(5));
        assertEquals(r.webhookSecret(), replaced.webhookSecret(), "kept unless a new one is given");
        assertEquals("slack", replaced.webhookFormat());
        assertEquals("ops", replaced.createdBy());
        assertEquals(false, replaced.enabled());
    }

    @Test
    void everyReasonIsGivenAtOnce() {
        RuleRequest.InvalidRuleException e = assertThrows(RuleRequest.InvalidRuleException.class,
                () -> new RuleRequest("\u0000", "response-rate", null, "q", null, 1.5, 10, -1, 99_999,
                        "ftp://x", "teams", "short", List.of("not an address"), null).toRule(0, null, "ops", NOW));
        assertEquals(11, e.errors().size(), e.errors().toString());
        assertThrows(RuleRequest.InvalidRuleException.class, () -> new RuleRequest("n", "sometimes", null, null, null,
                null, null, null, null, null, null, null, null, null).toRule(0, null, "ops", NOW));
    }

    @Test
    void aVolumeRuleTakesAQueryOrAHashtagAsStored() {
        AlertRule r = new RuleRequest("Spike", "volume-spike", null, "Acme", " #ＲａｉｌＳｔｒｉｋｅ ", null, null, null,
                null, null, null, null, null, null).toRule(0, null, "ops", NOW);
        assertEquals("railstrike", r.hashtag());
        assertEquals("Acme", r.query());
        assertNull(r.webhookSecret());
        assertThrows(RuleRequest.InvalidRuleException.class, () -> new RuleRequest("Spike", "volume-spike", "x:acme",
                null, null, null, null, null, null, null, null, null, null, null).toRule(0, null, "ops", NOW));
    }
}
