package io.palabre.dashboard.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * Reads of the graph side of the read model: accounts, relationships (whole history or a window), ego networks,
 * and communities.
 */
@ApplicationScoped
public class GraphQueries {

    public static final List<String> TYPES = List.of("reply", "mention", "quote", "repost");

    /** The most relationships an ego network returns, heaviest first. */
    public static final int MAX_NETWORK_EDGES = 3000;

    private final ReadLanes lanes;
    private final ObjectMapper mapper;

    public GraphQueries(ReadLanes lanes, ObjectMapper mapper) {
        this.lanes = lanes;
        this.mapper = mapper;
    }

    /** An account with its last graph metrics (null metrics before the first run that saw it). */
    public record Account(String id, String platform, String handle, String displayName, Double pagerank,
            @JsonRawValue @Schema(type = SchemaType.OBJECT, description = "PageRank per relationship type")
            String pagerankByType,
            Integer core, Double betweenness, Double reciprocity, Integer community, Integer subCommunity,
            Integer degree,
            Long weightedDegree,
            @JsonRawValue @Schema(type = SchemaType.OBJECT, description = "Degrees in and out, plain and weighted, "
                    + "per relationship type and for all") String degrees,
            Instant metricsAt) {
    }

    /** A directed, typed, weighted relationship. */
    public record Edge(String source, String target, String type, long weight, Instant firstSeenAt,
            Instant lastSeenAt) {
    }

    /** A graph and how it was cut down to size. */
    public record Graph(List<Account> nodes, List<Edge> edges, Pruning pruning) {
    }

    /** What was left out, and by which rule. */
    public record Pruning(boolean pruned, String method, long matchingEdges, int keptEdges, int minWeight) {
    }

    private static final String ACCOUNT_COLUMNS = "id, platform, handle, display_name, pagerank, "
            + "pagerank_by_type::text, core, betweenness, reciprocity, community, sub_community, degree, "
            + "weighted_degree, degrees::text, metrics_at";

    public Account account(String id) throws SQLException {
        List<Account> found = accounts(List.of(id));
        return found.isEmpty() ? null : found.get(0);
    }

    /** Accounts by id, in no particular order; unknown ids are left out. */
    public List<Account> accounts(Collection<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        try (ReadLanes.Read read = lanes.open(); PreparedStatement ps = read.c().prepareStatement(
                "select " + ACCOUNT_COLUMNS + " from account where id = any(?)")) {
            ps.setArray(1, read.c().createArrayOf("text", ids.toArray()));
            return readAccounts(ps);
        }
    }

    /** Accounts ranked by a metric, highest first, after an optional (value, id) position. */
    public List<Account> ranked(String sort, Integer community, Integer subCommunity, String platform,
            Double afterValue, String afterId, int limit) throws SQLException {
        String column = switch (sort) {
            case "pagerank" -> "pagerank";
            case "betweenness" -> "betweenness";
            case "degree" -> "degree";
            default -> throw new IllegalArgumentException(sort);
        };
        StringBuilder sql = new StringBuilder("select " + ACCOUNT_COLUMNS + " from account where " + column
                + " is not null");
        List<Object> params = new ArrayList<>();
        if (community != null) {
            sql.append(" and community = ?");
            params.add(community);
        }
        if (subCommunity != null) {
            sql.append(" and sub_community = ?");
            params.add(subCommunity);
        }
        if (platform != null) {
            sql.append(" and platform = ?");
            params.add(platform);
        }
        if (afterValue != null) {
            sql.append(" and (").append(column).append(" < ? or ").append(column).append(" = ? and id > ?)");
            params.add(afterValue);
            params.add(afterValue);
            params.add(afterId);
        }
        sql.append(" order by ").append(column).append(" desc, id limit ?");
        params.add(limit);
        try (ReadLanes.Read read = lanes.open(); PreparedStatement ps = read.c().prepareStatement(sql.toString())) {
            bind(ps, params);
            return readAccounts(ps);
        }
    }

    /** One of an account's partners: who, and the weight of the relationships each way (all types summed). */
    public record Partner(String accountId, String platform, String handle, String displayName, long weightOut,
            long weightIn) {
    }

    /** The account's heaviest partners, both directions and all types summed, with their names where known. */
    public List<Partner> topPartners(String accountId, int limit) throws SQLException {
        try (ReadLanes.Read read = lanes.open(); PreparedStatement ps = read.c().prepareStatement("select "
                + "p.partner_id, a.platform, a.handle, a.display_name, (select coalesce(sum(r.weight), 0) from "
                + "relationship r where r.source_id = ? and r.target_id = p.partner_id and r.weight > 0), (select "
                + "coalesce(sum(r.weight), 0) from relationship r where r.source_id = p.partner_id and r.target_id = ? "
                + "and r.weight > 0) from (select partner_id, weight from account_partner where account_id = ? and "
                + "weight > 0 order by weight desc, partner_id limit ?) p left join account a on a.id = p.partner_id "
                + "order by p.weight desc, p.partner_id")) {
            ps.setString(1, accountId);
            ps.setString(2, accountId);
            ps.setString(3, accountId);
            ps.setInt(4, limit);
            List<Partner> partners = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    partners.add(new Partner(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getLong(6)));
                }
            }
            return partners;
        }
    }

    /** The heaviest {@code limit} partners of each of the accounts, in one query. */
    private List<String> partnersOf(Collection<String> accountIds, int limit) throws SQLException {
        try (ReadLanes.Read read = lanes.open(); PreparedStatement ps = read.c().prepareStatement("select p.partner_id "
                + "from unnest(?::text[]) as f(id) cross join lateral (select partner_id from account_partner "
                + "where account_id = f.id and weight > 0 order by weight desc, partner_id limit ?) p")) {
            ps.setArray(1, read.c().createArrayOf("text", accountIds.toArray()));
            ps.setInt(2, limit);
            List<String> partners = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    partners.add(rs.getString(1));
                }
            }
            return partners;
        }
    }

    /**
     * Relationships of one type (or all) over the whole history (from and to null) or the mentions created in
     * [from, to), at least {@code minWeight}, the heaviest {@code limit} of them.
     */
    public Graph graph(String type, Instant from, Instant to, int minWeight, int limit) throws SQLException {
        String source;
        List<Object> params = new ArrayList<>();
        if (from == null && to == null) {
            source = "select source_id, target_id, type, weight::bigint as weight, first_seen_at, last_seen_at "
                    + "from relationship where weight > 0" + (type == null ? "" : " and type = ?");
            if (type != null) {
                params.add(type);
            }
        } else {
            source = "select source_id, target_id, type, count(*) as weight, min(created_at) as first_seen_at, "
                    + "max(created_at) as last_seen_at from mention_relationship where created_at >= ? and "
                    + "created_at < ?" + (type == null ? "" : " and type = ?") + " group by source_id, target_id, type";
            params.add(Timestamp.from(from == null ? Instant.EPOCH : from));
            params.add(Timestamp.from(to == null ? Instant.now() : to));
            if (type != null) {
                params.add(type);
            }
        }
        String sql = "with e as (" + source + ") select source_id, target_id, type, weight, first_seen_at, "
                + "last_seen_at, count(*) over () from e where weight >= ? order by weight desc, source_id, "
                + "target_id, type limit ?";
        params.add(minWeight);
        params.add(limit);
        List<Edge> edges = new ArrayList<>();
        long matching = 0;
        try (ReadLanes.Read read = lanes.open(); PreparedStatement ps = read.c().prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    edges.add(new Edge(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6))));
                    matching = rs.getLong(7);
                }
            }
        }
        return withNodes(edges, new Pruning(matching > edges.size(), "the heaviest " + limit
                + " relationships of weight " + minWeight + " or more", matching, edges.size(), minWeight));
    }

    /**
     * The account's ego network: its heaviest {@code perNode} partners, and at depth 2 each partner's heaviest
     * {@code perNode} partners, with every relationship among the nodes kept (hubs are capped by perNode).
     */
    public Graph network(String accountId, int depth, int perNode) throws SQLException {
        Set<String> nodes = new LinkedHashSet<>();
        nodes.add(accountId);
        Set<String> frontier = Set.of(accountId);
        for (int level = 0; level < depth && !frontier.isEmpty(); level++) {
            Set<String> next = new LinkedHashSet<>();
            for (String id : partnersOf(frontier, perNode)) {
                if (nodes.add(id)) {
                    next.add(id);
                }
            }
            frontier = next;
        }
        List<Edge> edges = new ArrayList<>();
        long matching = 0;
        try (ReadLanes.Read read = lanes.open(); PreparedStatement ps = read.c().prepareStatement("select source_id, "
                + "target_id, type, weight, first_seen_at, last_seen_at, count(*) over () from relationship "
                + "where weight > 0 and source_id = any(?) and target_id = any(?) order by weight desc, source_id, "
                + "target_id, type limit " + MAX_NETWORK_EDGES)) {
            ps.setArray(1, read.c().createArrayOf("text", nodes.toArray()));
            ps.setArray(2, read.c().createArrayOf("text", nodes.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    edges.add(new Edge(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6))));
                    matching = rs.getLong(7);
                }
            }
        }
        Graph graph = withNodes(edges, new Pruning(true, "depth " + depth + ", the heaviest " + perNode
                + " partners of each account, and the heaviest " + MAX_NETWORK_EDGES + " relationships among them",
                matching, edges.size(), 1));
        if (graph.nodes().stream().noneMatch(a -> a.id().equals(accountId))) {
            List<Account> all = new ArrayList<>(graph.nodes());
            all.addAll(accounts(List.of(accountId)));
            return new Graph(all, graph.edges(), graph.pruning());
        }
        return graph;
    }

    /**
     * Communities of the last graph run at {@code level} (0: over the whole graph; 1: their divisions), largest
     * first, with their most central accounts and their topics; a division names the community it divides.
     * {@code within}, at level 1, keeps the divisions of one community.
     */
    public List<Map<String, Object>> communities(int level, Integer within, int limit, int top) throws SQLException {
        String column = level == 0 ? "community" : "sub_community";
        List<Map<String, Object>> communities = new ArrayList<>();
        try (ReadLanes.Read read = lanes.open()) {
            Connection c = read.c();
            try (PreparedStatement ps = c.prepareStatement("select " + column + ", min(community), count(*) from "
                    + "account where " + column + " is not null and (?::int is null or community = ?) group by "
                    + column + " order by count(*) desc, " + column + " limit ?")) {
                ps.setObject(1, within, java.sql.Types.INTEGER);
                ps.setObject(2, within, java.sql.Types.INTEGER);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> community = new LinkedHashMap<>();
                        community.put("level", level);
                        community.put(level == 0 ? "community" : "subCommunity", rs.getInt(1));
                        if (level == 1) {
                            community.put("community", rs.getInt(2));
                        }
                        community.put("size", rs.getLong(3));
                        communities.add(community);
                    }
                }
            }
            for (Map<String, Object> community : communities) {
                int id = (Integer) community.get(level == 0 ? "community" : "subCommunity");
                try (PreparedStatement ps = c.prepareStatement("select " + ACCOUNT_COLUMNS + " from account where "
                        + column + " = ? order by pagerank desc nulls last, id limit ?")) {
                    ps.setInt(1, id);
                    ps.setInt(2, top);
                    community.put("topAccounts", readAccounts(ps));
                }
                community.put("topHashtags", topValues(c, "hashtags", column, id, top));
                community.put("topLinks", topValues(c, "links", column, id, top));
            }
        }
        return communities;
    }

    private static List<Map<String, Object>> topValues(Connection c, String column, String level, int community,
            int top) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select v, count(*) from (select unnest(m." + column + ") v "
                + "from mention m join account a on a.id = m.author_id where a." + level + " = ? and not m.deleted) t "
                + "group by v order by count(*) desc, v limit ?")) {
            ps.setInt(1, community);
            ps.setInt(2, top);
            List<Map<String, Object>> values = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(Map.of("value", rs.getString(1), "mentions", rs.getLong(2)));
                }
            }
            return values;
        }
    }

    private Graph withNodes(List<Edge> edges, Pruning pruning) throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        for (Edge e : edges) {
            ids.add(e.source());
            ids.add(e.target());
        }
        Map<String, Account> known = new LinkedHashMap<>();
        for (Account a : accounts(ids)) {
            known.put(a.id(), a);
        }
        List<Account> nodes = new ArrayList<>(ids.size());
        for (String id : ids) {
            Account a = known.get(id);
            nodes.add(a != null ? a : new Account(id, id.substring(0, Math.max(0, id.indexOf(':'))), null, null,
                    null, null, null, null, null, null, null, null, null, null, null));
        }
        return new Graph(nodes, edges, pruning);
    }

    private List<Account> readAccounts(PreparedStatement ps) throws SQLException {
        List<Account> accounts = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                accounts.add(new Account(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        (Double) rs.getObject(5), rs.getString(6), (Integer) rs.getObject(7),
                        (Double) rs.getObject(8), (Double) rs.getObject(9), (Integer) rs.getObject(10),
                        (Integer) rs.getObject(11), (Integer) rs.getObject(12), (Long) rs.getObject(13),
                        rs.getString(14), instant(rs.getTimestamp(15))));
            }
        }
        return accounts;
    }

    private JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is not JSON", e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }
}
