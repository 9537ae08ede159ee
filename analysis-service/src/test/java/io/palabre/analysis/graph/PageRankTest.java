package io.palabre.analysis.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * PageRank on graphs whose ranks were worked out by hand; plain JUnit.
 */
class PageRankTest {

    @Test
    void cycleGivesEveryNodeTheSameRank() {
        PageRank.Result r = PageRank.compute(PageRank.Directed.of(3, new int[] { 0, 1, 2 }, new int[] { 1, 2, 0 },
                new double[] { 1, 1, 1 }), 0.85, 1e-12, 200);
        for (double rank : r.rank()) {
            assertEquals(1.0 / 3, rank, 1e-9);
        }
    }

    @Test
    void starWithADanglingCentre() {
        // Leaves 1..4 point at 0, which points nowhere: r0 = 0.88 / 1.68, each leaf (1 - r0) / 4.
        PageRank.Result r = PageRank.compute(PageRank.Directed.of(5, new int[] { 1, 2, 3, 4 },
                new int[] { 0, 0, 0, 0 }, new double[] { 1, 1, 1, 1 }), 0.85, 1e-12, 500);
        assertEquals(0.88 / 1.68, r.rank()[0], 1e-9);
        assertEquals((1 - 0.88 / 1.68) / 4, r.rank()[1], 1e-9);
    }

    @Test
    void weightsSplitTheRankTheyCarry() {
        // 0 -> 1 (weight 3), 0 -> 2 (weight 1), 1 -> 0, 2 -> 0: node 1 gets three times node 2's inflow.
        PageRank.Result r = PageRank.compute(PageRank.Directed.of(3, new int[] { 0, 0, 1, 2 },
                new int[] { 1, 2, 0, 0 }, new double[] { 3, 1, 1, 1 }), 0.85, 1e-12, 500);
        double base = 0.05;
        assertEquals(3, (r.rank()[1] - base) / (r.rank()[2] - base), 1e-9);
        assertEquals(1, r.rank()[0] + r.rank()[1] + r.rank()[2], 1e-9);
    }
}
