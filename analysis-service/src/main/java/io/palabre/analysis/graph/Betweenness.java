package io.palabre.analysis.graph;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Approximate betweenness centrality of a directed, unweighted graph: Brandes' dependency accumulation from a
 * uniform sample of source nodes (pivots), scaled by n / pivots (Brandes and Pich, 2007). With all nodes as
 * pivots it is exact. Cost O(pivots * m), so a fixed number of pivots bounds it as the graph grows.
 */
public final class Betweenness {

    private Betweenness() {
    }

    /**
     * Pivots are cut into this many fixed chunks, run in parallel and summed in chunk order: the result is the same
     * on any number of cores.
     */
    static final int CHUNKS = 8;

    /** Out-neighbours of v: {@code targets[offsets[v]..offsets[v+1])}; scores are not normalised. */
    public static double[] compute(int[] offsets, int[] targets, int pivots, long seed) {
        int n = offsets.length - 1;
        double[] centrality = new double[n];
        if (n == 0) {
            return centrality;
        }
        int[] sources = sample(n, Math.min(pivots, n), seed);
        int chunks = Math.min(CHUNKS, sources.length);
        List<double[]> partial = IntStream.range(0, chunks).parallel()
                .mapToObj(c -> accumulate(offsets, targets, Arrays.copyOfRange(sources,
                        (int) ((long) sources.length * c / chunks), (int) ((long) sources.length * (c + 1) / chunks))))
                .toList();
        for (double[] p : partial) {
            for (int v = 0; v < n; v++) {
                centrality[v] += p[v];
            }
        }
        double scale = (double) n / sources.length;
        for (int v = 0; v < n; v++) {
            centrality[v] *= scale;
        }
        return centrality;
    }

    /** Brandes' dependencies of every node from these sources, summed. */
    private static double[] accumulate(int[] offsets, int[] targets, int[] sources) {
        int n = offsets.length - 1;
        double[] centrality = new double[n];
        int[] stack = new int[n];
        int[] queue = new int[n];
        int[] distance = new int[n];
        double[] paths = new double[n];
        double[] dependency = new double[n];
        Arrays.fill(distance, -1);
        for (int s : sources) {
            int stackSize = 0;
            int head = 0;
            int tail = 0;
            queue[tail++] = s;
            distance[s] = 0;
            paths[s] = 1;
            while (head < tail) {
                int v = queue[head++];
                stack[stackSize++] = v;
                for (int k = offsets[v]; k < offsets[v + 1]; k++) {
                    int w = targets[k];
                    if (distance[w] < 0) {
                        distance[w] = distance[v] + 1;
                        queue[tail++] = w;
                    }
                    if (distance[w] == distance[v] + 1) {
                        paths[w] += paths[v];
                    }
                }
            }
            // Back-propagate dependencies in order of decreasing distance; predecessors are found again by
            // scanning out-edges (w is a successor of v on a shortest path when distance[w] = distance[v] + 1).
            for (int i = stackSize - 1; i >= 0; i--) {
                int v = stack[i];
                double sum = 0;
                for (int k = offsets[v]; k < offsets[v + 1]; k++) {
                    int w = targets[k];
                    if (distance[w] == distance[v] + 1) {
                        sum += paths[v] / paths[w] * (1 + dependency[w]);
                    }
                }
                dependency[v] = sum;
                if (v != s) {
                    centrality[v] += sum;
                }
            }
            for (int i = 0; i < stackSize; i++) {
                int v = stack[i];
                distance[v] = -1;
                paths[v] = 0;
                dependency[v] = 0;
            }
        }
        return centrality;
    }

    private static int[] sample(int n, int k, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        Random random = new Random(seed);
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, k);
    }
}
