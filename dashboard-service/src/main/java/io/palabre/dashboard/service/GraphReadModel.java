package io.palabre.dashboard.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.palabre.dashboard.domain.AccountMetricsUpdated;
import io.palabre.dashboard.domain.MentionThreaded;
import io.palabre.dashboard.domain.RelationshipUpdated;

/**
 * The graph side of the read model, written in the same transaction as the conversations: each mention's
 * relationships (for windows), whole-history relationships (highest version wins), account names (the latest post
 * wins) and metrics (the latest run wins).
 */
final class GraphReadModel {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private GraphReadModel() {
    }

    static void apply(Connection c, List<RelationshipUpdated> relationships, List<AccountMetricsUpdated> accounts)
            throws SQLException {
        upsertRelationships(c, relationships);
        upsertMetrics(c, accounts);
    }

    /** Replaces the relationships of each mention with those it now makes (none when deleted). */
    static void mentionRelationships(Connection c, Collection<MentionThreaded> mentions) throws SQLException {
        if (mentions.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = c.prepareStatement(
                "delete from mention_relationship where mention_id = any(?)")) {
            delete.setArray(1, c.createArrayOf("text", mentions.stream().map(m -> m.mention().id()).toArray()));
            delete.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("insert into mention_relationship (mention_id, type, "
                + "source_id, target_id, created_at) values (?, ?, ?, ?, ?) on conflict do nothing")) {
            int rows = 0;
            for (MentionThreaded t : mentions) {
                if (t.deleted() || t.relationships() == null) {
                    continue;
                }
                for (MentionThreaded.Target target : t.relationships()) {
                    ps.setString(1, t.mention().id());
                    ps.setString(2, target.type());
                    ps.setString(3, t.mention().author().id());
                    ps.setString(4, target.accountId());
                    ps.setTimestamp(5, Timestamp.from(t.postedAtOrCreated()));
                    ps.addBatch();
                    rows++;
                }
            }
            if (rows > 0) {
                ps.executeBatch();
            }
        }
    }

    /** Account names from the posts' authors: the latest post's names win. */
    static void accountNames(Connection c, Collection<MentionThreaded> mentions) throws SQLException {
        Map<String, MentionThreaded> latest = new TreeMap<>();
        for (MentionThreaded t : mentions) {
            latest.merge(t.mention().author().id(), t,
                    (a, b) -> b.postedAtOrCreated().isAfter(a.postedAtOrCreated()) ? b : a);
        }
        if (latest.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into account (id, platform, handle, display_name, "
                + "last_post_at, bot) values (?, ?, ?, ?, ?, ?) on conflict (id) do update set bot = account.bot or excluded.bot, "
                + "handle = case when account.last_post_at is null or excluded.last_post_at >= account.last_post_at "
                + "then coalesce(excluded.handle, account.handle) else account.handle end, "
                + "display_name = case when account.last_post_at is null or excluded.last_post_at >= "
                + "account.last_post_at then coalesce(excluded.display_name, account.display_name) "
                + "else account.display_name end, "
                + "last_post_at = greatest(account.last_post_at, excluded.last_post_at)")) {
            for (MentionThreaded t : latest.values()) {
                MentionThreaded.Mention m = t.mention();
                ps.setString(1, m.author().id());
                ps.setString(2, m.platform());
                ps.setString(3, m.author().handle());
                ps.setString(4, m.author().displayName());
                ps.setTimestamp(5, Timestamp.from(t.postedAtOrCreated()));
                ps.setBoolean(6, Boolean.TRUE.equals(m.author().bot()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void upsertRelationships(Connection c, List<RelationshipUpdated> updates) throws SQLException {
        Map<String, RelationshipUpdated> latest = new TreeMap<>();
        for (RelationshipUpdated r : updates) {
            latest.merge(r.type() + "|" + r.sourceId() + "|" + r.targetId(), r,
                    (a, b) -> b.version() >= a.version() ? b : a);
        }
        if (latest.isEmpty()) {
            return;
        }
        partners(c, latest.values());
        try (PreparedStatement ps = c.prepareStatement("insert into relationship (source_id, target_id, type, "
                + "weight, first_seen_at, last_seen_at, version) values (?, ?, ?, ?, ?, ?, ?) on conflict (source_id, "
                + "target_id, type) do update set weight = excluded.weight, first_seen_at = excluded.first_seen_at, "
                + "last_seen_at = excluded.last_seen_at, version = excluded.version "
                + "where relationship.version <= excluded.version")) {
            for (RelationshipUpdated r : latest.values()) {
                ps.setString(1, r.sourceId());
                ps.setString(2, r.targetId());
                ps.setString(3, r.type());
                ps.setInt(4, r.weight());
                ps.setTimestamp(5, r.firstSeenAt() == null ? null : Timestamp.from(r.firstSeenAt()));
                ps.setTimestamp(6, r.lastSeenAt() == null ? null : Timestamp.from(r.lastSeenAt()));
                ps.setLong(7, r.version());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Moves the weights of {@code account_partner} by what these relationships change, before they are stored: a
     * state older than the stored one changes nothing, as it will not be stored.
     */
    private static void partners(Connection c, Collection<RelationshipUpdated> updates) throws SQLException {
        Map<String, long[]> stored = new HashMap<>(); // key -> {weight, version}
        try (PreparedStatement ps = c.prepareStatement("select r.source_id, r.target_id, r.type, r.weight, r.version "
                + "from relationship r join unnest(?::text[], ?::text[], ?::text[]) as k(s, t, y) on r.source_id = k.s "
                + "and r.target_id = k.t and r.type = k.y")) {
            ps.setArray(1, c.createArrayOf("text", updates.stream().map(RelationshipUpdated::sourceId).toArray()));
            ps.setArray(2, c.createArrayOf("text", updates.stream().map(RelationshipUpdated::targetId).toArray()));
            ps.setArray(3, c.createArrayOf("text", updates.stream().map(RelationshipUpdated::type).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.put(rs.getString(3) + "|" + rs.getString(1) + "|" + rs.getString(2),
                            new long[] { rs.getInt(4), rs.getLong(5) });
                }
            }
        }
        Map<List<String>, Long> deltas = new TreeMap<>(Comparator.<List<String>, String> comparing(k -> k.get(0))
                .thenComparing(k -> k.get(1)));
        for (RelationshipUpdated r : updates) {
            long[] before = stored.get(r.type() + "|" + r.sourceId() + "|" + r.targetId());
            if (before != null && before[1] > r.version() || r.sourceId().equals(r.targetId())) {
                continue;
            }
            long delta = Math.max(0, r.weight()) - (before == null ? 0 : Math.max(0, before[0]));
            if (delta != 0) {
                deltas.merge(List.of(r.sourceId(), r.targetId()), delta, Long::sum);
                deltas.merge(List.of(r.targetId(), r.sourceId()), delta, Long::sum);
            }
        }
        deltas.values().removeIf(d -> d == 0);
        if (deltas.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into account_partner (account_id, partner_id, weight) "
                + "values (?, ?, ?) on conflict (account_id, partner_id) do update set weight = "
                + "account_partner.weight + excluded.weight")) {
            for (Map.Entry<List<String>, Long> d : deltas.entrySet()) {
                ps.setString(1, d.getKey().get(0));
                ps.setString(2, d.getKey().get(1));
                ps.setLong(3, d.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void upsertMetrics(Connection c, List<AccountMetricsUpdated> updates) throws SQLException {
        Map<String, AccountMetricsUpdated> latest = new LinkedHashMap<>();
        for (AccountMetricsUpdated a : updates) {
            latest.merge(a.accountId(), a, (x, y) -> y.runId() >= x.runId() ? y : x);
        }
        if (latest.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into account (id, platform, run_id, metrics_at, "
                + "pagerank, pagerank_by_type, core, betweenness, reciprocity, community, sub_community, degree, "
                + "weighted_degree, degrees) values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) "
                + "on conflict (id) do update set "
                + "run_id = excluded.run_id, metrics_at = excluded.metrics_at, pagerank = excluded.pagerank, "
                + "pagerank_by_type = excluded.pagerank_by_type, core = excluded.core, "
                + "betweenness = excluded.betweenness, reciprocity = excluded.reciprocity, "
                + "community = excluded.community, sub_community = excluded.sub_community, degree = excluded.degree, "
                + "weighted_degree = excluded.weighted_degree, degrees = excluded.degrees "
                + "where account.run_id is null or account.run_id <= excluded.run_id")) {
            for (AccountMetricsUpdated a : latest.values()) {
                AccountMetricsUpdated.Degrees all = a.degrees() == null ? null : a.degrees().get("all");
                ps.setString(1, a.accountId());
                ps.setString(2, a.accountId().substring(0, Math.max(0, a.accountId().indexOf(':'))));
                ps.setLong(3, a.runId());
                ps.setTimestamp(4, Timestamp.from(a.computedAt() == null ? Instant.now() : a.computedAt()));
                ps.setDouble(5, a.pagerank());
                ps.setString(6, a.pagerankByType() == null ? "{}" : a.pagerankByType().toString());
                ps.setInt(7, a.core());
                ps.setDouble(8, a.betweenness());
                ps.setDouble(9, a.reciprocity());
                ps.setInt(10, a.community());
                ps.setObject(11, a.subCommunity(), java.sql.Types.INTEGER);
                ps.setInt(12, all == null ? 0 : all.in() + all.out());
                ps.setLong(13, all == null ? 0 : all.weightedIn() + all.weightedOut());
                ps.setString(14, JSON.valueToTree(a.degrees()).toString());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
