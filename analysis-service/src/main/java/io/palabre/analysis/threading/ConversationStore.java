package io.palabre.analysis.threading;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.palabre.analysis.domain.ConversationUpdated;

/**
 * The {@code conversation} table: each conversation's shape, from its mentions (those stored in it and those stored in
 * the fragments merged into it). A batch that only brings new mentions to a conversation whose shape is cached and
 * still valid ({@link ShapeCache}) adds them to it; any other conversation is read again from all its mentions.
 */
final class ConversationStore {

    private static final String POSTS = "select conversation_id, id, kind, reply_to_id, author_id, created_at, "
            + "platform, lang from mention where conversation_id = any(?)";

    private static final String MERGED = "select into_id, id from merged_conversation where into_id = any(?) "
            + "order by id";

    private static final String REVISIONS = "select id, revision from conversation where id = any(?)";

    private static final String NEXT_REVISIONS = "select nextval('conversation_revision') from generate_series(1, ?)";

    private static final String NOW = "select clock_timestamp()";

    private static final String UPSERT = "insert into conversation (id, root_present, size, depth, participants, "
            + "platforms, languages, first_activity_at, last_activity_at, max_branching, updated_at, "
            + "organisation_took_part, revision) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) "
            + "do update set root_present = excluded.root_present, size = excluded.size, "
            + "depth = excluded.depth, participants = excluded.participants, platforms = excluded.platforms, "
            + "languages = excluded.languages, first_activity_at = excluded.first_activity_at, "
            + "last_activity_at = excluded.last_activity_at, max_branching = excluded.max_branching, "
            + "updated_at = excluded.updated_at, organisation_took_part = excluded.organisation_took_part, "
            + "revision = excluded.revision";

    private final ShapeCache cache;

    ConversationStore(ShapeCache cache) {
        this.cache = cache;
    }

    /**
     * Brings these conversations up to date, stores them, and returns their new state, each with every fragment ever
     * merged into it ({@code mergedInto}: this batch's merges).
     *
     * @param appended the batch's new mentions, already stored, by their conversation
     * @param reread conversations to read again from all their mentions whatever is cached: those that fragments
     *     joined, those whose stored posts changed
     */
    List<ConversationUpdated> update(Connection c, Map<String, List<MentionRow>> appended, Set<String> reread,
            Map<String, List<String>> mergedInto, Set<String> organisationAccounts) throws SQLException {
        return update(c, appended, reread, mergedInto, organisationAccounts, step -> {
        });
    }

    /** As {@link #update}, marking the end of each of its steps (for their timers). */
    List<ConversationUpdated> update(Connection c, Map<String, List<MentionRow>> appended, Set<String> reread,
            Map<String, List<String>> mergedInto, Set<String> organisationAccounts,
            java.util.function.Consumer<String> steps) throws SQLException {
        Set<String> ids = new LinkedHashSet<>(appended.keySet());
        ids.addAll(reread);
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Long> revisions = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(REVISIONS)) {
            ps.setArray(1, MentionStore.texts(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    revisions.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        Set<String> unseen = unseen(c, appended, reread, revisions);
        steps.accept("conversations: revisions");
        Map<String, ConversationShape> shapes = new LinkedHashMap<>();
        Map<String, ConversationShape> unread = new LinkedHashMap<>();
        for (String id : ids) {
            ConversationShape shape = null;
            if (unseen.contains(id)) {
                shape = new ConversationShape(id, organisationAccounts);
            } else if (!reread.contains(id) && revisions.containsKey(id)) {
                shape = cache.take(id, revisions.get(id), organisationAccounts);
            }
            if (shape == null) {
                cache.forget(id);
                shape = new ConversationShape(id, organisationAccounts);
                unread.put(id, shape);
            } else {
                for (MentionRow r : appended.getOrDefault(id, List.of())) {
                    shape.add(r.id, r.kind, r.replyToId, r.authorId, r.createdAt, r.platform, r.lang);
                }
            }
            shapes.put(id, shape);
        }
        Map<String, List<String>> allMerged = read(c, ids, unread, mergedInto);
        steps.accept("conversations: read");
        // The database's clock, read under the threading lock: updatedAt grows with every change of a conversation
        // whichever instance made it, so consumers can keep the latest state.
        Instant now;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(NOW)) {
            rs.next();
            now = rs.getTimestamp(1).toInstant();
        }
        List<ConversationShape> stored = new ArrayList<>(shapes.size());
        List<ConversationUpdated> updates = new ArrayList<>(shapes.size());
        for (ConversationShape shape : shapes.values()) {
            if (shape.hasPosts()) {
                stored.add(shape);
                updates.add(shape.toEvent(allMerged.getOrDefault(shape.id(), List.of()), now));
            }
        }
        if (updates.isEmpty()) {
            return updates;
        }
        steps.accept("conversations: shapes");
        long[] next = nextRevisions(c, updates.size());
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (int i = 0; i < updates.size(); i++) {
                ConversationUpdated u = updates.get(i);
                ps.setString(1, u.id());
                ps.setBoolean(2, u.rootPresent());
                ps.setInt(3, u.size());
                ps.setInt(4, u.depth());
                ps.setInt(5, u.participants());
                ps.setArray(6, MentionStore.texts(c, u.platforms()));
                ps.setArray(7, MentionStore.texts(c, u.languages()));
                ps.setTimestamp(8, Timestamp.from(u.firstActivityAt()));
                ps.setTimestamp(9, Timestamp.from(u.lastActivityAt()));
                ps.setInt(10, u.maxBranching());
                ps.setTimestamp(11, Timestamp.from(u.updatedAt()));
                ps.setBoolean(12, u.organisationTookPart());
                ps.setLong(13, next[i]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        steps.accept("conversations: upsert");
        // Valid from the revision just written: if the transaction rolls back, that revision never appears.
        for (int i = 0; i < stored.size(); i++) {
            cache.put(stored.get(i), next[i], organisationAccounts);
        }
        return updates;
    }

    /**
     * The conversations that start with this batch: no row yet, and no stored mention but the batch's. Every writer
     * of a conversation's posts writes its row, so without a row the only mention it can hold from before is a
     * repost with that id (reposts alone form no conversation), which a reply to it now joins.
     */
    private static Set<String> unseen(Connection c, Map<String, List<MentionRow>> appended, Set<String> reread,
            Map<String, Long> revisions) throws SQLException {
        Set<String> fresh = new HashSet<>();
        appended.values().forEach(rows -> rows.forEach(r -> fresh.add(r.id)));
        Set<String> unseen = new LinkedHashSet<>();
        Set<String> check = new HashSet<>();
        for (String id : appended.keySet()) {
            if (!revisions.containsKey(id) && !reread.contains(id)) {
                unseen.add(id);
                if (!fresh.contains(id)) {
                    check.add(id);
                }
            }
        }
        unseen.removeAll(MentionStore.storedIds(c, check));
        return unseen;
    }

    /**
     * Reads the shapes of {@code unread} from all their mentions, those of merged fragments included, and returns
     * every fragment ever merged into each of {@code ids}: not only this batch's, so that a consumer that missed a
     * merge (its publication lost in a crash, the batch replayed) catches up with the next state.
     */
    private static Map<String, List<String>> read(Connection c, Set<String> ids, Map<String, ConversationShape> unread,
            Map<String, List<String>> mergedInto) throws SQLException {
        Map<String, List<String>> allMerged = new HashMap<>();
        Map<String, String> conversationOf = new HashMap<>();
        unread.keySet().forEach(id -> conversationOf.put(id, id));
        mergedInto.forEach((into, olds) -> allMerged.computeIfAbsent(into, k -> new ArrayList<>()).addAll(olds));
        try (PreparedStatement ps = c.prepareStatement(MERGED)) {
            ps.setArray(1, MentionStore.texts(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String into = rs.getString(1);
                    String old = rs.getString(2);
                    if (unread.containsKey(into)) {
                        conversationOf.put(old, into);
                    }
                    List<String> olds = allMerged.computeIfAbsent(into, k -> new ArrayList<>());
                    if (!olds.contains(old)) {
                        olds.add(old);
                    }
                }
            }
        }
        if (unread.isEmpty()) {
            return allMerged;
        }
        try (PreparedStatement ps = c.prepareStatement(POSTS)) {
            ps.setArray(1, MentionStore.texts(c, conversationOf.keySet()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unread.get(conversationOf.get(rs.getString(1))).add(rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7),
                            rs.getString(8));
                }
            }
        }
        return allMerged;
    }

    private static long[] nextRevisions(Connection c, int count) throws SQLException {
        long[] next = new long[count];
        try (PreparedStatement ps = c.prepareStatement(NEXT_REVISIONS)) {
            ps.setInt(1, count);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; i < count && rs.next(); i++) {
                    next[i] = rs.getLong(1);
                }
            }
        }
        return next;
    }
}
