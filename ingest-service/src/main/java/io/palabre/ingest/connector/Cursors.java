package io.palabre.ingest.connector;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Cursors that hold one position per listing (per hashtag, per subreddit, per feed), stored as a JSON object.
 */
public final class Cursors {

    private Cursors() {
    }

    /** The positions of a stored cursor; none for a first poll or a cursor of an older, unreadable form. */
    public static <V> Map<String, V> read(ObjectMapper json, String cursor, TypeReference<Map<String, V>> type) {
        if (cursor == null) {
            return Map.of();
        }
        try {
            return json.readValue(cursor, type);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    public static String write(ObjectMapper json, Map<String, ?> positions) {
        try {
            return json.writeValueAsString(positions);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A cursor that cannot be written", e);
        }
    }
}
