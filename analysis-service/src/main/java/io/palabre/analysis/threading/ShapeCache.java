package io.palabre.analysis.threading;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The shapes of recently changed conversations, so that a batch adds its new mentions to a conversation instead of
 * reading all its mentions again. An entry is valid only for the revision of the conversation row it was computed
 * for and for the organisation accounts it counted; a writer elsewhere (another replica, a rolled-back transaction)
 * leaves a different revision in the database, and the shape is read again from the rows. Bounded by the number of
 * mentions the cached shapes hold; the least recently used go first.
 */
final class ShapeCache {

    /** A shape and what it is valid for. */
    record Entry(ConversationShape shape, long revision, Set<String> organisationAccounts) {
    }

    private final int maxMentions;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private long mentions;
    private long hits;
    private long misses;

    ShapeCache(int maxMentions) {
        this.maxMentions = maxMentions;
    }

    /**
     * Takes the cached shape of this conversation out of the cache if it is valid for this revision and these
     * organisation accounts: the caller changes it and puts it back with the revision it writes, so that a
     * transaction that rolls back leaves nothing valid behind.
     */
    synchronized ConversationShape take(String id, long revision, Set<String> organisationAccounts) {
        Entry e = entries.get(id);
        boolean valid = e != null && e.revision == revision && e.organisationAccounts.equals(organisationAccounts);
        forget(id);
        if (valid) {
            hits++;
            return e.shape;
        }
        misses++;
        return null;
    }

    /** Keeps this shape as the state of the conversation at this revision. */
    synchronized void put(ConversationShape shape, long revision, Set<String> organisationAccounts) {
        forget(shape.id());
        if (shape.size() > maxMentions) {
            return;
        }
        entries.put(shape.id(), new Entry(shape, revision, organisationAccounts));
        mentions += shape.size();
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
        while (mentions > maxMentions && eldest.hasNext()) {
            mentions -= eldest.next().getValue().shape.size();
            eldest.remove();
        }
    }

    /** Drops what is known of this conversation (it was merged away, or is being recomputed). */
    synchronized void forget(String id) {
        Entry e = entries.remove(id);
        if (e != null) {
            mentions -= e.shape.size();
        }
    }

    synchronized long hits() {
        return hits;
    }

    synchronized long misses() {
        return misses;
    }
}
