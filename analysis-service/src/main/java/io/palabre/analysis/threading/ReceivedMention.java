package io.palabre.analysis.threading;

import io.palabre.analysis.domain.MentionCaptured;

/** One event read from {@code mentions}, with its JSON as received and where it was read. */
public record ReceivedMention(MentionCaptured mention, String json, String origin) {
}
