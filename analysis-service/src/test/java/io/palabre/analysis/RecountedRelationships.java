package io.palabre.analysis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.palabre.analysis.domain.RelationshipUpdated;

/**
 * The relationship graph as maintained (the {@code relationship} table), and recounted from the stored mentions over a
 * time window by the rules of threading's {@code Relationships} written once more in SQL: the oracle that the
 * maintained deltas leave what the mentions make.
 */
final class RecountedRelationships {

    private static final String WINDOW = "with m as (select author_id, kind, reply_to_author_id, mentioned_ids, "
            + "quote_author_id, repost_author_id, created_at from mention where not deleted and created_at >= ? and "
            + "created_at < ?), e as ("
            + "select author_id as s, reply_to_author_id as t, 'reply' as y, created_at from m where kind <> 'repost' "
            + "and reply_to_author_id is not null "
            + "union all select author_id, quote_author_id, 'quote', created_at from m where kind <> 'repost' and "
            + "quote_author_id is not null "
            + "union all select author_id, repost_author_id, 'repost', created_at from m where kind = 'repost' and "
            + "repost_author_id is not null "
            + "union all select author_id, unnest(mentioned_ids), 'mention', created_at from m where kind <> 'repost') "
            + "select s, t, y, count(*)::int, min(created_at), max(created_at) from e where s <> t and (?::text is null "
            + "or y = ?) group by s, t, y having count(*) >= ? order by count(*) desc, s, t, y limit ?";

    private RecountedRelationships() {
    }

    /** Relationships seen in [from, to), heaviest first; type null for all types. */
    static List<RelationshipUpdated> window(DataSource dataSource, Instant from, Instant to, String type, int minWeight, int limit)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(WINDOW)) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            ps.setString(3, type);
            ps.setString(4, type);
            ps.setInt(5, minWeight);
            ps.setInt(6, limit);
            return read(ps);
        }
    }

    /** The maintained whole-history relationships, heaviest first. */
    static List<RelationshipUpdated> allTime(DataSource dataSource, String type, int minWeight, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select source_id, "
                + "target_id, type, weight, first_seen_at, last_seen_at from relationship where (?::text is null or "
                + "type = ?) and weight >= ? order by weight desc, source_id, target_id, type limit ?")) {
            ps.setString(1, type);
            ps.setString(2, type);
            ps.setInt(3, minWeight);
            ps.setInt(4, limit);
            return read(ps);
        }
    }

    private static List<RelationshipUpdated> read(PreparedStatement ps) throws SQLException {
        List<RelationshipUpdated> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new RelationshipUpdated(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), 0));
            }
        }
        return out;
    }
}
