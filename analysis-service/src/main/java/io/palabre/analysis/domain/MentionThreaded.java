package io.palabre.analysis.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;

import java.time.Instant;
import java.util.List;

/**
 * A stored mention with its conversation and what analysis derived from it, published on
 * {@code threaded-mentions}; contract in docs/contracts/mention-threaded.schema.json.
 *
 * @param mentionId the stored mention's id, for this service only (not published: the mention carries it)
 * @param lang the platform's language, else the detected one, else null
 * @param hashtags normalised hashtags
 * @param links normalised links
 * @param relationships the relationships the mention makes, as far as the authors it points at are known (it is
 *        published again when one becomes known); empty when deleted
 * @param postedAt when the post was made: the earliest of its versions received (the original's, once it has come)
 * @param version grows with every change of the stored mention, so that consumers keep its latest state
 * @param mention the stored canonical mention, as JSON text (written as is, not parsed again): its newest version
 */
public record MentionThreaded(@JsonIgnore String mentionId, String conversationId, boolean deleted, boolean edited,
        String lang, boolean langDetected, List<String> hashtags, List<String> links, List<Target> relationships,
        Instant postedAt, long version, @JsonRawValue String mention) {

    /** One relationship the mention makes: its type and the account it points at. */
    public record Target(String type, String accountId) {
    }
}
