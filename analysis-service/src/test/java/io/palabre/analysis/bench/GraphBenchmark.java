package io.palabre.analysis.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Instant;
import java.util.Random;

import io.palabre.analysis.service.GraphMetricsService;

/**
 * Graph metrics as a production run computes them ({@link GraphMetricsService#compute}: degrees, PageRank on all
 * types and on each, k-core, betweenness from 128 pivots, reciprocity, Leiden communities in two levels), on
 * generated interaction graphs with a power-law degree spread (preferential attachment, five relationships per
 * account, the four types mixed). Prints the time, and memory measured from the heap: the loaded graph (after GC),
 * and the peak while computing, each per relationship.
 *
 * <pre>./mvnw -q -pl analysis-service test-compile exec:exec -Dexec.classpathScope=test \
 *     -Dexec.executable=java -Dexec.args="-Xmx6g -cp %classpath io.palabre.analysis.bench.GraphBenchmark 1000000 5000000"</pre>
 */
public final class GraphBenchmark {

    private GraphBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        for (String arg : args.length > 0 ? args : new String[] { "1000000", "5000000" }) {
            run(Integer.parseInt(arg));
        }
    }

    private static void run(int edges) throws Exception {
        long before = usedAfterGc();
        int accounts = edges / 5;
        Random random = new Random(42);
        GraphMetricsService.Graph g = new GraphMetricsService.Graph();
        int[] targets = new int[edges];
        for (int k = 0; k < edges; k++) {
            int from = random.nextInt(accounts);
            // Preferential attachment: the target is the target of an earlier relationship, or any account.
            int to = k > 0 && random.nextDouble() < 0.8 ? targets[random.nextInt(k)] : random.nextInt(accounts);
            if (to == from) {
                to = (to + 1) % accounts;
            }
            targets[k] = to;
            g.add("mastodon:user" + from + "@example.social", "mastodon:user" + to + "@example.social",
                    (byte) random.nextInt(GraphMetricsService.TYPES.size()), 1 + random.nextInt(3));
        }
        targets = null;
        long loaded = usedAfterGc() - before;

        PeakHeap peak = new PeakHeap();
        peak.start();
        long t0 = System.nanoTime();
        GraphMetricsService.Run result = GraphMetricsService.compute(g, 128, Instant.now());
        double seconds = (System.nanoTime() - t0) / 1e9;
        peak.finish();
        System.out.printf("%,d relationships, %,d accounts: all metrics in %.2f s (%,d communities, modularity %.3f); "
                + "loaded graph %.0f B per relationship, peak heap while computing %.0f B per relationship; "
                + "phases in ms %s%n",
                edges, result.accounts(), seconds, result.communities(), result.modularity(),
                loaded / (double) edges, (peak.max - before) / (double) edges, result.phaseMillis());
        result = null;
        g = null;
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return heapUsed();
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }

    /** The most heap in use, sampled every 10 ms. */
    private static final class PeakHeap extends Thread {

        volatile boolean running = true;
        volatile long max;

        PeakHeap() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                max = Math.max(max, heapUsed());
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void finish() throws InterruptedException {
            running = false;
            join();
        }
    }
}
