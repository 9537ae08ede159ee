package io.palabre.dashboard.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.palabre.dashboard.rest.ProblemMappers.BadParameterException;

/**
 * A window [from, to) of a question, named ({@code 24h}, {@code 7d}, {@code 30d}, {@code all}: ending now) or given by
 * its ends ({@code custom}), checked once: a 400 names what is wrong.
 */
record TimeWindow(String label, Instant from, Instant to) {

    /** The named windows, by label; {@code all} starts at the epoch. */
    static final Map<String, Duration> NAMED = named();

    private static Map<String, Duration> named() {
        Map<String, Duration> named = new LinkedHashMap<>();
        named.put("24h", Duration.ofHours(24));
        named.put("7d", Duration.ofDays(7));
        named.put("30d", Duration.ofDays(30));
        named.put("all", null);
        return java.util.Collections.unmodifiableMap(named);
    }

    /**
     * Either {@code window} (a name; {@code fallback} when nothing is given) or {@code from} and optionally {@code to}
     * (RFC 3339; {@code to} defaults to now), never both.
     */
    static TimeWindow of(String window, String from, String to, String fallback, Instant now) {
        Instant start = Params.instant("from", from);
        Instant end = Params.instant("to", to);
        boolean named = window != null && !window.isBlank();
        if (start == null && end == null) {
            String label = named ? window.strip() : fallback;
            if (!NAMED.containsKey(label)) {
                throw new BadParameterException("window must be one of " + String.join(", ", NAMED.keySet())
                        + ", not " + label);
            }
            Duration length = NAMED.get(label);
            return new TimeWindow(label, length == null ? Instant.EPOCH : now.minus(length), now);
        }
        if (named) {
            throw new BadParameterException("give either window or from and to, not both");
        }
        if (start == null) {
            throw new BadParameterException("from is required with to");
        }
        end = end == null ? now : end;
        Params.requireOrdered(start, end);
        return new TimeWindow("custom", start, end);
    }

    /** Whether this is one of the named windows, which end now. */
    boolean isNamed() {
        return NAMED.containsKey(label);
    }
}
