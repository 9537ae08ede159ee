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
                LocalKafkaBroker broker = LocalKafkaBroker.start(options.kafkaPort, options.controllerPort,
                        dataDir.resolve("kafka"), options.partitions);
                parts.add(0, broker);
                System.err.printf("Kafka broker ready on %s in %d ms%n", broker.bootstrapServers(), millisSince(t0));
                System.out.println("KAFKA_READY " + broker.bootstrapServers());
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
                    case "--no-kafka" -> o.kafka = false;
                    case "--no-postgres" -> o.postgres = false;
                    case "--exit-on-stdin-eof" -> o.exitOnStdinEof = true;
                    default -> throw new IllegalArgumentException("Unknown option " + arg + "; options: --kafka-port N "
                            + "--controller-port N --postgres-port N --partitions N --data-dir DIR --databases a,b "
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
