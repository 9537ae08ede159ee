package io.palabre.ingest.connector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.palabre.ingest.domain.MentionCaptured;

/**
 * What one platform payload became: mentions, items that could not be mapped (with the reason, for the
 * dead-letter topic), and items that are deliberately not mentions (likes, follows, profile updates), counted by
 * reason so that nothing disappears unexplained.
 */
public final class Mapping {

    private final Map<String, MentionCaptured> mentions = new LinkedHashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Integer> skipped = new LinkedHashMap<>();

    /** An item of the payload that could not be mapped. */
    public record Problem(String reason, String item) {
    }

    /** Adds a mention; the same id twice in one payload keeps the first. */
    public void add(MentionCaptured mention) {
        mentions.putIfAbsent(mention.id() + "|" + mention.kind(), mention);
    }

    public void problem(String reason, String item) {
        problems.add(new Problem(reason, item));
    }

    public void skip(String reason) {
        skipped.merge(reason, 1, Integer::sum);
    }

    public List<MentionCaptured> mentions() {
        return List.copyOf(mentions.values());
    }

    public List<Problem> problems() {
        return problems;
    }

    public Map<String, Integer> skipped() {
        return skipped;
    }
}
