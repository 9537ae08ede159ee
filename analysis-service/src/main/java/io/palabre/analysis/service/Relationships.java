package io.palabre.analysis.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.palabre.analysis.domain.RelationshipUpdated;

/**
 * The whole-history relationship table, kept equal to the sum of the stored, undeleted mentions: new mentions add
 * to it, and a delete or an edit recounts the relationships it touched from the mentions themselves.
 *
 * <p>What a mention contributes: a repost, one {@code repost} edge to the reposted post's author; any other post,
 * one {@code reply} edge to the author it answers, one {@code quote} edge to the quoted post's author, and one
 * {@code mention} edge to each account it names other than those two. Edges from an account to itself are not
 * relationships and are left out.
 */
final class Relationships {

    /** One directed, typed relationship. */
    record Key(String source, String target, String type) implements Comparable<Key> {

        private static final Comparator<Key> ORDER = Comparator.comparing(Key::source).thenComparing(Key::target)
                .thenComparing(Key::type);

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    /** What some mentions add to one relationship. */
    static final class Tally {
        int weight;
        Instant first;
        Instant last;

        void add(Instant at) {
            weight++;
            first = first == null || at.isBefore(first) ? at : first;
            last = last == null || at.isAfter(last) ? at : last;
        }
    }

    private final Map<Key, Tally> additions = new TreeMap<>();
    private final java.util.Set<Key> recounts = new java.util.TreeSet<>();

    /** The relationships one mention makes, from the columns stored for it. */
    static List<Key> of(String kind, String author, String replyToAuthor, Collection<String> mentioned,
            String quoteAuthor, String repostAuthor) {
        List<Key> keys = new ArrayList<>(2);
        if ("repost".equals(kind)) {
            addIfOther(keys, author, repostAuthor, "repost");
            return keys;
        }
        addIfOther(keys, author, replyToAuthor, "reply");
        addIfOther(keys, author, quoteAuthor, "quote");
        for (String named : mentioned) {
            addIfOther(keys, author, named, "mention");
        }
        return keys;
    }

    private static void addIfOther(List<Key> keys, String source, String target, String type) {
        if (target != null && !target.equals(source)) {
            keys.add(new Key(source, target, type));
        }
    }

    void add(Key key, Instant at) {
        additions.computeIfAbsent(key, k -> new Tally()).add(at);
    }

    void recount(Collection<Key> keys) {
        recounts.addAll(keys);
    }

    /** Writes the additions, then the recounts, and returns each touched relationship's new state. */
    List<RelationshipUpdated> write(Connection c) throws SQLException {
        List<RelationshipUpdated> updated = new ArrayList<>(additions.size() + recounts.size());
        if (!additions.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("insert into relationship (source_id, target_id, type, "
                    + "weight, first_seen_at, last_seen_at) values (?, ?, ?, ?, ?, ?) on conflict (source_id, "
                    + "target_id, type) do update set weight = relationship.weight + excluded.weight, "
                    + "first_seen_at = least(relationship.first_seen_at, excluded.first_seen_at), "
                    + "last_seen_at = greatest(relationship.last_seen_at, excluded.last_seen_at)")) {
                for (Map.Entry<Key, Tally> e : additions.entrySet()) {
                    Key k = e.getKey();
                    ps.setString(1, k.source());
                    ps.setString(2, k.target());
                    ps.setString(3, k.type());
                    ps.setInt(4, e.getValue().weight);
                    ps.setTimestamp(5, Timestamp.from(e.getValue().first));
                    ps.setTimestamp(6, Timestamp.from(e.getValue().last));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        java.util.Set<Key> touched = new java.util.TreeSet<>(additions.keySet());
        touched.addAll(recounts);
        for (Key k : recounts) {
            recountOne(c, k);
        }
        if (touched.isEmpty()) {
            return updated;
        }
        try (PreparedStatement ps = c.prepareStatement("select k.s, k.t, k.y, r.weight, r.first_seen_at, "
                + "r.last_seen_at from unnest(?::text[], ?::text[], ?::text[]) as k(s, t, y) left join relationship r "
                + "on r.source_id = k.s and r.target_id = k.t and r.type = k.y")) {
            List<String> s = new ArrayList<>(touched.size());
            List<String> t = new ArrayList<>(touched.size());
            List<String> y = new ArrayList<>(touched.size());
            for (Key k : touched) {
                s.add(k.source());
                t.add(k.target());
                y.add(k.type());
            }
            ps.setArray(1, c.createArrayOf("text", s.toArray()));
            ps.setArray(2, c.createArrayOf("text", t.toArray()));
            ps.setArray(3, c.createArrayOf("text", y.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp first = rs.getTimestamp(5);
                    Timestamp last = rs.getTimestamp(6);
                    updated.add(new RelationshipUpdated(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getInt(4), first == null ? null : first.toInstant(),
                            last == null ? null : last.toInstant()));
                }
            }
        }
        return updated;
    }

    private static void recountOne(Connection c, Key k) throws SQLException {
        String condition = switch (k.type()) {
            case "reply" -> "kind <> 'repost' and reply_to_author_id = ?";
            case "quote" -> "kind <> 'repost' and quote_author_id = ?";
            case "repost" -> "kind = 'repost' and repost_author_id = ?";
            case "mention" -> "kind <> 'repost' and ? = any(mentioned_ids)";
            default -> throw new IllegalArgumentException("Unknown relationship type " + k.type());
        };
        try (PreparedStatement ps = c.prepareStatement("with t as (select count(*) as weight, min(created_at) as "
                + "first_seen_at, max(created_at) as last_seen_at from mention where author_id = ? and not deleted "
                + "and " + condition + "), upsert as (insert into relationship (source_id, target_id, type, weight, "
                + "first_seen_at, last_seen_at) select ?, ?, ?, weight, first_seen_at, last_seen_at from t where "
                + "weight > 0 on conflict (source_id, target_id, type) do update set weight = excluded.weight, "
                + "first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at) delete from "
                + "relationship where source_id = ? and target_id = ? and type = ? and (select weight from t) = 0")) {
            ps.setString(1, k.source());
            ps.setString(2, k.target());
            ps.setString(3, k.source());
            ps.setString(4, k.target());
            ps.setString(5, k.type());
            ps.setString(6, k.source());
            ps.setString(7, k.target());
            ps.setString(8, k.type());
            ps.executeUpdate();
        }
    }
}
