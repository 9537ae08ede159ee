package io.palabre.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Runs Palabre's infrastructure on one machine without Docker: a real Kafka broker and, unless an external
 * server is used, an embedded PostgreSQL, each data directory kept between runs.
 *
 * <p>It prints one line per part when it is ready ({@code KAFKA_READY <bootstrap>},
 * {@code POSTGRES_READY <server-jdbc-url> <user>}) and then {@code RUNTIME_READY}. With
 * {@code --exit-on-stdin-eof} it stops when its parent process goes away, so no server outlives a killed test JVM.
 */
public final class LocalRuntime {

    private LocalRuntime() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        List<AutoCloseable> parts = new ArrayList<>();
        Path dataDir = options.dataDir != null ? options.dataDir : Files.createTempDirectory("palabre-runtime-");
        boolean temporary = options.dataDir == null;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopAll(parts);
            if (temporary) {
                deleteTree(dataDir);
            }
            stopped.countDown();
        }, "palabre-runtime-shutdown"));
        if (options.exitOnStdinEof) {
            Thread watcher = new Thread(() -> waitForEof(System.in), "palabre-runtime-parent-watch");
            watcher.setDaemon(true);
            watcher.start();
        }

        try {
            if (options.postgres) {
                long t0 = System.nanoTime();
                LocalPostgres postgres = LocalPostgres.start(options.postgresPort, dataDir.resolve("postgres"));
                parts.add(0, postgres);
                postgres.createDatabases(options.databases);
                System.err.printf("PostgreSQL ready on port %d in %d ms%n", postgres.port(), millisSince(t0));
                System.out.println("POSTGRES_READY " + postgres.serverUrl() + " " + LocalPostgres.USER);
            }
            if (options.kafka) {
                long t0 = System.nanoTime();
                List<LocalKafkaBroker> brokers = startKafka(options, dataDir);
                brokers.forEach(b -> parts.add(0, b));
                String bootstrap = String.join(",", brokers.stream().map(LocalKafkaBroker::bootstrapServers).toList());
                System.err.printf("Kafka ready on %s in %d ms%n", bootstrap, millisSince(t0));
                System.out.println("KAFKA_READY " + bootstrap);
            }
        } catch (Exception e) {
            System.err.println("RUNTIME_FAILED " + e);
            e.printStackTrace();
            System.exit(2);
        }
        System.out.println("RUNTIME_READY");
        System.out.flush();
        stopped.await();
    }

    /**
     * One broker; or {@code --brokers N} in this process, a cluster whose topics are replicated N times (at most 3);
     * or, given {@code --kafka-voters}, the one node {@code --kafka-node-id} of a cluster whose other nodes run in
     * processes of their own (so that a test can kill one).
     */
    private static List<LocalKafkaBroker> startKafka(Options options, Path dataDir) throws Exception {
        if (options.voters != null) {
            List<LocalKafkaBroker.Voter> voters = LocalKafkaBroker.parseVoters(options.voters);
            LocalKafkaBroker.Cluster cluster = new LocalKafkaBroker.Cluster(options.clusterId, voters,
                    Math.min(3, voters.size()));
            return List.of(LocalKafkaBroker.start(options.nodeId, options.kafkaPort, cluster,
                    dataDir.resolve("kafka-" + options.nodeId), options.partitions));
        }
        if (options.brokers <= 1) {
            return List.of(LocalKafkaBroker.start(options.kafkaPort, options.controllerPort,
                    dataDir.resolve("kafka"), options.partitions));
        }
        List<LocalKafkaBroker.Voter> voters = new ArrayList<>();
        for (int id = 1; id <= options.brokers; id++) {
            voters.add(new LocalKafkaBroker.Voter(id, FreePorts.find()));
        }
        LocalKafkaBroker.Cluster cluster = new LocalKafkaBroker.Cluster(options.clusterId, voters,
                Math.min(3, options.brokers));
        // Every node waits for a quorum of the others: they start together.
        ExecutorService starting = Executors.newFixedThreadPool(options.brokers);
        try {
            List<Future<LocalKafkaBroker>> nodes = new ArrayList<>();
            for (LocalKafkaBroker.Voter v : voters) {
                int port = options.kafkaPort == 0 ? 0 : options.kafkaPort + v.id() - 1;
                nodes.add(starting.submit(() -> LocalKafkaBroker.start(v.id(), port, cluster,
                        dataDir.resolve("kafka-" + v.id()), options.partitions)));
            }
            List<LocalKafkaBroker> started = new ArrayList<>();
            for (Future<LocalKafkaBroker> node : nodes) {
                started.add(node.get());
            }
            return started;
        } finally {
            starting.shutdown();
        }
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void waitForEof(InputStream in) {
        try {
            byte[] buffer = new byte[256];
            while (in.read(buffer) >= 0) {
                // The parent never writes: reading only detects that it has gone.
            }
        } catch (IOException ignored) {
            // A broken pipe means the same as end of stream.
        }
        System.err.println("Parent process gone: stopping the local runtime");
        System.exit(0);
    }

    private static void stopAll(List<AutoCloseable> parts) {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("Error while stopping " + part + ": " + e);
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Command-line options; every port may be 0 for a free one. */
    static final class Options {
        int kafkaPort = 9092;
        int controllerPort = 0;
        int postgresPort = 55432;
        int partitions = 4;
        Path dataDir;
        boolean kafka = true;
        boolean postgres = true;
        boolean exitOnStdinEof;
        List<String> databases = List.of();
        int brokers = 1;
        int nodeId = 1;
        String voters;
        /** The same on every node of a cluster; used only to format a new node's storage. */
        String clusterId = new org.apache.kafka.common.Uuid(0x70616c6162726531L, 0x6c6f63616c000001L).toString();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--kafka-port" -> o.kafkaPort = Integer.parseInt(value(args, ++i, arg));
                    case "--controller-port" -> o.controllerPort = Integer.parseInt(value(args, ++i, arg));
                    case "--postgres-port" -> o.postgresPort = Integer.parseInt(value(args, ++i, arg));
                    case "--partitions" -> o.partitions = Integer.parseInt(value(args, ++i, arg));
                    case "--data-dir" -> o.dataDir = Path.of(value(args, ++i, arg)).toAbsolutePath();
                    case "--databases" -> o.databases = Arrays.stream(value(args, ++i, arg).split(","))
                            .map(String::trim).filter(s -> !s.isEmpty()).toList();
                    case "--brokers" -> o.brokers = Integer.parseInt(value(args, ++i, arg));
                    case "--kafka-node-id" -> o.nodeId = Integer.parseInt(value(args, ++i, arg));
                    case "--kafka-voters" -> o.voters = value(args, ++i, arg);
                    case "--kafka-cluster-id" -> o.clusterId = value(args, ++i, arg);
                    case "--no-kafka" -> o.kafka = false;
                    case "--no-postgres" -> o.postgres = false;
                    case "--exit-on-stdin-eof" -> o.exitOnStdinEof = true;
                    default -> throw new IllegalArgumentException("Unknown option " + arg + "; options: --kafka-port N "
                            + "--controller-port N --postgres-port N --partitions N --data-dir DIR --databases a,b "
                            + "--brokers N --kafka-node-id N --kafka-voters 1@host:port,... --kafka-cluster-id ID "
                            + "--no-kafka --no-postgres --exit-on-stdin-eof");
                }
            }
            return o;
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            return args[i];
        }
    }
}
