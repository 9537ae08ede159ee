package io.palabre.analysis.bench;

import java.util.Random;

import io.palabre.analysis.graph.Louvain;
import io.palabre.analysis.graph.PageRank;

/**
 * PageRank and Louvain on generated interaction graphs with a power-law degree spread (preferential attachment,
 * five edges per node on average). Prints build time, PageRank time (tolerance 1e-6), Louvain time and the graph's
 * bytes per edge.
 *
 * <pre>./mvnw -q -pl analysis-service test-compile exec:exec -Dexec.classpathScope=test \
 *     -Dexec.executable=java -Dexec.args="-Xmx4g -cp %classpath io.palabre.analysis.bench.GraphBenchmark 1000000 5000000"</pre>
 */
public final class GraphBenchmark {

    private GraphBenchmark() {
    }

    public static void main(String[] args) {
        for (String arg : args.length > 0 ? args : new String[] { "1000000", "5000000" }) {
            run(Integer.parseInt(arg));
        }
    }

    private static void run(int edges) {
        int nodes = edges / 5;
        Random random = new Random(42);
        int[] from = new int[edges];
        int[] to = new int[edges];
        double[] weight = new double[edges];
        for (int k = 0; k < edges; k++) {
            from[k] = random.nextInt(nodes);
            // Preferential attachment: the target is the endpoint of an earlier edge, or a uniform node.
            to[k] = k > 0 && random.nextDouble() < 0.8 ? to[random.nextInt(k)] : random.nextInt(nodes);
            if (to[k] == from[k]) {
                to[k] = (to[k] + 1) % nodes;
            }
            weight[k] = 1 + random.nextInt(3);
        }
        long t0 = System.nanoTime();
        PageRank.Directed directed = PageRank.Directed.of(nodes, from, to, weight);
        long built = System.nanoTime();
        PageRank.Result rank = PageRank.compute(directed, 0.85, 1e-6, 100);
        long ranked = System.nanoTime();
        double bytesPerEdge = (directed.offsets().length * 4.0 + directed.targets().length * 12.0) / edges;
        System.out.printf("%,d edges, %,d nodes: build %.2f s, PageRank %.2f s (%d iterations), "
                + "%.1f bytes per edge (out-edges; PageRank adds its transpose: %.1f)%n", edges, nodes,
                (built - t0) / 1e9, (ranked - built) / 1e9, rank.iterations(), bytesPerEdge, bytesPerEdge * 2);
        if (edges <= 1_000_000) {
            long l0 = System.nanoTime();
            Louvain.Graph undirected = Louvain.Graph.undirected(nodes, from, to, weight);
            Louvain.Result communities = Louvain.detect(undirected, 1);
            System.out.printf("%,d edges: Louvain %.2f s, %,d communities, modularity %.3f%n", edges,
                    (System.nanoTime() - l0) / 1e9, communities.communities(), communities.modularity());
        }
    }
}
