package io.palabre.analysis.threading;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.analysis.domain.MentionCaptured;
import io.palabre.analysis.text.Normalized;

/**
 * The decisions of threading, with no I/O: what each version, edit and delete does to a post, which conversation each
 * new post joins, and which fragments merge. {@link ThreadingService} reads what they need from the stores and writes
 * what they decide.
 *
 * <p>A mention's conversation is the root the platform states; else its parent's conversation when the parent is
 * stored; else, while the parent is missing, the parent's id. When a mention arrives, every stored mention whose
 * conversation is that mention's id moves to the new mention's conversation: so a reply that came before its parent
 * joins it when the parent comes, and two fragments merge when the missing link shows up. The result does not depend
 * on arrival order.
 */
final class ThreadRules {

    /** A chain of merges longer than this is a cycle. */
    private static final int MAX_HOPS = 10_000;

    private final ObjectMapper mapper;

    ThreadRules(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** What one batch does to the posts it names. */
    static final class Batch {
        /** Every post of the batch that has a row, stored or new, by id. */
        final Map<String, MentionRow> rows = new LinkedHashMap<>();
        /** The posts the batch creates. */
        final Map<String, MentionRow> fresh = new LinkedHashMap<>();
        /** Deletes of posts never stored: the post, when it comes, is stored deleted. */
        final Map<String, Instant> tombstones = new LinkedHashMap<>();
        final Relationships relationships = new Relationships();
        /** Conversations that end: each stored mention of the key's conversation moves to the value's. */
        final Map<String, String> moves = new LinkedHashMap<>();
        int duplicates;

        /** Parents of new posts that the batch does not bring: their conversations are read from the store. */
        Set<String> missingParents() {
            Set<String> missing = new HashSet<>();
            for (MentionRow r : fresh.values()) {
                if (r.replyToId != null && !fresh.containsKey(r.replyToId)) {
                    missing.add(r.replyToId);
                }
            }
            return missing;
        }

        /** The roots the batch's new posts state, other than themselves. */
        Set<String> statedConversations() {
            Set<String> stated = new HashSet<>();
            for (MentionRow r : fresh.values()) {
                if (r.statedConversationId != null && !r.statedConversationId.equals(r.id)) {
                    stated.add(r.statedConversationId);
                }
            }
            return stated;
        }

        /** Stored rows the batch changed. */
        List<MentionRow> changed() {
            return rows.values().stream().filter(r -> r.changed && !r.fresh).toList();
        }

        /** Adds the relationships of the new posts that are not deleted (once their targets' authors are known). */
        void countFresh() {
            for (MentionRow r : fresh.values()) {
                if (!r.deleted) {
                    for (Relationships.Key k : r.relationships()) {
                        relationships.add(k, r.createdAt);
                    }
                }
            }
        }
    }

    /**
     * Applies every version, edit and delete of the batch to what is stored of the same posts, in any order: the
     * result is the same for every order of arrival.
     */
    Batch receive(List<ReceivedMention> received, Map<String, MentionRow> stored, Set<String> tombstoned) {
        Map<String, List<ReceivedMention>> byId = new LinkedHashMap<>();
        for (ReceivedMention in : received) {
            byId.computeIfAbsent(in.mention().id(), k -> new ArrayList<>()).add(in);
        }
        Batch batch = new Batch();
        for (Map.Entry<String, List<ReceivedMention>> entry : byId.entrySet()) {
            String id = entry.getKey();
            MentionRow row = stored.get(id);
            boolean deletedEarlier = tombstoned.contains(id);
            for (ReceivedMention in : entry.getValue()) {
                MentionCaptured m = in.mention();
                if (m.isDelete()) {
                    // Every delete leaves a tombstone, whether its post came first or not: what is stored does not
                    // depend on the order (a reply routed to its parent's partition and its delete keyed by the reply
                    // may arrive either way).
                    batch.tombstones.putIfAbsent(id, m.createdAt());
                    if (row == null) {
                        deletedEarlier = true;
                    } else if (!row.deleted) {
                        if (!row.fresh) {
                            batch.relationships.withdraw(row.relationships(), row.createdAt);
                        }
                        row.deleted = true;
                        erase(row);
                        row.changed = true;
                    } else {
                        batch.relationships.republish(row.relationships());
                    }
                } else if (row == null) {
                    row = MentionRow.created(m, in.json());
                    derive(row, m, in.detectedLanguage());
                    if (deletedEarlier) {
                        row.deleted = true;
                        erase(row);
                    }
                } else if (!receiveVersion(row, m, in.json(), in.detectedLanguage(), batch.relationships)) {
                    batch.duplicates++;
                    if (!row.fresh) {
                        // A replay after a crash: what the first attempt published may have been lost.
                        batch.relationships.republish(row.relationships());
                    }
                }
            }
            if (row != null) {
                batch.rows.put(id, row);
                if (row.fresh) {
                    batch.fresh.put(id, row);
                }
            }
        }
        return batch;
    }

    /**
     * Assigns each new post its conversation, given the stored conversations of the parents the batch does not
     * bring, and decides the merges: a post that is not its own root may be the missing link other posts waited for,
     * so the conversation named after it moves into its own. {@code statedRoots} gives the live conversation of
     * each stated root that is a stored post of another conversation (a root that itself answers a post): the new
     * post joins it, as it would have had it come before that root (which then merged the fragment named after it).
     */
    static void thread(Batch batch, Map<String, String> parentConversations, Map<String, String> statedRoots) {
        for (MentionRow r : batch.fresh.values()) {
            conversationOf(r, batch.fresh, parentConversations, statedRoots, new HashSet<>());
        }
        // A stored post received again is named too: the batch that stored it may not have ended (its first
        // transaction committed, then the process died), and the fragment named after it must still merge. Where
        // nothing waits for it, the merge finds nothing.
        for (MentionRow r : batch.rows.values()) {
            if (!r.conversationId.equals(r.id)) {
                batch.moves.put(r.id, r.conversationId);
            }
        }
        batch.moves.replaceAll((from, to) -> finalTarget(to, batch.moves));
        for (MentionRow r : batch.rows.values()) {
            r.conversationId = finalTarget(r.conversationId, batch.moves);
        }
    }

    private static String conversationOf(MentionRow r, Map<String, MentionRow> fresh,
            Map<String, String> parentConversations, Map<String, String> statedRoots, Set<String> visiting) {
        if (r.conversationId != null) {
            return r.conversationId;
        }
        String conversation;
        if (r.statedConversationId != null) {
            conversation = statedRoots.getOrDefault(r.statedConversationId, r.statedConversationId);
        } else if (r.replyToId == null) {
            conversation = r.id;
        } else {
            MentionRow parent = fresh.get(r.replyToId);
            if (parent != null && visiting.add(r.id)) {
                conversation = conversationOf(parent, fresh, parentConversations, statedRoots, visiting);
            } else if (parent != null) {
                conversation = r.replyToId; // a reply cycle: stop at the parent
            } else {
                conversation = parentConversations.getOrDefault(r.replyToId, r.replyToId);
            }
        }
        r.conversationId = conversation;
        return conversation;
    }

    /** Where a conversation ends up after the moves, following chains of merges (a cycle stops). */
    static String finalTarget(String id, Map<String, String> moves) {
        String current = id;
        for (int hops = 0; hops < MAX_HOPS && moves.containsKey(current); hops++) {
            String next = moves.get(current);
            if (next.equals(current)) {
                break;
            }
            current = next;
        }
        return current;
    }

    /**
     * Stored posts that were waiting for one of the batch's new posts, or for one of {@code storedEarlier} (stored by
     * the same batch's first transaction, or by an earlier attempt at it), to learn whom they quote, repost or answer:
     * sets those authors and adds the relationships this reveals. Returns the rows resolved.
     */
    static List<MentionRow> resolvePending(Collection<MentionRow> waiting, Batch batch,
            Map<String, MentionRow> storedEarlier) {
        List<MentionRow> resolved = new ArrayList<>();
        for (MentionRow r : waiting) {
            if (batch.fresh.containsKey(r.id)) {
                continue; // resolved before its insert
            }
            List<Relationships.Key> before = r.relationships();
            r.resolveAuthors(id -> {
                MentionRow target = batch.fresh.containsKey(id) ? batch.fresh.get(id) : storedEarlier.get(id);
                return target == null ? null : target.authorId;
            });
            if (!r.deleted) {
                List<Relationships.Key> after = new ArrayList<>(r.relationships());
                after.removeAll(before);
                after.forEach(k -> batch.relationships.add(k, r.createdAt));
            }
            resolved.add(r);
        }
        return resolved;
    }

    /** Normalised hashtags, links and named accounts, and the language when the platform gave none. */
    private static void derive(MentionRow r, MentionCaptured m, String detected) {
        r.hashtags = Normalized.hashtags(m.hashtags());
        r.links = Normalized.links(m.links());
        Set<String> named = new LinkedHashSet<>();
        if (m.mentions() != null) {
            for (MentionCaptured.MentionedAccount a : m.mentions()) {
                if (a.id() != null && !a.id().equals(m.author().id())
                        && (m.replyTo() == null || !a.id().equals(m.replyTo().authorId()))) {
                    named.add(a.id());
                }
            }
        }
        r.mentioned = new ArrayList<>(named);
        if (m.lang() != null && !m.lang().isBlank()) {
            r.lang = m.lang();
            r.langDetected = false;
        } else {
            r.lang = "repost".equals(m.kind()) ? null : detected;
            r.langDetected = r.lang != null;
        }
    }

    /**
     * Applies another version of a stored post (the original, an edit, or the same again), whatever order they
     * arrive in: the post's time is the earliest version's (the original's, once it has come); its content is the
     * newest version's by the platform's time ({@link PostVersions#isNewer}); it is edited once any edit has come; a
     * deleted post stays deleted. Returns whether the row changed.
     */
    private boolean receiveVersion(MentionRow row, MentionCaptured m, String json, String detected,
            Relationships relationships) {
        // A stored, undeleted row is counted in the relationships: what changes in it is withdrawn and added again. A
        // row new in this batch is counted once, as it ends.
        boolean counted = !row.fresh && !row.deleted;
        boolean changed = false;
        if (m.createdAt().isBefore(row.createdAt)) {
            if (counted) {
                relationships.withdraw(row.relationships(), row.createdAt);
                relationships.add(row.relationships(), m.createdAt());
            }
            row.createdAt = m.createdAt();
            changed = true;
        }
        if (m.isEdit() && !row.edited) {
            row.edited = true;
            changed = true;
        }
        String stored = row.payload;
        if (PostVersions.isNewer(m.createdAt(), m.isEdit(), json, row.versionAt,
                () -> PostVersions.isEdit(mapper, stored), stored)) {
            if (counted) {
                relationships.withdraw(row.relationships(), row.createdAt);
            }
            row.payload = json;
            row.versionAt = m.createdAt();
            derive(row, m, detected);
            if (row.deleted) {
                // A deleted post takes the newest version's form, never its content: what is stored does not depend
                // on whether a version came before or after the delete.
                erase(row);
            }
            if (counted) {
                relationships.add(row.relationships(), row.createdAt);
            }
            row.reinterpreted = true;
            changed = true;
        }
        row.changed |= changed;
        return changed;
    }

    /** Clears what a deleted post said: its text, hashtags, links and the accounts it named. */
    private void erase(MentionRow row) {
        row.payload = withoutContent(row.payload);
        row.hashtags = List.of();
        row.links = List.of();
        row.mentioned = List.of();
    }

    /** The payload of a deleted post: its content gone, its place in the conversation kept. */
    private String withoutContent(String payload) {
        try {
            ObjectNode node = (ObjectNode) mapper.readTree(payload);
            node.put("text", "");
            node.putArray("mentions");
            node.putArray("hashtags");
            node.putArray("links");
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("Stored payload is not a JSON object", e);
        }
    }
}
