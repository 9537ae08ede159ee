package io.palabre.analysis.threading;

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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.palabre.analysis.domain.RelationshipUpdated;

/**
 * The whole-history relationship table, kept equal to the sum of the stored, undeleted mentions: new mentions add
 * to it, and a delete, an edit or an earlier time withdraws the contributions the stored mention made. A withdrawal
 * is a delta: the weight goes down, and the first and last times stay, unless a withdrawn contribution held one of
 * them (or the weight would go below zero): then, and only then, the relationship is recounted from the mentions,
 * which for a prolific author means reading all of them.
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
    private final Map<Key, Tally> withdrawals = new TreeMap<>();
    private final Set<Key> republished = new TreeSet<>();

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

    /** A stored, counted mention no longer makes these relationships at {@code at}. */
    void withdraw(Collection<Key> keys, Instant at) {
        for (Key k : keys) {
            withdrawals.computeIfAbsent(k, key -> new Tally()).add(at);
        }
    }

    /** A stored, counted mention now makes these relationships at {@code at}. */
    void add(Collection<Key> keys, Instant at) {
        for (Key k : keys) {
            add(k, at);
        }
    }

    /**
     * Publishes the current state of these relationships again, unchanged: a batch replayed after a crash finds its
     * mentions stored already, and must still publish what the first attempt may not have.
     */
    void republish(Collection<Key> keys) {
        republished.addAll(keys);
    }

    /** Writes the additions, then the withdrawals, and returns each touched relationship's new state. */
    List<RelationshipUpdated> write(Connection c) throws SQLException {
        List<RelationshipUpdated> updated = new ArrayList<>(additions.size() + withdrawals.size());
        if (!additions.isEmpty()) {
            // One statement for the whole batch; the keys are distinct, as ON CONFLICT requires.
            int n = additions.size();
            String[] source = new String[n];
            String[] target = new String[n];
            String[] type = new String[n];
            Integer[] weight = new Integer[n];
            String[] first = new String[n];
            String[] last = new String[n];
            int i = 0;
            for (Map.Entry<Key, Tally> e : additions.entrySet()) {
                source[i] = e.getKey().source();
                target[i] = e.getKey().target();
                type[i] = e.getKey().type();
                weight[i] = e.getValue().weight;
                first[i] = e.getValue().first.toString();
                last[i] = e.getValue().last.toString();
                i++;
            }
            try (PreparedStatement ps = c.prepareStatement("insert into relationship as r (source_id, target_id, "
                    + "type, weight, first_seen_at, last_seen_at, version) select u.*, coalesce(v.version, 0) + 1 "
                    + "from unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::timestamptz[], ?::timestamptz[]) "
                    + "as u(s, t, y, w, f, l) left join relationship_removal v on v.source_id = u.s and "
                    + "v.target_id = u.t and v.type = u.y on conflict (source_id, target_id, "
                    + "type) do update set weight = r.weight + excluded.weight, "
                    + "first_seen_at = least(r.first_seen_at, excluded.first_seen_at), "
                    + "last_seen_at = greatest(r.last_seen_at, excluded.last_seen_at), version = r.version + 1 "
                    + "returning source_id, target_id, type, weight, first_seen_at, last_seen_at, version")) {
                ps.setArray(1, c.createArrayOf("text", source));
                ps.setArray(2, c.createArrayOf("text", target));
                ps.setArray(3, c.createArrayOf("text", type));
                ps.setArray(4, c.createArrayOf("int4", weight));
                ps.setArray(5, c.createArrayOf("text", first));
                ps.setArray(6, c.createArrayOf("text", last));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Key k = new Key(rs.getString(1), rs.getString(2), rs.getString(3));
                        if (!withdrawals.containsKey(k)) {
                            updated.add(new RelationshipUpdated(k.source(), k.target(), k.type(), rs.getInt(4),
                                    rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getLong(7)));
                        }
                    }
                }
            }
        }
        Set<Key> reported = new TreeSet<>(withdrawals.keySet());
        republished.stream().filter(k -> !additions.containsKey(k)).forEach(reported::add);
        if (reported.isEmpty()) {
            return updated;
        }
        applyWithdrawals(c);
        try (PreparedStatement ps = c.prepareStatement("select k.s, k.t, k.y, r.weight, r.first_seen_at, "
                + "r.last_seen_at, coalesce(r.version, v.version) from unnest(?::text[], ?::text[], ?::text[]) "
                + "as k(s, t, y) left join relationship r "
                + "on r.source_id = k.s and r.target_id = k.t and r.type = k.y left join relationship_removal v on "
                + "v.source_id = k.s and v.target_id = k.t and v.type = k.y")) {
            List<String> s = new ArrayList<>(reported.size());
            List<String> t = new ArrayList<>(reported.size());
            List<String> y = new ArrayList<>(reported.size());
            for (Key k : reported) {
                s.add(k.source());
                t.add(k.target());
                y.add(k.type());
            }
            ps.setArray(1, c.createArrayOf("text", s.toArray()));
            ps.setArray(2, c.createArrayOf("text", t.toArray()));
            ps.setArray(3, c.createArrayOf("text", y.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getObject(7) == null) {
                        continue; // never made: nothing to say about it
                    }
                    Timestamp first = rs.getTimestamp(5);
                    Timestamp last = rs.getTimestamp(6);
                    updated.add(new RelationshipUpdated(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getInt(4), first == null ? null : first.toInstant(),
                            last == null ? null : last.toInstant(), rs.getLong(7)));
                }
            }
        }
        return updated;
    }

    /** Takes the withdrawn contributions away, by delta where that is exact, else by a recount. */
    private void applyWithdrawals(Connection c) throws SQLException {
        if (withdrawals.isEmpty()) {
            return;
        }
        Map<Key, Stored> stored = new TreeMap<>();
        List<Key> keys = new ArrayList<>(withdrawals.keySet());
        try (PreparedStatement ps = c.prepareStatement("select r.source_id, r.target_id, r.type, r.weight, "
                + "r.first_seen_at, r.last_seen_at from unnest(?::text[], ?::text[], ?::text[]) as k(s, t, y) "
                + "join relationship r on r.source_id = k.s and r.target_id = k.t and r.type = k.y")) {
            bindKeys(c, ps, keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.put(new Key(rs.getString(1), rs.getString(2), rs.getString(3)), new Stored(rs.getInt(4),
                            rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant()));
                }
            }
        }
        List<Key> lowered = new ArrayList<>();
        List<Integer> by = new ArrayList<>();
        List<Key> emptied = new ArrayList<>();
        for (Key k : keys) {
            Tally gone = withdrawals.get(k);
            Stored now = stored.get(k);
            if (now == null || now.weight < gone.weight) {
                recountOne(c, k); // not what was counted: read it again from the mentions
            } else if (now.weight == gone.weight) {
                emptied.add(k);
            } else if (!gone.first.isAfter(now.first) || !gone.last.isBefore(now.last)) {
                recountOne(c, k); // a withdrawn contribution held the first or last time
            } else {
                lowered.add(k);
                by.add(gone.weight);
            }
        }
        if (!lowered.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("update relationship r set weight = r.weight - d.w, "
                    + "version = r.version + 1 from unnest(?::text[], ?::text[], ?::text[], ?::int[]) "
                    + "as d(s, t, y, w) where r.source_id = d.s and r.target_id = d.t and r.type = d.y")) {
                bindKeys(c, ps, lowered);
                ps.setArray(4, c.createArrayOf("int4", by.toArray()));
                ps.executeUpdate();
            }
        }
        if (!emptied.isEmpty()) {
            // Gone: its removal remembers the version, so that a relationship made again continues from it.
            try (PreparedStatement ps = c.prepareStatement("with gone as (delete from relationship r using "
                    + "unnest(?::text[], ?::text[], ?::text[]) as k(s, t, y) where r.source_id = k.s and "
                    + "r.target_id = k.t and r.type = k.y returning r.source_id, r.target_id, r.type, r.version) "
                    + "insert into relationship_removal (source_id, target_id, type, version) select source_id, "
                    + "target_id, type, version + 1 from gone on conflict (source_id, target_id, type) do update "
                    + "set version = excluded.version")) {
                bindKeys(c, ps, emptied);
                ps.executeUpdate();
            }
        }
    }

    /** A relationship as stored. */
    private record Stored(int weight, Instant first, Instant last) {
    }

    private static void bindKeys(Connection c, PreparedStatement ps, List<Key> keys) throws SQLException {
        String[] s = new String[keys.size()];
        String[] t = new String[keys.size()];
        String[] y = new String[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            s[i] = keys.get(i).source();
            t[i] = keys.get(i).target();
            y[i] = keys.get(i).type();
        }
        ps.setArray(1, c.createArrayOf("text", s));
        ps.setArray(2, c.createArrayOf("text", t));
        ps.setArray(3, c.createArrayOf("text", y));
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
                + "and " + condition + "), old as (select coalesce((select version from relationship where "
                + "source_id = ? and target_id = ? and type = ?), (select version from relationship_removal where "
                + "source_id = ? and target_id = ? and type = ?), 0) as version), upsert as (insert into relationship "
                + "(source_id, target_id, type, weight, first_seen_at, last_seen_at, version) select ?, ?, ?, "
                + "t.weight, t.first_seen_at, t.last_seen_at, old.version + 1 from t, old where t.weight > 0 "
                + "on conflict (source_id, target_id, type) do update set weight = excluded.weight, "
                + "first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at, "
                + "version = excluded.version), removal as (insert into relationship_removal (source_id, target_id, "
                + "type, version) select ?, ?, ?, old.version + 1 from t, old where t.weight = 0 on conflict "
                + "(source_id, target_id, type) do update set version = excluded.version) delete from relationship "
                + "where source_id = ? and target_id = ? and type = ? and (select weight from t) = 0")) {
            ps.setString(1, k.source());
            ps.setString(2, k.target());
            int i = 3;
            for (int repeat = 0; repeat < 5; repeat++) {
                ps.setString(i++, k.source());
                ps.setString(i++, k.target());
                ps.setString(i++, k.type());
            }
            ps.executeUpdate();
        }
    }
}
