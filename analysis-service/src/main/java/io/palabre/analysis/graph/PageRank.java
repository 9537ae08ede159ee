package io.palabre.analysis.graph;

/**
 * Weighted PageRank on a directed graph in compressed sparse rows: power iteration pulling rank over incoming
 * edges, each edge carrying its share of the source's out-weight; the rank of nodes without out-edges is spread
 * evenly. Memory: the out-edges and their transpose, 12 bytes per edge each. Each iteration runs on all cores, over
 * node ranges holding about the same number of in-edges.
 */
public final class PageRank {

    private PageRank() {
    }

    /** Out-edges: for node i, {@code targets[offsets[i]..offsets[i+1])} with {@code weights}. */
    public record Directed(int[] offsets, int[] targets, double[] weights) {

        public int size() {
            return offsets.length - 1;
        }

        /** Builds the graph of directed edges {@code from[k] -> to[k]}; parallel edges simply add up. */
        public static Directed of(int nodes, int[] from, int[] to, double[] weight) {
            int[] offsets = new int[nodes + 1];
            for (int f : from) {
                offsets[f + 1]++;
            }
            for (int i = 0; i < nodes; i++) {
                offsets[i + 1] += offsets[i];
            }
            int[] fill = java.util.Arrays.copyOf(offsets, nodes);
            int[] targets = new int[from.length];
            double[] weights = new double[from.length];
            for (int k = 0; k < from.length; k++) {
                int slot = fill[from[k]]++;
                targets[slot] = to[k];
                weights[slot] = weight[k];
            }
            return new Directed(offsets, targets, weights);
        }
    }

    /** Ranks summing to 1, and how many iterations it took. */
    public record Result(double[] rank, int iterations) {
    }

    public static Result compute(Directed g, double damping, double tolerance, int maxIterations) {
        int n = g.size();
        double[] outWeight = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = g.offsets()[i]; k < g.offsets()[i + 1]; k++) {
                outWeight[i] += g.weights()[k];
            }
        }
        // Transpose: incoming edges with the share of the source's out-weight they carry.
        int[] inOffsets = new int[n + 1];
        for (int t : g.targets()) {
            inOffsets[t + 1]++;
        }
        for (int i = 0; i < n; i++) {
            inOffsets[i + 1] += inOffsets[i];
        }
        int[] fill = java.util.Arrays.copyOf(inOffsets, n);
        int[] sources = new int[g.targets().length];
        double[] share = new double[g.targets().length];
        for (int i = 0; i < n; i++) {
            for (int k = g.offsets()[i]; k < g.offsets()[i + 1]; k++) {
                int slot = fill[g.targets()[k]]++;
                sources[slot] = i;
                share[slot] = g.weights()[k] / outWeight[i];
            }
        }
        double[] rank = new double[n];
        double[] next = new double[n];
        java.util.Arrays.fill(rank, 1.0 / n);
        // The pull loop is split into ranges of about equal numbers of in-edges, run in parallel.
        int parts = n < 10_000 ? 1 : Runtime.getRuntime().availableProcessors() * 4;
        int[] bounds = ranges(inOffsets, parts);
        double[] partialChange = new double[parts];
        int iteration = 0;
        while (iteration < maxIterations) {
            iteration++;
            double dangling = 0;
            for (int i = 0; i < n; i++) {
                if (outWeight[i] == 0) {
                    dangling += rank[i];
                }
            }
            double base = (1 - damping) / n + damping * dangling / n;
            double[] from = rank;
            double[] to = next;
            java.util.stream.IntStream.range(0, parts).parallel().forEach(p -> {
                double change = 0;
                for (int v = bounds[p]; v < bounds[p + 1]; v++) {
                    double sum = 0;
                    for (int k = inOffsets[v]; k < inOffsets[v + 1]; k++) {
                        sum += from[sources[k]] * share[k];
                    }
                    to[v] = base + damping * sum;
                    change += Math.abs(to[v] - from[v]);
                }
                partialChange[p] = change;
            });
            double change = 0;
            for (double c : partialChange) {
                change += c;
            }
            double[] swap = rank;
            rank = next;
            next = swap;
            if (change < tolerance) {
                break;
            }
        }
        return new Result(rank, iteration);
    }

    /** Node ranges [bounds[p], bounds[p+1]) holding about the same number of edges each. */
    private static int[] ranges(int[] offsets, int parts) {
        int n = offsets.length - 1;
        int[] bounds = new int[parts + 1];
        long edges = offsets[n];
        int v = 0;
        for (int p = 1; p < parts; p++) {
            long target = edges * p / parts;
            while (v < n && offsets[v] < target) {
                v++;
            }
            bounds[p] = v;
        }
        bounds[parts] = n;
        return bounds;
    }
}
