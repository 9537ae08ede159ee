package io.palabre.analysis.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.jgrapht.Graph;
import org.jgrapht.alg.scoring.BetweennessCentrality;
import org.jgrapht.alg.scoring.Coreness;
import org.jgrapht.alg.scoring.PageRank;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleDirectedGraph;
import org.jgrapht.graph.SimpleDirectedWeightedGraph;
import org.jgrapht.graph.SimpleGraph;
import org.jgrapht.graph.DefaultEdge;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Palabre's PageRank, core numbers and exact betweenness against JGraphT's on random graphs: two independent
 * implementations must agree. Plain JUnit.
 */
class GraphOraclesTest {

    private static final Random SEEDS = new Random(2024);

    /** A random simple directed graph: edges {@code (from[k], to[k])} with weights, no loops, no parallels. */
    private record Sample(int n, int[] from, int[] to, double[] weight) {

        static Sample draw(Random random) {
            int n = 20 + random.nextInt(180);
            int wanted = n + random.nextInt(4 * n);
            Map<Long, double[]> edges = new LinkedHashMap<>();
            while (edges.size() < wanted) {
                int u = random.nextInt(n);
                int v = random.nextInt(n);
                if (u != v) {
                    edges.putIfAbsent((long) u << 32 | v, new double[] { 1 + random.nextInt(9) });
                }
            }
            int[] from = new int[edges.size()];
            int[] to = new int[edges.size()];
            double[] weight = new double[edges.size()];
            int k = 0;
            for (Map.Entry<Long, double[]> e : edges.entrySet()) {
                from[k] = (int) (e.getKey() >>> 32);
                to[k] = (int) (long) e.getKey();
                weight[k++] = e.getValue()[0];
            }
            return new Sample(n, from, to, weight);
        }
    }

    @RepeatedTest(10)
    void pageRankAgreesWithJGraphT() {
        Sample s = Sample.draw(new Random(SEEDS.nextLong()));
        Graph<Integer, DefaultWeightedEdge> g = new SimpleDirectedWeightedGraph<>(DefaultWeightedEdge.class);
        for (int v = 0; v < s.n; v++) {
            g.addVertex(v);
        }
        for (int k = 0; k < s.from.length; k++) {
            g.setEdgeWeight(g.addEdge(s.from[k], s.to[k]), s.weight[k]);
        }
        Map<Integer, Double> oracle = new PageRank<>(g, 0.85, 10_000, 1e-12).getScores();
        double[] ours = io.palabre.analysis.graph.PageRank.compute(
                io.palabre.analysis.graph.PageRank.Directed.of(s.n, s.from, s.to, s.weight), 0.85, 1e-12, 10_000)
                .rank();
        for (int v = 0; v < s.n; v++) {
            assertEquals(oracle.get(v), ours[v], 1e-8, "PageRank of node " + v);
        }
    }

    @RepeatedTest(10)
    void coreNumbersAgreeWithJGraphT() {
        Sample s = Sample.draw(new Random(SEEDS.nextLong()));
        Graph<Integer, DefaultEdge> g = new SimpleGraph<>(DefaultEdge.class);
        for (int v = 0; v < s.n; v++) {
            g.addVertex(v);
        }
        for (int k = 0; k < s.from.length; k++) {
            if (!g.containsEdge(s.from[k], s.to[k])) {
                g.addEdge(s.from[k], s.to[k]);
            }
        }
        Map<Integer, Integer> oracle = new Coreness<>(g).getScores();
        int[][] csr = undirectedCsr(g, s.n);
        int[] ours = io.palabre.analysis.graph.Coreness.compute(csr[0], csr[1]);
        for (int v = 0; v < s.n; v++) {
            assertEquals(oracle.get(v).intValue(), ours[v], "core number of node " + v);
        }
    }

    @RepeatedTest(10)
    void exactBetweennessAgreesWithJGraphT() {
        Sample s = Sample.draw(new Random(SEEDS.nextLong()));
        Graph<Integer, DefaultEdge> g = new SimpleDirectedGraph<>(DefaultEdge.class);
        for (int v = 0; v < s.n; v++) {
            g.addVertex(v);
        }
        for (int k = 0; k < s.from.length; k++) {
            g.addEdge(s.from[k], s.to[k]);
        }
        Map<Integer, Double> oracle = new BetweennessCentrality<>(g, false).getScores();
        io.palabre.analysis.graph.PageRank.Directed csr = io.palabre.analysis.graph.PageRank.Directed.of(s.n, s.from,
                s.to, s.weight);
        double[] ours = Betweenness.compute(csr.offsets(), csr.targets(), s.n, 1);
        for (int v = 0; v < s.n; v++) {
            assertEquals(oracle.get(v), ours[v], 1e-6, "betweenness of node " + v);
        }
    }

    private static int[][] undirectedCsr(Graph<Integer, DefaultEdge> g, int n) {
        int[] offsets = new int[n + 1];
        for (int v = 0; v < n; v++) {
            offsets[v + 1] = offsets[v] + g.degreeOf(v);
        }
        int[] neighbours = new int[offsets[n]];
        int[] fill = Arrays.copyOf(offsets, n);
        for (DefaultEdge e : g.edgeSet()) {
            int a = g.getEdgeSource(e);
            int b = g.getEdgeTarget(e);
            neighbours[fill[a]++] = b;
            neighbours[fill[b]++] = a;
        }
        return new int[][] { offsets, neighbours };
    }
}
