package io.palabre.analysis.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Leiden communities in two levels on graphs whose structure is known: Zachary's karate club (its real split into two
 * factions), the same club inside a graph of thousands of accounts, planted partitions, and random graphs for
 * connectedness. Plain JUnit.
 */
class CommunitiesTest {

    /** Zachary's karate club (1977): 34 members, 78 friendships, 1-indexed. */
    static final int[][] KARATE = {
        { 1, 2 }, { 1, 3 }, { 1, 4 }, { 1, 5 }, { 1, 6 }, { 1, 7 }, { 1, 8 }, { 1, 9 }, { 1, 11 }, { 1, 12 },
        { 1, 13 }, { 1, 14 }, { 1, 18 }, { 1, 20 }, { 1, 22 }, { 1, 32 }, { 2, 3 }, { 2, 4 }, { 2, 8 }, { 2, 14 },
        { 2, 18 }, { 2, 20 }, { 2, 22 }, { 2, 31 }, { 3, 4 }, { 3, 8 }, { 3, 9 }, { 3, 10 }, { 3, 14 }, { 3, 28 },
        { 3, 29 }, { 3, 33 }, { 4, 8 }, { 4, 13 }, { 4, 14 }, { 5, 7 }, { 5, 11 }, { 6, 7 }, { 6, 11 }, { 6, 17 },
        { 7, 17 }, { 9, 31 }, { 9, 33 }, { 9, 34 }, { 10, 34 }, { 14, 34 }, { 15, 33 }, { 15, 34 }, { 16, 33 },
        { 16, 34 }, { 19, 33 }, { 19, 34 }, { 20, 34 }, { 21, 33 }, { 21, 34 }, { 23, 33 }, { 23, 34 }, { 24, 26 },
        { 24, 28 }, { 24, 30 }, { 24, 33 }, { 24, 34 }, { 25, 26 }, { 25, 28 }, { 25, 32 }, { 26, 32 }, { 27, 30 },
        { 27, 34 }, { 28, 34 }, { 29, 32 }, { 29, 34 }, { 30, 33 }, { 30, 34 }, { 31, 33 }, { 31, 34 }, { 32, 33 },
        { 32, 34 }, { 33, 34 } };
    /**
     * The strength of each friendship of {@link #KARATE}, in the same order: Zachary's matrix C, the number of contexts
     * (of eight he observed) in which the two members interacted. Where his matrix differs between its two halves (7 of
     * 78 ties), the entry below the diagonal, as networkx's {@code karate_club_graph} reads it.
     */
    static final int[] KARATE_WEIGHT = {
        4, 5, 3, 3, 3, 3, 2, 2, 2, 3, 1, 3, 2, 2, 2, 2, 6, 3, 4, 5, 1, 2, 2, 2, 3, 4, 5, 1, 3, 2, 2, 2, 3, 3, 3, 2,
        3, 5, 3, 3, 3, 3, 3, 4, 2, 3, 3, 2, 3, 4, 1, 2, 1, 3, 1, 2, 3, 5, 4, 3, 5, 4, 2, 3, 2, 7, 4, 2, 4, 2, 2, 4,
        2, 3, 3, 4, 4, 5 };

    /** The faction each member joined after the split (0: Mr. Hi's, 1: the officer's), 1-indexed members. */
    static final int[] FACTION = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1 };

    private record Edges(int nodes, int[] from, int[] to, double[] weight) {
    }

    private static Edges karate(int offset, Edges into, boolean weighted) {
        int m = KARATE.length;
        int[] from = into == null ? new int[0] : into.from;
        int[] to = into == null ? new int[0] : into.to;
        int base = from.length;
        from = Arrays.copyOf(from, base + m);
        to = Arrays.copyOf(to, base + m);
        double[] weight = into == null ? new double[base + m] : Arrays.copyOf(into.weight, base + m);
        for (int k = 0; k < m; k++) {
            from[base + k] = offset + KARATE[k][0] - 1;
            to[base + k] = offset + KARATE[k][1] - 1;
            weight[base + k] = weighted ? KARATE_WEIGHT[k] : 1;
        }
        return new Edges(Math.max(into == null ? 0 : into.nodes, offset + 34), from, to, weight);
    }

    @Test
    void theKarateClubAloneHasItsKnownModularity() {
        Edges g = karate(0, null, false);
        Communities.Result r = Communities.detect(g.nodes, g.from, g.to, g.weight, 1.0, 1, 42);
        assertTrue(r.modularity() >= 0.41, "Q = " + r.modularity());
        assertEquals(4, r.topCount(), "its best partition by modularity has four communities (Q 0.4198)");
    }

    /** A social graph of 5,000 accounts (preferential attachment, a few ties each), and the club as one more part. */
    private static Communities.Result clubInsideAGraphOfThousands(boolean weighted) {
        int n = 5000;
        Random random = new Random(7);
        List<int[]> edges = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        for (int v = 1; v < n; v++) {
            int ties = 1 + random.nextInt(3);
            for (int t = 0; t < ties; t++) {
                int u = ends.isEmpty() || random.nextInt(4) == 0 ? random.nextInt(v)
                        : ends.get(random.nextInt(ends.size()));
                edges.add(new int[] { v, u });
                ends.add(u);
                ends.add(v);
            }
        }
        Edges big = new Edges(n, edges.stream().mapToInt(e -> e[0]).toArray(), edges.stream().mapToInt(e -> e[1])
                .toArray(), edges.stream().mapToDouble(e -> 1).toArray());
        Edges g = karate(n, big, weighted);
        return Communities.detect(g.nodes, g.from, g.to, g.weight, 1.0, 3, 42);
    }

    @Test
    void theKarateClubsFactionsAreFoundInsideAGraphOfThousands() {
        int n = 5000;
        Communities.Result r = clubInsideAGraphOfThousands(true);
        int[] sub = Arrays.copyOfRange(r.sub(), n, n + 34);
        int[] top = Arrays.copyOfRange(r.top(), n, n + 34);
        // Level 0 cannot see the club's factions (the resolution limit): it is one community there.
        assertEquals(1, Arrays.stream(top).distinct().count(), "the club at level 0: " + Arrays.toString(top));
        // Level 1 divides it in two: the factions, but for member 9, who joined Mr. Hi although his ties lean to the
        // officer (Zachary's own exception: he had a black-belt exam to pass under Mr. Hi).
        assertEquals(2, Arrays.stream(sub).distinct().count(), "the club at level 1: " + Arrays.toString(sub));
        double nmi = Communities.nmi(sub, FACTION);
        assertTrue(nmi >= 0.7, "NMI at the finest level: " + nmi);
        assertArrayEquals(new int[] { 9 }, membersOnTheOtherSide(sub), "members on the other side");
    }

    @Test
    void withoutTheStrengthOfTiesAMemberWithOneTieToEachSideGoesToTheSmallerSide() {
        // The same club with every friendship counted once: member 10 (one tie to each side) then joins the side of
        // smaller total degree, as modularity's null model says, and 9 and 10 are both off (NMI 0.677). The strength
        // of ties is what tells them apart: Palabre weighs relationships by their count of interactions.
        Communities.Result r = clubInsideAGraphOfThousands(false);
        int[] sub = Arrays.copyOfRange(r.sub(), 5000, 5000 + 34);
        assertEquals(2, Arrays.stream(sub).distinct().count(), "the club at level 1: " + Arrays.toString(sub));
        assertArrayEquals(new int[] { 9, 10 }, membersOnTheOtherSide(sub), "members on the other side");
    }

    /** Members (1-indexed) whose side differs from their faction, taking member 1's side as Mr. Hi's. */
    private static int[] membersOnTheOtherSide(int[] side) {
        return java.util.stream.IntStream.range(0, 34).filter(v -> side[v] != side[0] ^ FACTION[v] != FACTION[0])
                .map(v -> v + 1).toArray();
    }

    @Test
    void plantedPartitionsAreRecovered() {
        int groups = 20;
        int size = 50;
        int n = groups * size;
        Random random = new Random(11);
        List<int[]> edges = new ArrayList<>();
        int[] truth = new int[n];
        for (int u = 0; u < n; u++) {
            truth[u] = u / size;
            for (int v = u + 1; v < n; v++) {
                double p = u / size == v / size ? 0.3 : 0.005;
                if (random.nextDouble() < p) {
                    edges.add(new int[] { u, v });
                }
            }
        }
        Communities.Result r = Communities.detect(n, edges.stream().mapToInt(e -> e[0]).toArray(),
                edges.stream().mapToInt(e -> e[1]).toArray(), edges.stream().mapToDouble(e -> 1).toArray(), 1.0, 3,
                42);
        assertTrue(Communities.nmi(r.top(), truth) >= 0.9, "NMI " + Communities.nmi(r.top(), truth));
        assertEquals(groups, r.topCount());
    }

    @Test
    void noCommunityIsEverDisconnected() {
        Random random = new Random(3);
        for (int trial = 0; trial < 30; trial++) {
            int n = 50 + random.nextInt(400);
            int m = n + random.nextInt(3 * n);
            int[] from = new int[m];
            int[] to = new int[m];
            double[] weight = new double[m];
            for (int k = 0; k < m; k++) {
                from[k] = random.nextInt(n);
                to[k] = random.nextInt(n);
                weight[k] = 1 + random.nextInt(5);
            }
            Communities.Result r = Communities.detect(n, from, to, weight, 1.0, 2, trial);
            assertConnected(n, from, to, r.top(), r.topCount(), "level 0, trial " + trial);
            assertConnected(n, from, to, r.sub(), r.subCount(), "level 1, trial " + trial);
            for (int v = 0; v < n; v++) {
                for (int u = 0; u < n; u++) {
                    if (r.sub()[u] == r.sub()[v]) {
                        assertEquals(r.top()[u], r.top()[v], "a sub-community lies in one community");
                    }
                }
            }
        }
    }

    /** Each community's nodes are reachable from one another through edges inside it. */
    private static void assertConnected(int n, int[] from, int[] to, int[] community, int count, String what) {
        List<List<Integer>> adjacent = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            adjacent.add(new ArrayList<>());
        }
        for (int k = 0; k < from.length; k++) {
            adjacent.get(from[k]).add(to[k]);
            adjacent.get(to[k]).add(from[k]);
        }
        boolean[] seen = new boolean[n];
        boolean[] started = new boolean[count];
        for (int v = 0; v < n; v++) {
            if (seen[v]) {
                continue;
            }
            int c = community[v];
            assertTrue(!started[c], what + ": community " + c + " falls apart");
            started[c] = true;
            ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(v));
            seen[v] = true;
            while (!queue.isEmpty()) {
                int x = queue.poll();
                for (int y : adjacent.get(x)) {
                    if (!seen[y] && community[y] == c) {
                        seen[y] = true;
                        queue.add(y);
                    }
                }
            }
        }
    }
}
