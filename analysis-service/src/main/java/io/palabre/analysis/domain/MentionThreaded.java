package io.palabre.analysis.domain;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * A stored mention with its conversation, published on {@code threaded-mentions}; contract in
 * docs/contracts/mention-threaded.schema.json.
 *
 * @param mention the stored canonical mention, as JSON text (written as is, not parsed again)
 */
public record MentionThreaded(String conversationId, boolean deleted, boolean edited, @JsonRawValue String mention) {
}
