package io.palabre.analysis.domain;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A stored mention with its conversation, published on {@code threaded-mentions}; contract in
 * docs/contracts/mention-threaded.schema.json.
 */
public record MentionThreaded(String conversationId, boolean deleted, boolean edited, JsonNode mention) {
}
