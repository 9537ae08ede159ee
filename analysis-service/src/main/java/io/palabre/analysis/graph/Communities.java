package io.palabre.analysis.graph;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

import nl.cwts.networkanalysis.Clustering;
import nl.cwts.networkanalysis.LeidenAlgorithm;
import nl.cwts.networkanalysis.Network;
import nl.cwts.util.LargeDoubleArray;
import nl.cwts.util.LargeIntArray;

/**
 * Communities of an undirected weighted graph in two levels, with the Leiden algorithm (Traag, Waltman &amp; van Eck
 * 2019, its authors' implementation) optimising modularity: every community it returns is connected. Level 0 is the
 * partition of the whole graph; level 1 splits each community of level 0 again, as a graph of its own, where its own
 * structure says so. Modularity cannot see groups smaller than about the square root of the graph's size (its
 * resolution limit, Fortunato &amp; Barthélemy 2007): a small tight-knit group with two factions comes back as one
 * community at level 0, and as its factions at level 1. Deterministic for a given seed.
 */
public final class Communities {

    /** The resolution of level 1: a community's main division rather than its finest structure. */
    static final double SUB_RESOLUTION = 0.5;
    /** A community of level 0 is split again when it has at least this many nodes. */
    static final int MIN_SPLIT = 8;
    /** ... and when its best split has at least this modularity (within the community): a real structure. */
    static final double MIN_SPLIT_MODULARITY = 0.2;
    /** Iterations of one Leiden run at most. */
    static final int MAX_ITERATIONS = 50;
    /** A Leiden run stops at the first iteration that raises modularity by less than this. */
    static final double MIN_GAIN = 1e-4;

    private Communities() {
    }

    /**
     * The communities of each node: {@code top[v]} numbered from 0, largest first; {@code sub[v]} numbered from 0
     * across the graph, each sub-community inside one top community; and the modularity of level 0.
     */
    public record Result(int[] top, int topCount, int[] sub, int subCount, double modularity) {
    }

    /**
     * Finds the communities of the undirected graph of edges {@code (from[k], to[k], weight[k])} over {@code nodes}
     * nodes (duplicates add up), keeping the best of {@code starts} Leiden runs at each level.
     */
    public static Result detect(int nodes, int[] from, int[] to, double[] weight, double resolution, int starts,
            long seed) {
        return detect(nodes, from, to, weight, resolution, SUB_RESOLUTION, starts, seed);
    }

    /** The same, with the resolution of level 1 named. */
    public static Result detect(int nodes, int[] from, int[] to, double[] weight, double resolution,
            double subResolution, int starts, long seed) {
        if (nodes == 0) {
            return new Result(new int[0], 0, new int[0], 0, 0);
        }
        Network network = network(nodes, from, to, weight);
        Clustering top = best(network, resolution, starts, new Random(seed));
        top.orderClustersByNNodes();
        double modularity = modularity(network, top, resolution);

        // Each community of level 0 is split on its own, in parallel, with a seed of its own: the same result on
        // any number of cores.
        int[][] members = top.getNodesPerCluster();
        Network[] parts = network.createSubnetworks(top);
        Clustering[] splits = IntStream.range(0, members.length).parallel()
                .mapToObj(c -> split(parts[c], subResolution, starts, seed + 1 + c))
                .toArray(Clustering[]::new);
        int[] sub = new int[nodes];
        int subCount = 0;
        for (int c = 0; c < members.length; c++) {
            Clustering split = splits[c];
            for (int i = 0; i < members[c].length; i++) {
                sub[members[c][i]] = subCount + (split == null ? 0 : split.getCluster(i));
            }
            subCount += split == null ? 1 : split.getNClusters();
        }
        return new Result(top.getClusters(), top.getNClusters(), sub, subCount, modularity);
    }

    /** The split of one community of level 0, or null where its own structure shows none. */
    private static Clustering split(Network part, double resolution, int starts, long seed) {
        if (part.getNNodes() < MIN_SPLIT) {
            return null;
        }
        Clustering split = best(part, resolution, starts, new Random(seed));
        if (split.getNClusters() < 2 || modularity(part, split, 1.0) < MIN_SPLIT_MODULARITY) {
            return null;
        }
        split.orderClustersByNNodes();
        return split;
    }

    /**
     * The network in the library's form: each undirected edge in both directions, sorted, duplicates added up, loops
     * left out (an account answering itself says nothing of communities); node weights = total edge weights.
     */
    static Network network(int nodes, int[] from, int[] to, double[] weight) {
        Adjacency both = Adjacency.of(nodes, from.length, from, to, k -> weight[k], true);
        int[] source = both.sources();
        LargeIntArray[] edges = { new LargeIntArray(source), new LargeIntArray(both.target()) };
        return new Network(nodes, true, edges, new LargeDoubleArray(both.weight()), true, false);
    }

    /**
     * The best (highest modularity) of {@code starts} Leiden runs from singletons. Each run iterates while an
     * iteration still raises modularity by at least {@link #MIN_GAIN}, at most {@link #MAX_ITERATIONS} times: the
     * library reports every iteration as a change (its refinement is randomised), and past that point an iteration
     * costs as much as the first for a gain no analyst would see.
     */
    private static Clustering best(Network network, double resolution, int starts, Random random) {
        double cpmResolution = resolution / (2 * network.getTotalEdgeWeight() + network.getTotalEdgeWeightSelfLinks());
        Clustering best = null;
        double bestQuality = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < starts; s++) {
            LeidenAlgorithm leiden = new LeidenAlgorithm(cpmResolution, 1, LeidenAlgorithm.DEFAULT_RANDOMNESS,
                    random);
            Clustering clustering = new Clustering(network.getNNodes());
            double quality = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < MAX_ITERATIONS; i++) {
                leiden.improveClustering(network, clustering);
                double next = modularity(network, clustering, resolution);
                boolean stable = next - quality < MIN_GAIN;
                quality = next;
                if (stable) {
                    break;
                }
            }
            if (quality > bestQuality) {
                best = clustering;
                bestQuality = quality;
            }
        }
        return best;
    }

    /** Newman's modularity (with a resolution) of a clustering of the network. */
    static double modularity(Network network, Clustering clustering, double resolution) {
        double total = 2 * network.getTotalEdgeWeight() + network.getTotalEdgeWeightSelfLinks();
        if (total == 0) {
            return 0;
        }
        double[] internal = new double[clustering.getNClusters()];
        double[] degree = new double[clustering.getNClusters()];
        for (int v = 0; v < network.getNNodes(); v++) {
            int c = clustering.getCluster(v);
            degree[c] += network.getNodeWeight(v);
            int[] neighbours = network.getNeighbors(v);
            double[] weights = network.getEdgeWeights(v);
            for (int i = 0; i < neighbours.length; i++) {
                if (clustering.getCluster(neighbours[i]) == c) {
                    internal[c] += weights[i];
                }
            }
        }
        double q = 0;
        for (int c = 0; c < internal.length; c++) {
            q += internal[c] / total - resolution * (degree[c] / total) * (degree[c] / total);
        }
        return q;
    }

    /** The normalised mutual information of two partitions of the same nodes (1: the same). */
    public static double nmi(int[] a, int[] b) {
        return new Clustering(Arrays.copyOf(a, a.length)).calcNormalizedMutualInformation(
                new Clustering(Arrays.copyOf(b, b.length)));
    }
}
