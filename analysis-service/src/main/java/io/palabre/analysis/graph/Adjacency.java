package io.palabre.analysis.graph;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * Weighted edges merged per (source, target), in order of source then target: the out-neighbours of {@code v} are
 * {@code target[start[v]..start[v+1])}, each once, with the sum of the weights of its edges. Built with a counting
 * pass and a primitive sort of each source's entries, which pack the target and the edge's index.
 */
public record Adjacency(int[] start, int[] target, double[] weight) {

    /**
     * Merges the first {@code edges} edges {@code (from[k], to[k], weightOf(k))} over {@code nodes} nodes; with
     * {@code bothDirections}, each edge counts from each end and loops are left out (an undirected graph).
     */
    public static Adjacency of(int nodes, int edges, int[] from, int[] to, IntToDoubleFunction weightOf,
            boolean bothDirections) {
        int[] start = new int[nodes + 1];
        for (int k = 0; k < edges; k++) {
            if (!bothDirections) {
                start[from[k] + 1]++;
            } else if (from[k] != to[k]) {
                start[from[k] + 1]++;
                start[to[k] + 1]++;
            }
        }
        for (int v = 0; v < nodes; v++) {
            start[v + 1] += start[v];
        }
        int[] fill = Arrays.copyOf(start, nodes + 1);
        long[] entries = new long[start[nodes]];
        for (int k = 0; k < edges; k++) {
            if (!bothDirections) {
                entries[fill[from[k]]++] = (long) to[k] << 32 | k;
            } else if (from[k] != to[k]) {
                entries[fill[from[k]]++] = (long) to[k] << 32 | k;
                entries[fill[to[k]]++] = (long) from[k] << 32 | k;
            }
        }
        fill = null;
        int[] merged = new int[nodes + 1];
        int[] target = new int[entries.length];
        double[] sum = new double[entries.length];
        int unique = 0;
        for (int v = 0; v < nodes; v++) {
            Arrays.sort(entries, start[v], start[v + 1]);
            merged[v] = unique;
            int previous = -1;
            for (int i = start[v]; i < start[v + 1]; i++) {
                int neighbour = (int) (entries[i] >>> 32);
                double w = weightOf.applyAsDouble((int) entries[i]);
                if (neighbour == previous) {
                    sum[unique - 1] += w;
                } else {
                    target[unique] = neighbour;
                    sum[unique++] = w;
                    previous = neighbour;
                }
            }
        }
        merged[nodes] = unique;
        return new Adjacency(merged, Arrays.copyOf(target, unique), Arrays.copyOf(sum, unique));
    }

    /** How many merged edges there are. */
    public int size() {
        return target.length;
    }

    /** The source of each merged edge, in order. */
    public int[] sources() {
        int[] source = new int[target.length];
        for (int v = 0; v + 1 < start.length; v++) {
            Arrays.fill(source, start[v], start[v + 1], v);
        }
        return source;
    }
}
