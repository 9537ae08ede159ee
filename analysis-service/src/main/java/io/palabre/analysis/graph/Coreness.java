package io.palabre.analysis.graph;

/**
 * k-core number of every node of an undirected simple graph (Batagelj and Zaversnik's O(m) bucket algorithm): the
 * largest k such that the node belongs to a subgraph where every node has at least k neighbours.
 */
public final class Coreness {

    private Coreness() {
    }

    /** {@code neighbours[offsets[v]..offsets[v+1])} lists each neighbour of v once, without v itself. */
    public static int[] compute(int[] offsets, int[] neighbours) {
        int n = offsets.length - 1;
        int[] degree = new int[n];
        int maxDegree = 0;
        for (int v = 0; v < n; v++) {
            degree[v] = offsets[v + 1] - offsets[v];
            maxDegree = Math.max(maxDegree, degree[v]);
        }
        int[] binStart = new int[maxDegree + 1];
        for (int v = 0; v < n; v++) {
            binStart[degree[v]]++;
        }
        int start = 0;
        for (int d = 0; d <= maxDegree; d++) {
            int count = binStart[d];
            binStart[d] = start;
            start += count;
        }
        int[] order = new int[n];
        int[] position = new int[n];
        for (int v = 0; v < n; v++) {
            position[v] = binStart[degree[v]]++;
            order[position[v]] = v;
        }
        for (int d = maxDegree; d > 0; d--) {
            binStart[d] = binStart[d - 1];
        }
        binStart[0] = 0;
        for (int i = 0; i < n; i++) {
            int v = order[i];
            for (int k = offsets[v]; k < offsets[v + 1]; k++) {
                int u = neighbours[k];
                if (degree[u] > degree[v]) {
                    int du = degree[u];
                    int pu = position[u];
                    int pw = binStart[du];
                    int w = order[pw];
                    if (u != w) {
                        order[pu] = w;
                        position[w] = pu;
                        order[pw] = u;
                        position[u] = pw;
                    }
                    binStart[du]++;
                    degree[u]--;
                }
            }
        }
        return degree;
    }
}
