package io.palabre.analysis.graph;

import java.util.Arrays;
import java.util.Random;

/**
 * Louvain community detection (Blondel et al., 2008) on an undirected weighted graph in compressed sparse rows:
 * local moving of nodes to the neighbouring community with the best modularity gain, then aggregation of
 * communities into nodes, repeated while modularity improves. Deterministic for a given seed.
 */
public final class Louvain {

    private static final double MIN_GAIN = 1e-12;

    private Louvain() {
    }

    /** An undirected weighted graph: for node i, neighbours {@code targets[offsets[i]..offsets[i+1])}. */
    public record Graph(int[] offsets, int[] targets, double[] weights) {

        public int size() {
            return offsets.length - 1;
        }

        /** Builds the symmetric graph of undirected edges {@code (from[k], to[k], weight[k])}; duplicates add up. */
        public static Graph undirected(int nodes, int[] from, int[] to, double[] weight) {
            int[] degree = new int[nodes];
            for (int k = 0; k < from.length; k++) {
                degree[from[k]]++;
                if (from[k] != to[k]) {
                    degree[to[k]]++;
                }
            }
            int[] offsets = new int[nodes + 1];
            for (int i = 0; i < nodes; i++) {
                offsets[i + 1] = offsets[i] + degree[i];
            }
            int[] fill = Arrays.copyOf(offsets, nodes);
            int[] targets = new int[offsets[nodes]];
            double[] weights = new double[offsets[nodes]];
            for (int k = 0; k < from.length; k++) {
                targets[fill[from[k]]] = to[k];
                weights[fill[from[k]]++] = weight[k];
                if (from[k] != to[k]) {
                    targets[fill[to[k]]] = from[k];
                    weights[fill[to[k]]++] = weight[k];
                }
            }
            return new Graph(offsets, targets, weights);
        }
    }

    /** The community of every node of the original graph, numbered from 0, and the partition's modularity. */
    public record Result(int[] community, int communities, double modularity) {
    }

    /**
     * The best of {@code runs} Louvain runs with different node orders (seeds {@code seed}, {@code seed + 1}, ...):
     * Louvain's result depends on the order it visits nodes, and a few restarts avoid its poorer local optima.
     */
    public static Result detect(Graph graph, long seed, int runs) {
        Result best = null;
        for (int r = 0; r < runs; r++) {
            Result result = detect(graph, seed + r);
            if (best == null || result.modularity() > best.modularity()) {
                best = result;
            }
        }
        return best;
    }

    public static Result detect(Graph graph, long seed) {
        int n = graph.size();
        int[] membership = new int[n];
        for (int i = 0; i < n; i++) {
            membership[i] = i;
        }
        Random random = new Random(seed);
        Graph level = graph;
        while (true) {
            int[] local = moveNodes(level, random);
            int count = renumber(local);
            for (int i = 0; i < n; i++) {
                membership[i] = local[membership[i]];
            }
            if (count == level.size()) {
                break; // no node moved: modularity cannot improve further
            }
            level = aggregate(level, local, count);
        }
        int communities = renumber(membership);
        return new Result(membership, communities, modularity(graph, membership));
    }

    /** Modularity of a partition: the share of weight inside communities minus what chance would put there. */
    public static double modularity(Graph graph, int[] community) {
        int n = graph.size();
        double total = 0;
        double[] strength = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = graph.offsets()[i]; k < graph.offsets()[i + 1]; k++) {
                strength[i] += graph.weights()[k];
            }
            total += strength[i];
        }
        if (total == 0) {
            return 0;
        }
        int communities = Arrays.stream(community).max().orElse(-1) + 1;
        double[] inside = new double[communities];
        double[] sum = new double[communities];
        for (int i = 0; i < n; i++) {
            sum[community[i]] += strength[i];
            for (int k = graph.offsets()[i]; k < graph.offsets()[i + 1]; k++) {
                if (community[graph.targets()[k]] == community[i]) {
                    inside[community[i]] += graph.weights()[k];
                }
            }
        }
        double q = 0;
        for (int c = 0; c < communities; c++) {
            q += inside[c] / total - (sum[c] / total) * (sum[c] / total);
        }
        return q;
    }

    private static int[] moveNodes(Graph g, Random random) {
        int n = g.size();
        int[] community = new int[n];
        double[] strength = new double[n];
        double[] totals = new double[n];
        double m2 = 0;
        for (int i = 0; i < n; i++) {
            community[i] = i;
            for (int k = g.offsets()[i]; k < g.offsets()[i + 1]; k++) {
                strength[i] += g.weights()[k];
            }
            totals[i] = strength[i];
            m2 += strength[i];
        }
        if (m2 == 0) {
            return community;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double[] linkTo = new double[n];
        int[] touched = new int[n];
        boolean moved = true;
        while (moved) {
            moved = false;
            for (int node : order) {
                int own = community[node];
                int touchedCount = 0;
                for (int k = g.offsets()[node]; k < g.offsets()[node + 1]; k++) {
                    int neighbour = g.targets()[k];
                    if (neighbour == node) {
                        continue;
                    }
                    int c = community[neighbour];
                    if (linkTo[c] == 0) {
                        touched[touchedCount++] = c;
                    }
                    linkTo[c] += g.weights()[k];
                }
                totals[own] -= strength[node];
                int best = own;
                double bestGain = linkTo[own] - totals[own] * strength[node] / m2;
                for (int t = 0; t < touchedCount; t++) {
                    int c = touched[t];
                    double gain = linkTo[c] - totals[c] * strength[node] / m2;
                    if (gain > bestGain + MIN_GAIN) {
                        bestGain = gain;
                        best = c;
                    }
                }
                totals[best] += strength[node];
                if (best != own) {
                    community[node] = best;
                    moved = true;
                }
                for (int t = 0; t < touchedCount; t++) {
                    linkTo[touched[t]] = 0;
                }
                linkTo[own] = 0;
            }
        }
        return community;
    }

    /** Numbers communities 0..k-1 in order of first appearance; returns k. */
    private static int renumber(int[] community) {
        int[] map = new int[community.length];
        Arrays.fill(map, -1);
        int next = 0;
        for (int i = 0; i < community.length; i++) {
            int c = community[i];
            if (map[c] < 0) {
                map[c] = next++;
            }
            community[i] = map[c];
        }
        return next;
    }

    private static Graph aggregate(Graph g, int[] community, int count) {
        java.util.Map<Long, Double> edges = new java.util.HashMap<>();
        for (int i = 0; i < g.size(); i++) {
            for (int k = g.offsets()[i]; k < g.offsets()[i + 1]; k++) {
                int a = community[i];
                int b = community[g.targets()[k]];
                if (a <= b) {
                    // An edge between communities is kept once (from the lower side). An edge inside a community
                    // appears in both rows, so the new self-loop weighs twice the internal weight: a self-loop
                    // counts once in a node's strength, which stays the sum of its members' strengths.
                    edges.merge(((long) a << 32) | b, g.weights()[k], Double::sum);
                }
            }
        }
        int[] from = new int[edges.size()];
        int[] to = new int[edges.size()];
        double[] weight = new double[edges.size()];
        int k = 0;
        for (java.util.Map.Entry<Long, Double> e : edges.entrySet()) {
            from[k] = (int) (e.getKey() >>> 32);
            to[k] = (int) (e.getKey() & 0xffffffffL);
            weight[k++] = e.getValue();
        }
        return Graph.undirected(count, from, to, weight);
    }
}
