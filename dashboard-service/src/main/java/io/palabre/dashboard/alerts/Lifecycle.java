package io.palabre.dashboard.alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decisions of an alert's life, with no I/O: given what a rule finds holding now and its open alerts, which
 * alerts fire, which resolve, and which conditions are only recorded. One open alert per rule and key (deduplication);
 * a key that fired is not announced again before its rule's cooldown has passed since it last fired.
 */
public final class Lifecycle {

    private Lifecycle() {
    }

    /** An alert not yet resolved. */
    public record Open(long id, String key, boolean announced) {
    }

    /**
     * What to do. {@code fire}: new alerts to announce; {@code record}: new alerts to record unannounced;
     * {@code resolve}: open alerts whose condition no longer holds; {@code waiting}: conditions held back by the
     * cooldown (they fire at a later evaluation if they still hold).
     */
    public record Decisions(List<Condition> fire, List<Condition> record, List<Open> resolve,
            List<Condition> waiting) {
    }

    /**
     * @param holding what the rule finds now
     * @param complete whether {@code holding} is everything that holds (a capped list is not: nothing it lacks is
     *        resolved)
     * @param open the rule's open alerts
     * @param lastAnnounced when each key of {@code holding} last fired, where it did
     * @param firstLook whether this is the rule's first evaluation
     */
    public static Decisions decide(Collection<Condition> holding, boolean complete, Collection<Open> open,
            Map<String, Instant> lastAnnounced, RuleType type, Duration cooldown, boolean firstLook, Instant now) {
        Map<String, Open> openByKey = new HashMap<>();
        open.forEach(o -> openByKey.put(o.key(), o));
        Map<String, Condition> holdingByKey = new HashMap<>();
        List<Condition> fire = new ArrayList<>();
        List<Condition> record = new ArrayList<>();
        List<Condition> waiting = new ArrayList<>();
        for (Condition c : holding) {
            if (holdingByKey.putIfAbsent(c.key(), c) != null || openByKey.containsKey(c.key())) {
                continue;
            }
            if (firstLook && type.announcesOnlyChanges()) {
                record.add(c);
                continue;
            }
            Instant last = lastAnnounced.get(c.key());
            if (last != null && now.isBefore(last.plus(cooldown))) {
                waiting.add(c);
            } else {
                fire.add(c);
            }
        }
        List<Open> resolve = new ArrayList<>();
        if (complete) {
            for (Open o : open) {
                if (!holdingByKey.containsKey(o.key())) {
                    resolve.add(o);
                }
            }
        }
        return new Decisions(fire, record, resolve, waiting);
    }
}
