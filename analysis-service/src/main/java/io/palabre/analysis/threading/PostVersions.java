package io.palabre.analysis.threading;

import java.time.Instant;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Which version of a post wins, the same in any arrival order: the newest by the platform's time; at the same time an
 * edit before the original; then the larger payload, so that two captures of the same edit (by two connectors, say)
 * always settle on the same one.
 */
final class PostVersions {

    private PostVersions() {
    }

    /** Whether the version (time, edit or not, payload) wins over the current one; its kind is read only at a tie. */
    static boolean isNewer(Instant at, boolean edit, String payload, Instant currentAt, BooleanSupplier currentEdit,
            String currentPayload) {
        int byTime = at.compareTo(currentAt);
        if (byTime != 0) {
            return byTime > 0;
        }
        boolean current = currentEdit.getAsBoolean();
        if (edit != current) {
            return edit;
        }
        return payload.compareTo(currentPayload) > 0;
    }

    /** Whether a stored payload is an edit (read only when two versions carry the same time). */
    static boolean isEdit(ObjectMapper mapper, String payload) {
        try {
            return "edit".equals(mapper.readTree(payload).path("kind").asText());
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
