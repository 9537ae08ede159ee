package io.palabre.analysis.threading;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.palabre.analysis.domain.ConversationUpdated;

/**
 * Size, depth, branching, participants and activity span of one conversation, computed from its mentions' reply
 * links. A mention whose parent is missing counts the missing link as one step: it sits at depth 1 under a missing
 * root, and at depth 2 under any other missing parent.
 */
final class ConversationShape {

    private final String id;
    private final Set<String> organisationAccounts;
    private boolean organisationTookPart;
    private final Map<String, String> parentOf = new HashMap<>();
    private final Map<String, Integer> children = new HashMap<>();
    private final Set<String> authors = new HashSet<>();
    private final Set<String> platforms = new TreeSet<>();
    private final Set<String> languages = new TreeSet<>();
    private Instant first;
    private Instant last;
    private int posts;

    ConversationShape(String id, Set<String> organisationAccounts) {
        this.id = id;
        this.organisationAccounts = organisationAccounts;
    }

    String id() {
        return id;
    }

    /** How many mentions it holds. */
    int size() {
        return parentOf.size();
    }

    /** A repost stands alone: reposts without any post form no conversation. */
    boolean hasPosts() {
        return posts > 0;
    }

    void add(String mentionId, String kind, String replyToId, String authorId, Instant createdAt, String platform,
            String lang) {
        if (!"repost".equals(kind)) {
            posts++;
        }
        parentOf.put(mentionId, replyToId);
        if (replyToId != null) {
            children.merge(replyToId, 1, Integer::sum);
        }
        authors.add(authorId);
        if (!"repost".equals(kind) && organisationAccounts.contains(authorId)) {
            organisationTookPart = true;
        }
        platforms.add(platform);
        if (lang != null && !lang.isBlank()) {
            languages.add(lang);
        }
        first = first == null || createdAt.isBefore(first) ? createdAt : first;
        last = last == null || createdAt.isAfter(last) ? createdAt : last;
    }

    int depth() {
        Map<String, Integer> depths = new HashMap<>();
        int max = 0;
        for (String start : parentOf.keySet()) {
            Deque<String> path = new ArrayDeque<>();
            String current = start;
            Integer known = null;
            Set<String> onPath = new HashSet<>();
            while (current != null && (known = depths.get(current)) == null) {
                if (!onPath.add(current)) {
                    known = 0; // a reply cycle: treat the repeated mention as a root
                    break;
                }
                path.push(current);
                String parent = parentOf.get(current);
                if (current.equals(id) || parent == null) {
                    known = null;
                    current = null;
                } else if (!parentOf.containsKey(parent)) {
                    // The parent is missing: one step to it, one more unless it is the root.
                    known = parent.equals(id) ? 0 : 1;
                    current = null;
                } else {
                    current = parent;
                }
            }
            int depth = known == null ? -1 : known;
            while (!path.isEmpty()) {
                depth++;
                String node = path.pop();
                depths.put(node, depth);
                max = Math.max(max, depth);
            }
        }
        return max;
    }

    ConversationUpdated toEvent(List<String> mergedFrom, Instant updatedAt) {
        int branching = children.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new ConversationUpdated(id, parentOf.containsKey(id), parentOf.size(), depth(), authors.size(),
                List.copyOf(platforms), List.copyOf(languages), first, last, branching, organisationTookPart,
                List.copyOf(mergedFrom), updatedAt);
    }
}
