package io.palabre.dashboard.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * Something a rule finds holding now: its {@code key} deduplicates (one open alert per rule and key), the summary and
 * details say what holds, and {@code evidenceAt} is the time of the newest mention it rests on, when there is one.
 */
public record Condition(String key, String summary, Map<String, Object> details, Instant evidenceAt) {

    /** A condition known by its key only, described when it must be written. */
    public static Condition undescribed(String key) {
        return new Condition(key, null, null, null);
    }

    public boolean isDescribed() {
        return summary != null;
    }
}
