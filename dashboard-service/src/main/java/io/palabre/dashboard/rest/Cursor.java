package io.palabre.dashboard.rest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import io.palabre.dashboard.rest.ProblemMappers.BadParameterException;

/**
 * An opaque keyset cursor: the sort instant and id of the last item of a page.
 */
public record Cursor(Instant at, String id) {

    public String encode() {
        String raw = at.toString() + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor from a previous page, or null when none is given. */
    public static Cursor decode(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            return new Cursor(Instant.parse(raw.substring(0, bar)), raw.substring(bar + 1));
        } catch (RuntimeException e) {
            throw new BadParameterException("cursor is not one this API returned: " + value);
        }
    }
}
