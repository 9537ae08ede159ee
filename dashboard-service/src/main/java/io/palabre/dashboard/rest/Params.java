package io.palabre.dashboard.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

import io.palabre.dashboard.rest.ProblemMappers.BadParameterException;

/**
 * Checks of query parameters shared by the endpoints, each failing with a 400 that names the parameter.
 */
final class Params {

    static final Set<String> PLATFORMS = Set.of("mastodon", "bluesky", "reddit", "hackernews", "x", "rss", "other");

    private Params() {
    }

    static int limit(String text, int defaultValue, int max) {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new BadParameterException("limit must be a whole number between 1 and " + max + ", not " + text);
        }
        if (value < 1 || value > max) {
            throw new BadParameterException("limit must be between 1 and " + max + ", not " + value);
        }
        return value;
    }

    /** A whole number from min to max, or the default when absent; a 400 naming the parameter otherwise. */
    static int bounded(String name, String text, int defaultValue, int min, int max) {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadParameterException(name + " must be a whole number from " + min + " to " + max + ", not "
                + text);
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadParameterException(name + " must be an RFC 3339 instant such as 2026-01-31T12:00:00Z, not "
                    + value);
        }
    }

    /** A window [from, to) must not be empty or reversed; either end may be open (null). */
    static void requireOrdered(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new BadParameterException("from must be before to");
        }
    }

    static String platform(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!PLATFORMS.contains(value)) {
            throw new BadParameterException("platform must be one of " + PLATFORMS + ", not " + value);
        }
        return value;
    }
}
