package io.palabre.dashboard.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LifecycleTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final Duration COOLDOWN = Duration.ofMinutes(60);

    @Test
    void aNewConditionFiresAndAnOpenOneIsNotFiredAgain() {
        Lifecycle.Decisions d = Lifecycle.decide(List.of(c("a"), c("b"), c("a")), true,
                List.of(new Lifecycle.Open(1, "b", true)), Map.of(), RuleType.UNANSWERED, COOLDOWN, false, NOW);
        assertEquals(List.of("a"), keys(d.fire()), "one alert per key, b is open already");
        assertTrue(d.resolve().isEmpty());
    }

    @Test
    void anOpenAlertWhoseConditionNoLongerHoldsResolvesUnlessTheListIsPartial() {
        List<Lifecycle.Open> open = List.of(new Lifecycle.Open(1, "a", true), new Lifecycle.Open(2, "b", true));
        Lifecycle.Decisions complete = Lifecycle.decide(List.of(c("b")), true, open, Map.of(), RuleType.UNANSWERED,
                COOLDOWN, false, NOW);
        assertEquals(List.of(1L), complete.resolve().stream().map(Lifecycle.Open::id).toList());
        Lifecycle.Decisions partial = Lifecycle.decide(List.of(c("b")), false, open, Map.of(), RuleType.UNANSWERED,
                COOLDOWN, false, NOW);
        assertTrue(partial.resolve().isEmpty(), "a capped list says nothing of what it lacks");
    }

    @Test
    void aKeyThatFiredWithinTheCooldownWaitsThenFires() {
        Map<String, Instant> last = Map.of("a", NOW.minus(Duration.ofMinutes(59)));
        Lifecycle.Decisions held = Lifecycle.decide(List.of(c("a")), true, List.of(), last, RuleType.VOLUME_SPIKE,
                COOLDOWN, false, NOW);
        assertTrue(held.fire().isEmpty());
        assertEquals(List.of("a"), keys(held.waiting()));
        Lifecycle.Decisions later = Lifecycle.decide(List.of(c("a")), true, List.of(), last, RuleType.VOLUME_SPIKE,
                COOLDOWN, false, NOW.plus(Duration.ofMinutes(1)));
        assertEquals(List.of("a"), keys(later.fire()));
    }

    @Test
    void aRankingAnnouncesOnlyWhoEntersAfterItsFirstLook() {
        Lifecycle.Decisions first = Lifecycle.decide(List.of(c("x"), c("y")), true, List.of(), Map.of(),
                RuleType.PAGERANK_TOP, COOLDOWN, true, NOW);
        assertTrue(first.fire().isEmpty());
        assertEquals(List.of("x", "y"), keys(first.record()));
        Lifecycle.Decisions next = Lifecycle.decide(List.of(c("x"), c("z")), true,
                List.of(new Lifecycle.Open(1, "x", false), new Lifecycle.Open(2, "y", false)), Map.of(),
                RuleType.PAGERANK_TOP, COOLDOWN, false, NOW);
        assertEquals(List.of("z"), keys(next.fire()));
        assertEquals(List.of(2L), next.resolve().stream().map(Lifecycle.Open::id).toList());
        Lifecycle.Decisions otherTypes = Lifecycle.decide(List.of(c("m")), true, List.of(), Map.of(),
                RuleType.RESPONSE_RATE, COOLDOWN, true, NOW);
        assertEquals(List.of("m"), keys(otherTypes.fire()), "what holds at a first look fires for other rules");
    }

    private static Condition c(String key) {
        return new Condition(key, "summary " + key, Map.of(), null);
    }

    private static List<String> keys(List<Condition> conditions) {
        return conditions.stream().map(Condition::key).toList();
    }
}
