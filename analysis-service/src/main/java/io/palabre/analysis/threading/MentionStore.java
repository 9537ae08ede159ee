package io.palabre.analysis.threading;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code mention} table and what hangs on it (tombstones, merged conversations), inside the caller's transaction.
 */
final class MentionStore {

    /** The columns {@link #read} reads, in its order. */
    private static final String STORED_COLUMNS = "id, conversation_id, deleted, edited, payload, kind, author_id, "
            + "reply_to_author_id, mentioned_ids, quote_author_id, repost_author_id, hashtags, links, lang, "
            + "lang_detected, created_at, quote_of, repost_of, reply_to_id, version_at, version";

    private static final String LOAD = "select " + STORED_COLUMNS + " from mention where id = any(?)";

    private static final String TOMBSTONED = "select id from mention_tombstone where id = any(?)";

    private static final String CONVERSATIONS_OF = "select id, conversation_id from mention where id = any(?)";

    private static final String MERGED_INTO = "select id, into_id from merged_conversation where id = any(?)";

    private static final String AUTHORS_OF = "select id, author_id from mention where id = any(?)";

    private static final String CONVERSATIONS_BY =
            "select distinct conversation_id from mention where author_id = any(?)";

    private static final String WAITING_FOR_AUTHORS = "select " + STORED_COLUMNS + " from mention where "
            + "(quote_of = any(?) and quote_author_id is null and quote_of is not null) or (repost_of = any(?) and "
            + "repost_author_id is null and repost_of is not null) or (reply_to_id = any(?) and "
            + "reply_to_author_id is null and reply_to_id is not null)";

    private static final String SAVE_AUTHORS = "update mention set quote_author_id = ?, repost_author_id = ?, "
            + "reply_to_author_id = ?, version = version + 1 where id = ?";

    private static final String RECORD_RESOLUTIONS = "insert into author_resolution (target_id, mention_id) "
            + "select * from unnest(?::text[], ?::text[]) on conflict do nothing";

    private static final String RESOLVED_BY = "select " + STORED_COLUMNS + " from mention where id in "
            + "(select mention_id from author_resolution where target_id = any(?))";

    private static final String COPY = "copy mention (id, platform, kind, created_at, author_id, lang, reply_to_id, "
            + "reply_to_author_id, stated_conversation_id, conversation_id, quote_of, repost_of, deleted, edited, "
            + "payload, mentioned_ids, hashtags, links, lang_detected, quote_author_id, repost_author_id, version_at, "
            + "version) from stdin";

    private static final String UPDATE = "update mention set payload = ?, deleted = ?, edited = ?, mentioned_ids = ?, "
            + "hashtags = ?, links = ?, lang = ?, lang_detected = ?, created_at = ?, version_at = ?, "
            + "version = version + 1 where id = ?";

    private static final String TOMBSTONE = "insert into mention_tombstone (id, deleted_at) values (?, ?) "
            + "on conflict (id) do nothing";

    private static final String WAITED_FOR = "select f.id from unnest(?::text[]) as f(id) where exists "
            + "(select 1 from mention m where m.conversation_id = f.id)";

    private static final String END_CONVERSATIONS = "delete from conversation where id = any(?)";

    private static final String REDIRECT_MERGED = "update merged_conversation g set into_id = v.into_id "
            + "from unnest(?::text[], ?::text[]) as v(id, into_id) where g.into_id = v.id";

    private static final String RECORD_MERGED = "insert into merged_conversation (id, into_id, merged_at) "
            + "select v.id, v.into_id, now() from unnest(?::text[], ?::text[]) as v(id, into_id) "
            + "on conflict (id) do update set into_id = excluded.into_id";

    private MentionStore() {
    }

    /** The stored rows of these posts, by id, each in its live conversation. */
    static Map<String, MentionRow> load(Connection c, Collection<String> ids) throws SQLException {
        Map<String, MentionRow> rows = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOAD)) {
            ps.setArray(1, texts(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    MentionRow r = read(rs);
                    rows.put(r.id, r);
                }
            }
        }
        resolve(c, rows.values());
        return rows;
    }

    /**
     * Replaces each row's stored conversation by the live one it was merged into, if it was: two queries on primary
     * keys, where a join let the planner scan all merges.
     */
    private static void resolve(Connection c, Collection<MentionRow> rows) throws SQLException {
        Set<String> stored = new HashSet<>();
        rows.forEach(r -> stored.add(r.conversationId));
        Map<String, String> merged = mergedInto(c, stored);
        for (MentionRow r : rows) {
            r.conversationId = merged.getOrDefault(r.conversationId, r.conversationId);
        }
    }

    /** Which of these posts were deleted before they were ever stored. */
    static Set<String> tombstoned(Connection c, Collection<String> ids) throws SQLException {
        Set<String> found = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(TOMBSTONED)) {
            ps.setArray(1, texts(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }

    /** The live conversation of each of these posts that is stored. */
    static Map<String, String> conversationsOf(Connection c, Set<String> ids) throws SQLException {
        Map<String, String> conversations = pairs(c, CONVERSATIONS_OF, ids);
        Map<String, String> merged = mergedInto(c, new HashSet<>(conversations.values()));
        conversations.replaceAll((id, conversation) -> merged.getOrDefault(conversation, conversation));
        return conversations;
    }

    /** The live conversation each of these merged fragments now belongs to. */
    static Map<String, String> mergedInto(Connection c, Set<String> ids) throws SQLException {
        return pairs(c, MERGED_INTO, ids);
    }

    /** Which of these posts are stored. */
    static Set<String> storedIds(Connection c, Set<String> ids) throws SQLException {
        return pairs(c, AUTHORS_OF, ids).keySet();
    }

    /** The author of each of these posts that is stored. */
    static Map<String, String> authorsOf(Connection c, Set<String> ids) throws SQLException {
        return pairs(c, AUTHORS_OF, ids);
    }

    /** The live conversations these accounts wrote in. */
    static Set<String> conversationsBy(Connection c, Collection<String> authors) throws SQLException {
        Set<String> conversations = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(CONVERSATIONS_BY)) {
            ps.setArray(1, texts(c, authors));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    conversations.add(rs.getString(1));
                }
            }
        }
        Map<String, String> merged = mergedInto(c, conversations);
        Set<String> live = new LinkedHashSet<>();
        conversations.forEach(id -> live.add(merged.getOrDefault(id, id)));
        return live;
    }

    /** Stored posts that quote, repost or answer one of these posts without knowing its author. */
    static List<MentionRow> waitingForAuthors(Connection c, Collection<String> ids) throws SQLException {
        List<MentionRow> rows = new ArrayList<>();
        if (ids.isEmpty()) {
            return rows;
        }
        Array array = texts(c, ids);
        try (PreparedStatement ps = c.prepareStatement(WAITING_FOR_AUTHORS)) {
            ps.setArray(1, array);
            ps.setArray(2, array);
            ps.setArray(3, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
        }
        resolve(c, rows);
        return rows;
    }

    /** Saves the authors resolved for these stored rows. */
    static void saveAuthors(Connection c, List<MentionRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(SAVE_AUTHORS)) {
            for (MentionRow r : rows) {
                ps.setString(1, r.quoteAuthorId);
                ps.setString(2, r.repostAuthorId);
                ps.setString(3, r.replyToAuthorId);
                ps.setString(4, r.id);
                ps.addBatch();
                r.version++;
            }
            ps.executeBatch();
        }
    }

    /**
     * Records which of {@code targets} each of these rows just learnt the author of: a replay of the batch that
     * brought those targets finds the rows no longer waiting, and reads them back with {@link #resolvedBy}.
     */
    static void recordResolutions(Connection c, List<MentionRow> rows, Set<String> targets) throws SQLException {
        List<String> target = new ArrayList<>();
        List<String> mention = new ArrayList<>();
        for (MentionRow r : rows) {
            for (String t : new LinkedHashSet<>(Arrays.asList(r.quoteOf, r.repostOf, r.replyToId))) {
                if (t != null && targets.contains(t)) {
                    target.add(t);
                    mention.add(r.id);
                }
            }
        }
        if (target.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(RECORD_RESOLUTIONS)) {
            ps.setArray(1, texts(c, target));
            ps.setArray(2, texts(c, mention));
            ps.executeUpdate();
        }
    }

    /** The stored rows that learnt an author when one of these posts arrived ({@link #recordResolutions}). */
    static List<MentionRow> resolvedBy(Connection c, Collection<String> targets) throws SQLException {
        List<MentionRow> rows = new ArrayList<>();
        if (targets.isEmpty()) {
            return rows;
        }
        try (PreparedStatement ps = c.prepareStatement(RESOLVED_BY)) {
            ps.setArray(1, texts(c, targets));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
        }
        resolve(c, rows);
        return rows;
    }

    /**
     * Inserts new rows with COPY: under the threading lock they cannot exist yet, and COPY is several times faster
     * than batched inserts.
     */
    static void insert(Connection c, Collection<MentionRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        CopyText copy = new CopyText(rows.size() * 1200);
        for (MentionRow r : rows) {
            copy.text(r.id).text(r.platform).text(r.kind).text(r.createdAt.toString()).text(r.authorId)
                    .text(r.lang).text(r.replyToId).text(r.replyToAuthorId).text(r.statedConversationId)
                    .text(r.conversationId).text(r.quoteOf).text(r.repostOf).bool(r.deleted).bool(r.edited)
                    .text(r.payload).array(r.mentioned).array(r.hashtags).array(r.links).bool(r.langDetected)
                    .text(r.quoteAuthorId).text(r.repostAuthorId).text(r.versionAt.toString())
                    .last(Long.toString(r.version));
        }
        try {
            c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(COPY, copy.reader());
        } catch (java.io.IOException e) {
            throw new SQLException("COPY into mention failed", "58030", e);
        }
    }

    /** Saves the content, state and time of stored rows the batch changed. */
    static void update(Connection c, List<MentionRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (MentionRow r : rows) {
                ps.setString(1, r.payload);
                ps.setBoolean(2, r.deleted);
                ps.setBoolean(3, r.edited);
                ps.setArray(4, texts(c, r.mentioned));
                ps.setArray(5, texts(c, r.hashtags));
                ps.setArray(6, texts(c, r.links));
                ps.setString(7, r.lang);
                ps.setBoolean(8, r.langDetected);
                ps.setTimestamp(9, Timestamp.from(r.createdAt));
                ps.setTimestamp(10, Timestamp.from(r.versionAt));
                ps.setString(11, r.id);
                ps.addBatch();
                r.version++;
            }
            ps.executeBatch();
        }
    }

    /** Remembers deletes of posts never stored. */
    static void insertTombstones(Connection c, Map<String, Instant> tombstones) throws SQLException {
        if (tombstones.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(TOMBSTONE)) {
            for (Map.Entry<String, Instant> t : tombstones.entrySet()) {
                ps.setString(1, t.getKey());
                ps.setTimestamp(2, Timestamp.from(t.getValue()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The moves that some stored mentions wait for: most new mentions are not a missing link, and only the few whose
     * id names a stored conversation move anything.
     */
    static Map<String, String> waitedFor(Connection c, Map<String, String> moves) throws SQLException {
        Map<String, String> waitedFor = new LinkedHashMap<>();
        if (moves.isEmpty()) {
            return waitedFor;
        }
        try (PreparedStatement ps = c.prepareStatement(WAITED_FOR)) {
            ps.setArray(1, texts(c, moves.keySet()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    waitedFor.put(id, moves.get(id));
                }
            }
        }
        return waitedFor;
    }

    /**
     * Merges fragment conversations into the ones they belong to ({@link #waitedFor}); returns the fragments merged.
     * The fragments' mentions keep the conversation they were stored in: {@code merged_conversation} says where it
     * went (kept flat, so one lookup resolves it), and every reader resolves it ({@link MergedConversations}).
     * Rewriting them instead cost a third of a batch's time when replies come before their parents.
     */
    static List<String> mergeConversations(Connection c, Map<String, String> waitedFor) throws SQLException {
        if (waitedFor.isEmpty()) {
            return List.of();
        }
        Array from = texts(c, waitedFor.keySet());
        Array into = texts(c, waitedFor.values());
        try (PreparedStatement end = c.prepareStatement(END_CONVERSATIONS);
                PreparedStatement redirect = c.prepareStatement(REDIRECT_MERGED);
                PreparedStatement record = c.prepareStatement(RECORD_MERGED)) {
            end.setArray(1, from);
            end.executeUpdate();
            redirect.setArray(1, from);
            redirect.setArray(2, into);
            redirect.executeUpdate();
            record.setArray(1, from);
            record.setArray(2, into);
            record.executeUpdate();
        }
        return List.copyOf(waitedFor.keySet());
    }

    /** A text array parameter. */
    static Array texts(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }

    private static Map<String, String> pairs(Connection c, String sql, Set<String> ids) throws SQLException {
        Map<String, String> pairs = new HashMap<>();
        if (ids.isEmpty()) {
            return pairs;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, texts(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pairs.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return pairs;
    }

    /** A stored row, selected with {@link #STORED_COLUMNS}. */
    private static MentionRow read(ResultSet rs) throws SQLException {
        MentionRow r = new MentionRow(rs.getString(1), null);
        r.conversationId = rs.getString(2);
        r.deleted = rs.getBoolean(3);
        r.edited = rs.getBoolean(4);
        r.payload = rs.getString(5);
        r.kind = rs.getString(6);
        r.authorId = rs.getString(7);
        r.replyToAuthorId = rs.getString(8);
        r.mentioned = List.of((String[]) rs.getArray(9).getArray());
        r.quoteAuthorId = rs.getString(10);
        r.repostAuthorId = rs.getString(11);
        r.hashtags = List.of((String[]) rs.getArray(12).getArray());
        r.links = List.of((String[]) rs.getArray(13).getArray());
        r.lang = rs.getString(14);
        r.langDetected = rs.getBoolean(15);
        r.createdAt = rs.getTimestamp(16).toInstant();
        r.quoteOf = rs.getString(17);
        r.repostOf = rs.getString(18);
        r.replyToId = rs.getString(19);
        r.versionAt = rs.getTimestamp(20).toInstant();
        r.version = rs.getLong(21);
        return r;
    }
}
