package io.palabre.analysis.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * k-core and betweenness on graphs small enough to check by hand.
 */
class CorenessAndBetweennessTest {

    @Test
    void triangleWithAPendantAndAClique() {
        // 0-1-2 triangle, 3 hangs on 0; 4-5-6-7 a 4-clique joined to 2 by 2-4; 8 alone.
        int[][] edges = { { 0, 1 }, { 1, 2 }, { 0, 2 }, { 0, 3 }, { 4, 5 }, { 4, 6 }, { 4, 7 }, { 5, 6 }, { 5, 7 },
                { 6, 7 }, { 2, 4 } };
        int[][] csr = undirected(9, edges);
        assertArrayEquals(new int[] { 2, 2, 2, 1, 3, 3, 3, 3, 0 }, Coreness.compute(csr[0], csr[1]));
    }

    @Test
    void exactBetweennessWhenEveryNodeIsAPivot() {
        // A path walked both ways: 0 <-> 1 <-> 2 <-> 3.
        int[][] path = directed(4, new int[][] { { 0, 1 }, { 1, 0 }, { 1, 2 }, { 2, 1 }, { 2, 3 }, { 3, 2 } });
        assertArrayEquals(new double[] { 0, 4, 4, 0 }, Betweenness.compute(path[0], path[1], 4, 1), 1e-12);
        // Two shortest paths from 0 to 3 share the dependency.
        int[][] diamond = directed(4, new int[][] { { 0, 1 }, { 0, 2 }, { 1, 3 }, { 2, 3 } });
        assertArrayEquals(new double[] { 0, 0.5, 0.5, 0 }, Betweenness.compute(diamond[0], diamond[1], 4, 1), 1e-12);
    }

    @Test
    void sampledBetweennessIsScaledToAllSources() {
        int[][] star = directed(5, new int[][] { { 1, 0 }, { 2, 0 }, { 0, 3 }, { 0, 4 } });
        double[] exact = Betweenness.compute(star[0], star[1], 5, 7);
        assertArrayEquals(new double[] { 4, 0, 0, 0, 0 }, exact, 1e-12);
        // Pivots 1 and 2 each see 2 paths through the centre, the others none; two pivots are scaled by 5 / 2.
        double[] sampled = Betweenness.compute(star[0], star[1], 2, 7);
        double[] possible = { 0, 5, 10 };
        boolean found = false;
        for (double p : possible) {
            found |= Math.abs(sampled[0] - p) < 1e-12;
        }
        org.junit.jupiter.api.Assertions.assertTrue(found, "centre estimate " + sampled[0]);
    }

    private static int[][] directed(int n, int[][] edges) {
        int[] offsets = new int[n + 1];
        for (int[] e : edges) {
            offsets[e[0] + 1]++;
        }
        for (int v = 0; v < n; v++) {
            offsets[v + 1] += offsets[v];
        }
        int[] fill = java.util.Arrays.copyOf(offsets, n);
        int[] targets = new int[edges.length];
        for (int[] e : edges) {
            targets[fill[e[0]]++] = e[1];
        }
        return new int[][] { offsets, targets };
    }

    private static int[][] undirected(int n, int[][] edges) {
        int[][] both = new int[edges.length * 2][];
        for (int i = 0; i < edges.length; i++) {
            both[2 * i] = edges[i];
            both[2 * i + 1] = new int[] { edges[i][1], edges[i][0] };
        }
        return directed(n, both);
    }
}
