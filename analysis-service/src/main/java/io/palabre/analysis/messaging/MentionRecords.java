package io.palabre.analysis.messaging;


import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.palabre.analysis.domain.MentionCaptured;
import io.palabre.support.Failures;
import io.palabre.support.UntrustedText;

/**
 * Reads one record of {@code mentions}: a topic is untrusted input even though ingest-service checked it at the edge.
 * Ids with control characters are refused (changing an id would make it another post's); every other string is
 * cleaned ({@link UntrustedText}: control characters removed but tab and line ends, lone surrogates replaced) and cut
 * at {@value #MAX_TEXT_CHARS} characters (the contract's longest text); null items are dropped from arrays. The payload kept is the cleaned one, and one over {@value #MAX_PAYLOAD_CHARS} characters is refused, so
 * that what analysis publishes about it always fits in a record.
 */
@ApplicationScoped
public class MentionRecords {

    static final int MAX_TEXT_CHARS = 100_000;
    static final int MAX_PAYLOAD_CHARS = 512 * 1024;

    private final ObjectMapper mapper;

    public MentionRecords(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A usable mention and its payload as it will be stored. */
    public record Read(MentionCaptured mention, String payload) {
    }

    /** Why a record is not a usable mention. */
    public static final class UnusableException extends Exception {

        UnusableException(String reason) {
            super(reason, null, false, false);
        }
    }

    public Read read(String payload) throws UnusableException {
        if (payload == null) {
            throw new UnusableException("empty record (no value)");
        }
        try {
            JsonNode node = mapper.readTree(payload);
            if (node == null || !node.isObject()) {
                throw new UnusableException("not a mention: not a JSON object");
            }
            boolean changed = UntrustedText.cleanTree(node, MentionRecords::isId, MAX_TEXT_CHARS);
            MentionCaptured mention = mapper.treeToValue(node, MentionCaptured.class);
            String problem = mention.problem();
            if (problem != null) {
                throw new UnusableException(problem);
            }
            String stored = changed ? mapper.writeValueAsString(node) : payload;
            if (stored.length() > MAX_PAYLOAD_CHARS) {
                throw new UnusableException("a mention of " + stored.length() + " characters, over the limit of "
                        + MAX_PAYLOAD_CHARS);
            }
            return new Read(mention, stored);
        } catch (JsonProcessingException e) {
            throw new UnusableException("not a mention: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            throw new UnusableException("not a mention: " + Failures.reason(e));
        }
    }

    /** Fields that hold ids: checked by {@link MentionCaptured#problem()}, never altered. */
    private static boolean isId(String field) {
        return field.equals("id") || field.endsWith("Id") || field.equals("quoteOf") || field.equals("repostOf");
    }
}
