package io.palabre.analysis.threading;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code organisation_interaction} table: which mentions interact with an organisation account, so that dialogue
 * metrics find them without scanning every mention (the calculator checks each one again).
 */
final class InteractionStore {

    private static final String FORGET = "delete from organisation_interaction where mention_id = any(?)";

    private static final String RECORD = "insert into organisation_interaction (account_id, mention_id, created_at) "
            + "values (?, ?, ?) on conflict (account_id, mention_id) do update set created_at = excluded.created_at";

    private InteractionStore() {
    }

    /**
     * Records the interactions of new rows and of rows whose targets' authors became known; a stored row that changed
     * (another version, an earlier time, a delete) is recorded anew from what it now is.
     */
    static void record(Connection c, Set<String> organisationIds, Collection<MentionRow> fresh,
            Collection<MentionRow> resolved, Collection<MentionRow> changed) throws SQLException {
        if (organisationIds.isEmpty()) {
            return;
        }
        if (!changed.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(FORGET)) {
                ps.setArray(1, MentionStore.texts(c, changed.stream().map(r -> r.id).toList()));
                ps.executeUpdate();
            }
        }
        Map<String, Set<String>> byMention = new LinkedHashMap<>();
        Map<String, Instant> createdAt = new HashMap<>();
        for (Collection<MentionRow> rows : List.of(fresh, resolved, changed)) {
            for (MentionRow r : rows) {
                for (Relationships.Key k : r.relationships()) {
                    if (organisationIds.contains(k.target())) {
                        byMention.computeIfAbsent(r.id, id -> new LinkedHashSet<>()).add(k.target());
                        createdAt.put(r.id, r.createdAt);
                    }
                }
            }
        }
        if (byMention.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(RECORD)) {
            for (Map.Entry<String, Set<String>> e : byMention.entrySet()) {
                for (String account : e.getValue()) {
                    ps.setString(1, account);
                    ps.setString(2, e.getKey());
                    ps.setTimestamp(3, Timestamp.from(createdAt.get(e.getKey())));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }
}
