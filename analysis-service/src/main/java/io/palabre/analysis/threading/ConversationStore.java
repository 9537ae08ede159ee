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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.palabre.analysis.domain.ConversationUpdated;

/** The {@code conversation} table: each conversation's shape, recomputed from its mentions. */
final class ConversationStore {

    private static final String POSTS = "select conversation_id, id, kind, reply_to_id, author_id, created_at, "
            + "platform, lang from mention where conversation_id = any(?)";

    private static final String MERGED = "select into_id, id from merged_conversation where into_id = any(?) "
            + "order by id";

    private static final String NOW = "select clock_timestamp()";

    private static final String UPSERT = "insert into conversation (id, root_present, size, depth, participants, "
            + "platforms, languages, first_activity_at, last_activity_at, max_branching, updated_at, "
            + "organisation_took_part) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) "
            + "do update set root_present = excluded.root_present, size = excluded.size, "
            + "depth = excluded.depth, participants = excluded.participants, platforms = excluded.platforms, "
            + "languages = excluded.languages, first_activity_at = excluded.first_activity_at, "
            + "last_activity_at = excluded.last_activity_at, max_branching = excluded.max_branching, "
            + "updated_at = excluded.updated_at, organisation_took_part = excluded.organisation_took_part";

    private ConversationStore() {
    }

    /**
     * Recomputes these conversations from their mentions, stores them, and returns their new state, each with every
     * fragment ever merged into it ({@code mergedInto}: this batch's merges).
     */
    static List<ConversationUpdated> recompute(Connection c, Set<String> conversationIds,
            Map<String, List<String>> mergedInto, Set<String> organisationAccounts) throws SQLException {
        Map<String, ConversationShape> shapes = new LinkedHashMap<>();
        for (String id : conversationIds) {
            shapes.put(id, new ConversationShape(id, organisationAccounts));
        }
        try (PreparedStatement ps = c.prepareStatement(POSTS)) {
            ps.setArray(1, MentionStore.texts(c, conversationIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    shapes.get(rs.getString(1)).add(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getString(8));
                }
            }
        }
        // Every fragment ever merged into each conversation, not only this batch's: a consumer that missed a merge
        // (its publication lost in a crash, the batch replayed) catches up with the next state of the conversation.
        Map<String, List<String>> allMerged = new HashMap<>();
        mergedInto.forEach((into, olds) -> allMerged.computeIfAbsent(into, k -> new ArrayList<>()).addAll(olds));
        try (PreparedStatement ps = c.prepareStatement(MERGED)) {
            ps.setArray(1, MentionStore.texts(c, conversationIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> olds = allMerged.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                    if (!olds.contains(rs.getString(2))) {
                        olds.add(rs.getString(2));
                    }
                }
            }
        }
        // The database's clock, read under the threading lock: updatedAt grows with every change of a conversation
        // whichever instance made it, so consumers can keep the latest state.
        Instant now;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(NOW)) {
            rs.next();
            now = rs.getTimestamp(1).toInstant();
        }
        List<ConversationUpdated> updates = new ArrayList<>(shapes.size());
        for (ConversationShape shape : shapes.values()) {
            if (shape.hasPosts()) {
                updates.add(shape.toEvent(allMerged.getOrDefault(shape.id(), List.of()), now));
            }
        }
        if (updates.isEmpty()) {
            return updates;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (ConversationUpdated u : updates) {
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
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return updates;
    }
}
