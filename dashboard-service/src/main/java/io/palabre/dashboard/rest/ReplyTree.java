package io.palabre.dashboard.rest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.palabre.dashboard.domain.Mention;
import io.palabre.dashboard.rest.Views.MentionView;
import io.palabre.dashboard.rest.Views.ThreadNode;

/**
 * Builds the nested reply tree of a conversation from its mentions' reply links. Posts whose parent is missing sit
 * at the top with {@code missingParentId}; nesting stops at {@link #MAX_NESTING} levels (deeper replies are listed
 * under their ancestor at that level, with their true depth) so that any tree can be serialised.
 */
final class ReplyTree {

    static final int MAX_NESTING = 200;

    private ReplyTree() {
    }

    static List<ThreadNode> build(String conversationId, List<Mention> mentions) {
        Map<String, Mention> byId = new LinkedHashMap<>();
        mentions.forEach(m -> byId.put(m.id, m));
        Map<String, String> parent = new HashMap<>();
        for (Mention m : mentions) {
            if (m.replyToId != null && byId.containsKey(m.replyToId) && !m.id.equals(conversationId)) {
                parent.put(m.id, m.replyToId);
            }
        }
        breakCycles(parent);
        Map<String, Integer> depth = new HashMap<>();
        for (Mention m : mentions) {
            depthOf(m.id, parent, depth, byId, conversationId);
        }

        Map<String, ThreadNode> nodes = new HashMap<>();
        List<ThreadNode> top = new ArrayList<>();
        for (Mention m : mentions) {
            String missing = parent.containsKey(m.id) || m.replyToId == null || m.id.equals(conversationId)
                    ? null
                    : m.replyToId;
            nodes.put(m.id, new ThreadNode(MentionView.of(m), depth.get(m.id), missing));
        }
        for (Mention m : mentions) {
            ThreadNode node = nodes.get(m.id);
            String attachTo = parent.get(m.id);
            if (attachTo == null) {
                top.add(node);
                continue;
            }
            while (nodes.get(attachTo).depth() > MAX_NESTING && parent.containsKey(attachTo)) {
                attachTo = parent.get(attachTo);
            }
            nodes.get(attachTo).replies().add(node);
        }
        return top;
    }

    private static void breakCycles(Map<String, String> parent) {
        Set<String> done = new HashSet<>();
        for (String start : new ArrayList<>(parent.keySet())) {
            Set<String> path = new HashSet<>();
            String current = start;
            while (current != null && !done.contains(current)) {
                if (!path.add(current)) {
                    parent.remove(current); // the post that closes a reply cycle goes to the top
                    break;
                }
                current = parent.get(current);
            }
            done.addAll(path);
        }
    }

    private static int depthOf(String id, Map<String, String> parent, Map<String, Integer> depth,
            Map<String, Mention> byId, String conversationId) {
        List<String> path = new ArrayList<>();
        String current = id;
        Integer known = depth.get(current);
        while (known == null) {
            path.add(current);
            String up = parent.get(current);
            if (up == null) {
                Mention m = byId.get(current);
                if (current.equals(conversationId) || m.replyToId == null) {
                    known = -1;
                } else {
                    known = m.replyToId.equals(conversationId) ? 0 : 1; // the missing parent's depth
                }
                break;
            }
            current = up;
            known = depth.get(current);
        }
        int d = known;
        for (int i = path.size() - 1; i >= 0; i--) {
            d++;
            depth.put(path.get(i), d);
        }
        return depth.get(id);
    }
}
