package io.palabre.analysis.threading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.palabre.analysis.domain.MentionCaptured;
import io.palabre.analysis.text.TextLanguage;

/**
 * The threading rules alone, against a model of the stores in memory: every arrival order and every way of cutting
 * it into batches ends in the same conversations.
 */
class ThreadRulesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();
    private static final TextLanguage LANGUAGE = new TextLanguage();
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    @Test
    void everyArrivalOrderOfAChainEndsInOneConversation() {
        List<ReceivedMention> chain = List.of(post("A", null), post("B", "A"), post("C", "B"), post("D", "C"));
        int runs = everyOrderAndCut(chain, store -> {
            for (String id : List.of("A", "B", "C", "D")) {
                assertEquals("A", store.conversationOf(id), () -> id + " in " + store.trace);
            }
        });
        assertEquals(24 * 8, runs);
    }

    @Test
    void everyArrivalOrderOfATreeEndsInOneConversation() {
        List<ReceivedMention> tree = List.of(post("A", null), post("B", "A"), post("C", "A"), post("D", "B"),
                post("E", "D"));
        int runs = everyOrderAndCut(tree, store -> {
            for (String id : List.of("A", "B", "C", "D", "E")) {
                assertEquals("A", store.conversationOf(id), () -> id + " in " + store.trace);
            }
            assertEquals(Set.of("A"), store.conversations(), store.trace::toString);
        });
        assertEquals(120 * 16, runs);
    }

    @Test
    void fragmentsMergeWhenTheMissingLinkComes() {
        Store store = new Store();
        store.apply(List.of(post("A", null), post("B", "A")));
        store.apply(List.of(post("E", "D"), post("D", "C")));
        assertEquals(Set.of("A", "C"), store.conversations(), "two fragments while C is missing");
        assertEquals("C", store.conversationOf("E"));

        ThreadRules.Batch last = store.apply(List.of(post("C", "B")));

        assertEquals(Set.of("A"), store.conversations());
        assertEquals(Map.of("C", "A"), last.moves, "the fragment named after C moves into A");
    }

    @Test
    void aPostStoredByABatchThatDidNotEndMergesTheFragmentNamedAfterItWhenReceivedAgain() {
        Store store = new Store();
        store.apply(List.of(post("A", null)));
        store.apply(List.of(post("C", "B"), post("D", "C")));
        // B is stored, and the process dies before the merge it makes is written.
        store.mergesLost = true;
        store.apply(List.of(post("B", "A")));
        store.mergesLost = false;
        assertEquals(Set.of("A", "B"), store.conversations(), "the fragment named after B is left");

        ThreadRules.Batch replay = store.apply(List.of(post("B", "A")));

        assertEquals(1, replay.duplicates);
        assertEquals(Map.of("B", "A"), replay.moves, "B received again is the missing link all the same");
        assertEquals(Set.of("A"), store.conversations());
        for (String id : List.of("A", "B", "C", "D")) {
            assertEquals("A", store.conversationOf(id), id);
        }
    }

    @Test
    void aStatedRootGroupsRepliesWhoseParentsNeverCome() {
        Store store = new Store();
        store.apply(List.of(stated("R3", "P2", "R0"), stated("R1", "P1", "R0")));
        assertEquals(Set.of("R0"), store.conversations());
        store.apply(List.of(post("R0", null)));
        assertEquals("R0", store.conversationOf("R0"));
        assertEquals(Set.of("R0"), store.conversations());
    }

    @Test
    void aPostThatStatesARootWhichAnswersAnotherPostJoinsThatPostsConversation() {
        for (int order = 0; order < 3; order++) {
            Store store = new Store();
            store.apply(List.of(post("A", null)));
            if (order == 2) {
                store.apply(List.of(post("B", "A")));
                ThreadRules.Batch late = store.apply(List.of(stated("D", "C", "B")));
                assertEquals("A", late.rows.get("D").conversationId, "no fragment named after B");
            } else if (order == 0) {
                store.apply(List.of(post("C", "B")));
                store.apply(List.of(post("B", "A")));
                ThreadRules.Batch late = store.apply(List.of(stated("D", "C", "B")));
                assertEquals("A", late.rows.get("D").conversationId, "published and counted in the live one");
            } else {
                store.apply(List.of(post("C", "B")));
                store.apply(List.of(stated("D", "C", "B")));
                store.apply(List.of(post("B", "A")));
            }
            for (String id : order == 2 ? List.of("A", "B", "D") : List.of("A", "B", "C", "D")) {
                assertEquals("A", store.conversationOf(id), () -> id + " in " + store.trace);
            }
        }
    }

    @Test
    void aReplyCycleStops() {
        for (List<List<ReceivedMention>> batches : List.of(
                List.of(List.of(post("X", "Y"), post("Y", "X"))),
                List.of(List.of(post("X", "Y")), List.of(post("Y", "X"))),
                List.of(List.of(post("Y", "X")), List.of(post("X", "Y"))))) {
            Store store = new Store();
            batches.forEach(store::apply);
            assertEquals(store.conversationOf("X"), store.conversationOf("Y"), batches::toString);
            assertEquals(1, store.conversations().size());
        }
        assertTrue(Set.of("X", "Y").contains(ThreadRules.finalTarget("X", Map.of("X", "Y", "Y", "X"))),
                "a cycle of moves ends");
    }

    @Test
    void aDeleteBeforeItsPostLeavesATombstoneAndThePostIsStoredDeleted() {
        Store store = new Store();
        ThreadRules.Batch first = store.apply(List.of(delete("P")));
        assertEquals(Set.of("P"), first.tombstones.keySet());
        assertFalse(store.rows.containsKey("P"));

        store.apply(List.of(post("P", null)));

        MentionRow p = store.rows.get("P");
        assertTrue(p.deleted);
        assertEquals("", text(p.payload));
        for (List<ReceivedMention> together : List.of(List.of(delete("Q"), post("Q", null)),
                List.of(post("Q", null), delete("Q")))) {
            Store s = new Store();
            s.apply(together);
            assertTrue(s.rows.get("Q").deleted, together::toString);
            assertEquals("", text(s.rows.get("Q").payload));
            assertEquals(Set.of("Q"), s.tombstones, together::toString);
        }
        // A delete after its post, in a later batch, leaves the same tombstone: the store does not say which came
        // first.
        Store after = new Store();
        after.apply(List.of(post("R", null)));
        after.apply(List.of(delete("R")));
        assertEquals(Set.of("R"), after.tombstones);
        assertTrue(after.rows.get("R").deleted);
    }

    @Test
    void versionsInAnyOrderKeepTheNewestContentAndTheFirstTime() {
        List<ReceivedMention> versions = List.of(post("V", null, T0, "post", "first"),
                post("V", null, T0.plusSeconds(60), "edit", "second"),
                post("V", null, T0.plusSeconds(120), "edit", "third"));
        int runs = everyOrderAndCut(versions, store -> {
            MentionRow v = store.rows.get("V");
            assertEquals("third", text(v.payload), store.trace::toString);
            assertTrue(v.edited);
            assertEquals(T0, v.createdAt);
        });
        assertEquals(6 * 4, runs);
    }

    @Test
    void aDeletedPostIsStoredTheSameWhetherItsVersionsCameBeforeOrAfterItsDelete() {
        // A reply routed to its parent's partition, and its edit and delete keyed by the reply, arrive in any order.
        List<ReceivedMention> all = List.of(post("W", "P", T0, "post", "first #tag"),
                post("W", "P", T0.plusSeconds(60), "edit", "second"), delete("W"));
        List<String> states = new java.util.ArrayList<>();
        int runs = everyOrderAndCut(all, store -> {
            MentionRow w = store.rows.get("W");
            assertTrue(w.deleted, store.trace::toString);
            assertEquals("", text(w.payload), store.trace::toString);
            assertTrue(w.hashtags.isEmpty() && w.links.isEmpty() && w.mentioned.isEmpty(), store.trace::toString);
            states.add(w.payload + " " + w.versionAt + " " + w.createdAt + " " + w.edited + " " + w.lang);
        });
        assertEquals(6 * 4, runs);
        assertEquals(1, states.stream().distinct().count(), "one stored state in every order: " + states);
    }

    @Test
    void aRedeliveredBatchChangesNothing() {
        Store store = new Store();
        List<ReceivedMention> batch = List.of(post("A", null), post("B", "A"));
        store.apply(batch);
        ThreadRules.Batch again = store.apply(batch);
        assertTrue(again.fresh.isEmpty());
        assertEquals(2, again.duplicates);
        assertTrue(again.changed().isEmpty());
    }

    /** Applies every order of the mentions, cut into batches every possible way; returns how many runs. */
    private static int everyOrderAndCut(List<ReceivedMention> mentions, Consumer<Store> check) {
        int runs = 0;
        for (List<ReceivedMention> order : permutations(mentions)) {
            int n = order.size();
            for (int cuts = 0; cuts < 1 << (n - 1); cuts++) {
                Store store = new Store();
                List<ReceivedMention> batch = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    batch.add(order.get(i));
                    if (i == n - 1 || (cuts & 1 << i) != 0) {
                        store.apply(batch);
                        batch = new ArrayList<>();
                    }
                }
                check.accept(store);
                runs++;
            }
        }
        return runs;
    }

    private static List<List<ReceivedMention>> permutations(List<ReceivedMention> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<ReceivedMention>> all = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<ReceivedMention> rest = new ArrayList<>(items);
            ReceivedMention first = rest.remove(i);
            for (List<ReceivedMention> tail : permutations(rest)) {
                List<ReceivedMention> order = new ArrayList<>();
                order.add(first);
                order.addAll(tail);
                all.add(order);
            }
        }
        return all;
    }

    /**
     * The stores in memory, doing what the SQL of {@link MentionStore} does: rows by id, tombstones, the conversation
     * each row was stored in (never rewritten), and the flat record of merged fragments that resolves it.
     */
    private static final class Store {
        final ThreadRules rules = new ThreadRules(MAPPER);
        final Map<String, MentionRow> rows = new HashMap<>();
        final Map<String, String> storedConversation = new HashMap<>();
        final Map<String, String> merged = new HashMap<>();
        final Set<String> tombstones = new HashSet<>();
        final List<List<String>> trace = new ArrayList<>();
        /** The posts of the next batches are stored, and their merges lost (the process died in between). */
        boolean mergesLost;

        ThreadRules.Batch apply(List<ReceivedMention> received) {
            trace.add(received.stream().map(in -> in.mention().kind() + ":" + in.mention().id()).toList());
            Set<String> ids = new LinkedHashSet<>();
            received.forEach(in -> ids.add(in.mention().id()));
            Map<String, MentionRow> stored = new HashMap<>();
            Set<String> tombstoned = new HashSet<>();
            for (String id : ids) {
                if (rows.containsKey(id)) {
                    MentionRow r = rows.get(id);
                    r.conversationId = conversationOf(id);
                    stored.put(id, r);
                }
                if (tombstones.contains(id)) {
                    tombstoned.add(id);
                }
            }
            ThreadRules.Batch batch = rules.receive(received, stored, tombstoned);
            Map<String, String> parents = new HashMap<>();
            for (String parent : batch.missingParents()) {
                if (rows.containsKey(parent)) {
                    parents.put(parent, conversationOf(parent));
                }
            }
            Map<String, String> statedRoots = new HashMap<>();
            for (String root : batch.statedConversations()) {
                if (rows.containsKey(root) && !conversationOf(root).equals(root)) {
                    statedRoots.put(root, conversationOf(root));
                }
            }
            ThreadRules.thread(batch, parents, statedRoots);
            tombstones.addAll(batch.tombstones.keySet());
            rows.putAll(batch.fresh);
            batch.fresh.forEach((id, r) -> storedConversation.put(id, r.conversationId));
            Map<String, String> waitedFor = new HashMap<>();
            batch.moves.forEach((from, to) -> {
                if (storedConversation.containsValue(from)) {
                    waitedFor.put(from, to);
                }
            });
            if (mergesLost) {
                waitedFor.clear();
            }
            waitedFor.forEach((from, to) -> {
                merged.replaceAll((fragment, into) -> into.equals(from) ? to : into);
                merged.put(from, to);
            });
            for (MentionRow r : rows.values()) {
                r.fresh = false;
                r.changed = false;
            }
            return batch;
        }

        String conversationOf(String id) {
            String stored = storedConversation.get(id);
            return merged.getOrDefault(stored, stored);
        }

        Set<String> conversations() {
            Set<String> all = new TreeSet<>();
            rows.keySet().forEach(id -> all.add(conversationOf(id)));
            return all;
        }
    }

    private static ReceivedMention post(String id, String parent) {
        return post(id, parent, T0.plusSeconds(id.hashCode() & 0xff), "post", "text of " + id);
    }

    private static ReceivedMention stated(String id, String parent, String root) {
        ObjectNode node = node(id, parent, T0, "post", "text of " + id);
        node.put("conversationId", root);
        return received(node);
    }

    private static ReceivedMention post(String id, String parent, Instant at, String kind, String text) {
        return received(node(id, parent, at, kind, text));
    }

    private static ReceivedMention delete(String id) {
        return received(node(id, null, T0.plusSeconds(3600), "delete", ""));
    }

    private static ObjectNode node(String id, String parent, Instant at, String kind, String text) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", id);
        node.put("platform", "mastodon");
        node.put("kind", parent != null && "post".equals(kind) ? "reply" : kind);
        node.put("createdAt", at.toString());
        node.putObject("author").put("id", "mastodon:author-" + id.charAt(0) + "@example.social");
        node.put("text", text);
        node.put("lang", "en");
        if (parent != null) {
            node.putObject("replyTo").put("id", parent).put("authorId", "mastodon:author-" + parent.charAt(0)
                    + "@example.social");
        }
        node.putArray("mentions");
        node.putArray("hashtags");
        node.putArray("links");
        return node;
    }

    private static ReceivedMention received(ObjectNode node) {
        try {
            String json = MAPPER.writeValueAsString(node);
            MentionCaptured m = MAPPER.readValue(json, MentionCaptured.class);
            return new ReceivedMention(m, json, "test", ReceivedMention.ownerKey(m), -1,
                    ReceivedMention.detect(m, LANGUAGE));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String payload) {
        try {
            return MAPPER.readTree(payload).path("text").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
