package io.palabre.analysis.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.palabre.analysis.domain.AccountMetrics;
import io.palabre.analysis.graph.Adjacency;
import io.palabre.analysis.graph.Betweenness;
import io.palabre.analysis.graph.Coreness;
import io.palabre.analysis.graph.Communities;
import io.palabre.analysis.graph.PageRank;

/**
 * Computes the global metrics of every account from the whole-history relationship graph in one pass: PageRank
 * per type and combined, k-core, approximate betweenness, reciprocity, Leiden communities in two levels and degrees; stores
 * them in {@code account_metric} and returns them. Its cost grows with the graph (linear, plus Leiden's
 * near-linear passes and a fixed number of betweenness pivots), so the scheduler spaces the runs by their
 * duration.
 */
@ApplicationScoped
public class GraphMetricsService {

    public static final List<String> TYPES = List.of("reply", "mention", "quote", "repost");
    private static final double DAMPING = 0.85;
    private static final double TOLERANCE = 1e-7;
    private static final long SEED = 20260101L;
    /** Leiden runs per level: unlike Louvain, one run already gives connected, locally optimal communities. */
    private static final int COMMUNITY_STARTS = 1;

    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;

    public GraphMetricsService(AgroalDataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /** What a run did. */
    public record Run(long id, Instant startedAt, Instant finishedAt, int accounts, int relationships,
            int communities, double modularity, List<AccountMetrics> metrics, Map<String, Long> phaseMillis) {
    }

    /** How long each phase of a run took, in the order they ran. */
    private static final class Phases {
        private final Map<String, Long> millis = new LinkedHashMap<>();
        private long mark = System.nanoTime();

        void done(String phase) {
            long now = System.nanoTime();
            millis.merge(phase, (now - mark) / 1_000_000, Long::sum);
            mark = now;
        }
    }

    /** A cheap summary of the relationship table, to skip runs when nothing changed. */
    public String fingerprint() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*), coalesce(sum(weight), 0), max(last_seen_at) "
                        + "from relationship")) {
            rs.next();
            return rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getTimestamp(3);
        }
    }

    /** Loads the relationship graph, computes every account's metrics, stores them; returns the run. */
    public Run run(int pivots) throws SQLException {
        Instant started = Instant.now();
        Run run = compute(load(), pivots, started);
        store(run);
        return run;
    }

    /** Every account's metrics over the graph: no I/O, so a benchmark times exactly what a run computes. */
    public static Run compute(Graph g, int pivots, Instant started) {
        int n = g.ids.size();
        int m = g.size;
        Phases phases = new Phases();

        // Combined weights over types, one entry per (source, target), in order of source then target.
        Adjacency pairs = Adjacency.of(n, m, g.from, g.to, k -> g.weight[k], false);
        int[] cFrom = pairs.sources();
        int[] cTo = pairs.target();
        double[] cWeight = pairs.weight();
        int[] pairStart = pairs.start();

        PageRank.Directed combined = PageRank.Directed.of(n, cFrom, cTo, cWeight);
        phases.done("combine");
        double[] rank = n == 0 ? new double[0] : PageRank.compute(combined, DAMPING, TOLERANCE, 100).rank();
        Map<String, double[]> rankByType = new LinkedHashMap<>();
        for (int t = 0; t < TYPES.size(); t++) {
            rankByType.put(TYPES.get(t), rankOfType(g, n, (byte) t));
        }
        phases.done("pagerank");
        double[] betweenness = Betweenness.compute(combined.offsets(), combined.targets(), pivots, SEED);
        phases.done("betweenness");

        // Undirected simple graph for k-core and reciprocity; weighted undirected graph for communities.
        int[][] undirected = undirected(n, cFrom, cTo);
        int[] core = Coreness.compute(undirected[0], undirected[1]);
        phases.done("coreness");
        Communities.Result communities = Communities.detect(n, cFrom, cTo, cWeight, 1.0, COMMUNITY_STARTS, SEED);
        phases.done("communities");
        double[] reciprocity = reciprocity(n, cFrom, cTo, pairStart, undirected);
        int[] community = bySize(communities.top(), communities.topCount(), g.ids);
        int[] subCommunity = bySize(communities.sub(), communities.subCount(), g.ids);

        int[][] degreeIn = new int[TYPES.size() + 1][n];
        int[][] degreeOut = new int[TYPES.size() + 1][n];
        long[][] weightIn = new long[TYPES.size() + 1][n];
        long[][] weightOut = new long[TYPES.size() + 1][n];
        for (int k = 0; k < m; k++) {
            int t = g.type[k];
            degreeOut[t][g.from[k]]++;
            degreeIn[t][g.to[k]]++;
            weightOut[t][g.from[k]] += g.weight[k];
            weightIn[t][g.to[k]] += g.weight[k];
            weightOut[TYPES.size()][g.from[k]] += g.weight[k];
            weightIn[TYPES.size()][g.to[k]] += g.weight[k];
        }
        for (int k = 0; k < pairs.size(); k++) {
            degreeOut[TYPES.size()][cFrom[k]]++;
            degreeIn[TYPES.size()][cTo[k]]++;
        }

        long runId = started.toEpochMilli();
        List<AccountMetrics> metrics = new ArrayList<>(n);
        for (int v = 0; v < n; v++) {
            Map<String, Double> byType = new LinkedHashMap<>();
            Map<String, AccountMetrics.Degrees> degrees = new LinkedHashMap<>();
            for (int t = 0; t <= TYPES.size(); t++) {
                String name = t == TYPES.size() ? "all" : TYPES.get(t);
                if (t < TYPES.size()) {
                    byType.put(name, rankByType.get(name)[v]);
                }
                degrees.put(name, new AccountMetrics.Degrees(degreeIn[t][v], degreeOut[t][v], weightIn[t][v],
                        weightOut[t][v]));
            }
            metrics.add(new AccountMetrics(g.ids.get(v), runId, started, rank[v], byType, core[v], betweenness[v],
                    reciprocity[v], community[v], subCommunity[v], degrees));
        }
        phases.done("per account");
        Instant finished = Instant.now();
        return new Run(runId, started, finished, n, m, communities.topCount(), communities.modularity(), metrics,
                phases.millis);
    }

    private static double[] rankOfType(Graph g, int n, byte type) {
        int count = 0;
        for (int k = 0; k < g.size; k++) {
            if (g.type[k] == type) {
                count++;
            }
        }
        int[] from = new int[count];
        int[] to = new int[count];
        double[] weight = new double[count];
        int i = 0;
        for (int k = 0; k < g.size; k++) {
            if (g.type[k] == type) {
                from[i] = g.from[k];
                to[i] = g.to[k];
                weight[i] = g.weight[k];
                i++;
            }
        }
        if (n == 0) {
            return new double[0];
        }
        return PageRank.compute(PageRank.Directed.of(n, from, to, weight), DAMPING, TOLERANCE, 100).rank();
    }

    /**
     * Community numbers in order of size, largest first (ties: the one whose smallest account id comes first), so
     * that numbers stay put from run to run while the communities do.
     */
    private static int[] bySize(int[] community, int count, List<String> ids) {
        int[] size = new int[count];
        String[] smallest = new String[count];
        for (int v = 0; v < community.length; v++) {
            int k = community[v];
            size[k]++;
            if (smallest[k] == null || ids.get(v).compareTo(smallest[k]) < 0) {
                smallest[k] = ids.get(v);
            }
        }
        Integer[] order = new Integer[count];
        for (int k = 0; k < count; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> size[a] != size[b] ? Integer.compare(size[b], size[a])
                : smallest[a].compareTo(smallest[b]));
        int[] number = new int[count];
        for (int rank = 0; rank < count; rank++) {
            number[order[rank]] = rank;
        }
        int[] renumbered = new int[community.length];
        for (int v = 0; v < community.length; v++) {
            renumbered[v] = number[community[v]];
        }
        return renumbered;
    }

    /** Neighbours in either direction, each once: {offsets, neighbours}. */
    private static int[][] undirected(int n, int[] from, int[] to) {
        int[] offsets = new int[n + 1];
        for (int k = 0; k < from.length; k++) {
            offsets[from[k] + 1]++;
            offsets[to[k] + 1]++;
        }
        for (int v = 0; v < n; v++) {
            offsets[v + 1] += offsets[v];
        }
        int[] fill = Arrays.copyOf(offsets, n);
        int[] all = new int[from.length * 2];
        for (int k = 0; k < from.length; k++) {
            all[fill[from[k]]++] = to[k];
            all[fill[to[k]]++] = from[k];
        }
        // Sort each list and drop the repeats (a pair linked both ways appears twice).
        int[] compact = new int[n + 1];
        int write = 0;
        for (int v = 0; v < n; v++) {
            int start = offsets[v];
            int end = offsets[v + 1];
            Arrays.sort(all, start, end);
            compact[v] = write;
            for (int k = start; k < end; k++) {
                if (k == start || all[k] != all[k - 1]) {
                    all[write++] = all[k];
                }
            }
        }
        compact[n] = write;
        return new int[][] { compact, Arrays.copyOf(all, write) };
    }

    /** Partners linked both ways over all partners, per account (0 for an account without partners). */
    private static double[] reciprocity(int n, int[] from, int[] to, int[] pairStart, int[][] undirected) {
        int[] mutual = new int[n];
        for (int k = 0; k < from.length; k++) {
            // The relationships of to[k] are sorted by target: is from[k] among them?
            if (Arrays.binarySearch(to, pairStart[to[k]], pairStart[to[k] + 1], from[k]) >= 0) {
                mutual[from[k]]++;
            }
        }
        double[] share = new double[n];
        for (int v = 0; v < n; v++) {
            int partners = undirected[0][v + 1] - undirected[0][v];
            share[v] = partners == 0 ? 0 : (double) mutual[v] / partners;
        }
        return share;
    }

    private Graph load() throws SQLException {
        Graph g = new Graph();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("select source_id, target_id, type, weight from "
                    + "relationship order by source_id, target_id, type")) {
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        g.add(rs.getString(1), rs.getString(2), (byte) TYPES.indexOf(rs.getString(3)), rs.getInt(4));
                    }
                }
            } finally {
                c.rollback();
            }
        }
        return g;
    }

    private void store(Run run) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("delete from account_metric");
                }
                try (PreparedStatement ps = c.prepareStatement("insert into account_metric (account_id, run_id, "
                        + "pagerank, pagerank_by_type, core, betweenness, reciprocity, community, sub_community, "
                        + "degrees) values (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb)")) {
                    int pending = 0;
                    for (AccountMetrics a : run.metrics()) {
                        ps.setString(1, a.accountId());
                        ps.setLong(2, a.runId());
                        ps.setDouble(3, a.pagerank());
                        ps.setString(4, json(a.pagerankByType()));
                        ps.setInt(5, a.core());
                        ps.setDouble(6, a.betweenness());
                        ps.setDouble(7, a.reciprocity());
                        ps.setInt(8, a.community());
                        ps.setInt(9, a.subCommunity());
                        ps.setString(10, json(a.degrees()));
                        ps.addBatch();
                        if (++pending == 5000) {
                            ps.executeBatch();
                            pending = 0;
                        }
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement("insert into graph_run (id, started_at, finished_at, "
                        + "accounts, relationships, communities, modularity, duration_millis) values (?, ?, ?, ?, ?, "
                        + "?, ?, ?) on conflict (id) do nothing")) {
                    ps.setLong(1, run.id());
                    ps.setTimestamp(2, Timestamp.from(run.startedAt()));
                    ps.setTimestamp(3, Timestamp.from(run.finishedAt()));
                    ps.setInt(4, run.accounts());
                    ps.setInt(5, run.relationships());
                    ps.setInt(6, run.communities());
                    ps.setDouble(7, run.modularity());
                    ps.setLong(8, run.finishedAt().toEpochMilli() - run.startedAt().toEpochMilli());
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The relationship table as parallel arrays over account numbers. */
    public static final class Graph {
        final Map<String, Integer> index = new HashMap<>();
        final List<String> ids = new ArrayList<>();
        int[] from = new int[1024];
        int[] to = new int[1024];
        byte[] type = new byte[1024];
        int[] weight = new int[1024];
        int size;

        /** Adds a relationship; {@code t} is its type's index in {@link #TYPES}. */
        public void add(String source, String target, byte t, int w) {
            if (size == from.length) {
                from = Arrays.copyOf(from, size * 2);
                to = Arrays.copyOf(to, size * 2);
                type = Arrays.copyOf(type, size * 2);
                weight = Arrays.copyOf(weight, size * 2);
            }
            from[size] = number(source);
            to[size] = number(target);
            type[size] = t;
            weight[size] = w;
            size++;
        }

        private int number(String id) {
            Integer n = index.get(id);
            if (n == null) {
                n = ids.size();
                index.put(id, n);
                ids.add(id);
            }
            return n;
        }
    }
}
