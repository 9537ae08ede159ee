package io.palabre.analysis.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Louvain against known answers: Zachary's karate club and planted partitions; plain JUnit.
 */
class LouvainTest {

    /** Zachary's karate club (1977): 34 members, 78 friendships, 1-based as published. */
    private static final int[][] KARATE = {
            { 1, 2 }, { 1, 3 }, { 1, 4 }, { 1, 5 }, { 1, 6 }, { 1, 7 }, { 1, 8 }, { 1, 9 }, { 1, 11 }, { 1, 12 },
            { 1, 13 }, { 1, 14 }, { 1, 18 }, { 1, 20 }, { 1, 22 }, { 1, 32 }, { 2, 3 }, { 2, 4 }, { 2, 8 },
            { 2, 14 }, { 2, 18 }, { 2, 20 }, { 2, 22 }, { 2, 31 }, { 3, 4 }, { 3, 8 }, { 3, 9 }, { 3, 10 },
            { 3, 14 }, { 3, 28 }, { 3, 29 }, { 3, 33 }, { 4, 8 }, { 4, 13 }, { 4, 14 }, { 5, 7 }, { 5, 11 },
            { 6, 7 }, { 6, 11 }, { 6, 17 }, { 7, 17 }, { 9, 31 }, { 9, 33 }, { 9, 34 }, { 10, 34 }, { 14, 34 },
            { 15, 33 }, { 15, 34 }, { 16, 33 }, { 16, 34 }, { 19, 33 }, { 19, 34 }, { 20, 34 }, { 21, 33 },
            { 21, 34 }, { 23, 33 }, { 23, 34 }, { 24, 26 }, { 24, 28 }, { 24, 30 }, { 24, 33 }, { 24, 34 },
            { 25, 26 }, { 25, 28 }, { 25, 32 }, { 26, 32 }, { 27, 30 }, { 27, 34 }, { 28, 34 }, { 29, 32 },
            { 29, 34 }, { 30, 33 }, { 30, 34 }, { 31, 33 }, { 31, 34 }, { 32, 33 }, { 32, 34 }, { 33, 34 } };

    @Test
    void karateClubReachesTheKnownModularity() {
        assertEquals(78, KARATE.length);
        int[] from = new int[KARATE.length];
        int[] to = new int[KARATE.length];
        double[] weight = new double[KARATE.length];
        for (int k = 0; k < KARATE.length; k++) {
            from[k] = KARATE[k][0] - 1;
            to[k] = KARATE[k][1] - 1;
            weight[k] = 1;
        }
        Louvain.Graph graph = Louvain.Graph.undirected(34, from, to, weight);
        int singleRunsAbove = 0;
        for (long seed = 1; seed <= 20; seed++) {
            singleRunsAbove += Louvain.detect(graph, seed).modularity() >= 0.41 ? 1 : 0;
        }
        assertTrue(singleRunsAbove >= 10, singleRunsAbove + " of 20 single runs reach 0.41");
        for (long seed = 1; seed <= 5; seed++) {
            Louvain.Result result = Louvain.detect(graph, seed * 100, 4);
            assertTrue(result.modularity() >= 0.41, "seed " + seed + ": Q = " + result.modularity());
            assertTrue(result.modularity() <= 0.4198 + 1e-4, "above the known optimum: " + result.modularity());
            assertEquals(result.modularity(), Louvain.modularity(graph, result.community()), 1e-12);
        }
    }

    @Test
    void plantedPartitionIsRecovered() {
        int groups = 5;
        int size = 60;
        int n = groups * size;
        Random random = new Random(7);
        List<int[]> edges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double p = i / size == j / size ? 0.25 : 0.01;
                if (random.nextDouble() < p) {
                    edges.add(new int[] { i, j });
                }
            }
        }
        int[] from = edges.stream().mapToInt(e -> e[0]).toArray();
        int[] to = edges.stream().mapToInt(e -> e[1]).toArray();
        double[] weight = new double[edges.size()];
        java.util.Arrays.fill(weight, 1);
        Louvain.Result result = Louvain.detect(Louvain.Graph.undirected(n, from, to, weight), 3, 4);
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i / size;
        }
        double nmi = normalisedMutualInformation(truth, result.community());
        assertTrue(nmi >= 0.9, "NMI " + nmi + " with " + result.communities() + " communities");
    }

    @Test
    void twoTrianglesJoinedByOneEdgeAreTwoCommunities() {
        Louvain.Graph g = Louvain.Graph.undirected(6, new int[] { 0, 0, 1, 3, 3, 4, 2 },
                new int[] { 1, 2, 2, 4, 5, 5, 3 }, new double[] { 1, 1, 1, 1, 1, 1, 1 });
        Louvain.Result r = Louvain.detect(g, 1);
        assertEquals(2, r.communities());
        assertEquals(r.community()[0], r.community()[2]);
        assertEquals(r.community()[3], r.community()[5]);
        // Q = 2 * (3/7 - (7/14)^2) = 5/14
        assertEquals(5.0 / 14, r.modularity(), 1e-12);
    }

    static double normalisedMutualInformation(int[] a, int[] b) {
        int n = a.length;
        int ka = java.util.Arrays.stream(a).max().orElse(0) + 1;
        int kb = java.util.Arrays.stream(b).max().orElse(0) + 1;
        double[][] joint = new double[ka][kb];
        double[] pa = new double[ka];
        double[] pb = new double[kb];
        for (int i = 0; i < n; i++) {
            joint[a[i]][b[i]] += 1.0 / n;
            pa[a[i]] += 1.0 / n;
            pb[b[i]] += 1.0 / n;
        }
        double mi = 0;
        for (int x = 0; x < ka; x++) {
            for (int y = 0; y < kb; y++) {
                if (joint[x][y] > 0) {
                    mi += joint[x][y] * Math.log(joint[x][y] / (pa[x] * pb[y]));
                }
            }
        }
        double ha = 0;
        double hb = 0;
        for (double p : pa) {
            ha -= p > 0 ? p * Math.log(p) : 0;
        }
        for (double p : pb) {
            hb -= p > 0 ? p * Math.log(p) : 0;
        }
        return ha + hb == 0 ? 1 : 2 * mi / (ha + hb);
    }
}
