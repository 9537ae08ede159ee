package io.palabre.launcher;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local runtime (a real Kafka broker and, unless an external server is given, an embedded PostgreSQL) forked
 * into a JVM of its own. The child exits when this JVM dies, even by kill -9, because it watches its standard input.
 */
public final class LocalRuntimeProcess implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "META-INF/palabre-local-runtime.classpath";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static LocalRuntimeProcess shared;

    private final Process process;
    private final String bootstrapServers;
    private final String postgresServerUrl;
    private final String postgresUser;
    private final String postgresPassword;
    private final boolean runsPostgres;

    private LocalRuntimeProcess(Process process, String bootstrapServers, String postgresServerUrl,
            String postgresUser, String postgresPassword, boolean runsPostgres) {
        this.runsPostgres = runsPostgres;
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.postgresServerUrl = postgresServerUrl;
        this.postgresUser = postgresUser;
        this.postgresPassword = postgresPassword;
    }

    /** Where and how to run the runtime; without {@code kafka}, it runs PostgreSQL alone. */
    public record Settings(Path logFile, Path dataDir, int kafkaPort, int postgresPort, ExternalPostgres external,
            List<String> databases, boolean kafka, List<String> kafkaOptions) {

        public Settings(Path logFile, Path dataDir, int kafkaPort, int postgresPort, ExternalPostgres external,
                List<String> databases, boolean kafka) {
            this(logFile, dataDir, kafkaPort, postgresPort, external, databases, kafka, List.of());
        }

        public Settings(Path logFile, Path dataDir, int kafkaPort, int postgresPort, ExternalPostgres external,
                List<String> databases) {
            this(logFile, dataDir, kafkaPort, postgresPort, external, databases, true);
        }

        /**
         * A node of a Kafka cluster alone, without PostgreSQL: {@code --kafka-node-id}, {@code --kafka-voters} and
         * the like, as the runtime takes them.
         */
        public static Settings kafkaNode(Path logFile, Path dataDir, List<String> kafkaOptions) {
            return new Settings(logFile, dataDir, 0, 0, null, List.of(), true,
                    concat(List.of("--no-postgres"), kafkaOptions));
        }

        private static List<String> concat(List<String> a, List<String> b) {
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }

        /** Free ports, a temporary data directory, the embedded PostgreSQL: for tests. */
        public static Settings forTests(Path logDir) {
            return new Settings(logDir.resolve("local-runtime-" + ProcessHandle.current().pid() + ".log"), null, 0, 0,
                    null, List.of());
        }
    }

    /** A PostgreSQL server that the runtime does not start. */
    public record ExternalPostgres(String serverUrl, String user, String password) {
    }

    /** One runtime per test JVM, started on first use and stopped when the JVM exits. */
    public static synchronized LocalRuntimeProcess shared() {
        if (shared == null) {
            shared = start(Settings.forTests(Path.of("target")));
            LocalRuntimeProcess started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "palabre-runtime-stop"));
        }
        return shared;
    }

    /**
     * Kafka and PostgreSQL that run elsewhere (containers, say): no process is forked; the databases are made on the
     * server if missing.
     */
    public static LocalRuntimeProcess external(String bootstrapServers, ExternalPostgres postgres,
            List<String> databases) {
        LocalRuntimeProcess runtime = new LocalRuntimeProcess(null, bootstrapServers, postgres.serverUrl(),
                postgres.user(), postgres.password(), false);
        for (String name : databases) {
            runtime.createDatabaseIfMissing(name);
        }
        return runtime;
    }

    /** Forks a runtime and waits until it is ready. */
    public static LocalRuntimeProcess start(Settings settings) {
        try {
            Files.createDirectories(settings.logFile().toAbsolutePath().getParent());
            File log = settings.logFile().toFile();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms32m", "-Xmx" + heapMegabytes(settings) + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", runtimeClasspath(),
                    "io.palabre.local.LocalRuntime",
                    "--kafka-port", Integer.toString(settings.kafkaPort()),
                    "--postgres-port", Integer.toString(settings.postgresPort()),
                    "--partitions", "3", "--exit-on-stdin-eof"));
            if (settings.dataDir() != null) {
                command.addAll(List.of("--data-dir", settings.dataDir().toString()));
            }
            command.addAll(settings.kafkaOptions());
            if (!settings.kafka()) {
                command.add("--no-kafka");
            }
            if (settings.external() != null) {
                command.add("--no-postgres");
            } else if (!settings.databases().isEmpty()) {
                command.addAll(List.of("--databases", String.join(",", settings.databases())));
            }
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log)).start();
            ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "palabre-runtime-stdout");
                t.setDaemon(true);
                return t;
            });
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Future<String[]> ready = reader.submit(() -> readUntilReady(out));
            String[] endpoints;
            try {
                endpoints = ready.get(180, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
                throw new IllegalStateException("The local runtime did not start" + failure(log) + "; see " + log, e);
            }
            reader.submit(() -> drain(out));
            reader.shutdown();
            LocalRuntimeProcess runtime;
            if (settings.external() != null) {
                ExternalPostgres pg = settings.external();
                runtime = new LocalRuntimeProcess(process, endpoints[0], pg.serverUrl(), pg.user(), pg.password(),
                        false);
                for (String name : settings.databases()) {
                    runtime.createDatabaseIfMissing(name);
                }
            } else {
                runtime = new LocalRuntimeProcess(process, endpoints[0], endpoints[1], endpoints[2], "", true);
            }
            return runtime;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the runtime said when it failed ({@code RUNTIME_FAILED ...} in its log), or nothing. */
    private static String failure(File log) {
        try (java.util.stream.Stream<String> lines = Files.lines(log.toPath())) {
            return lines.filter(l -> l.startsWith("RUNTIME_FAILED ")).reduce((a, b) -> b)
                    .map(l -> ": " + l.substring("RUNTIME_FAILED ".length())).orElse("");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    /** 512 MB for PostgreSQL's supervision and each broker the runtime runs in its process. */
    private static int heapMegabytes(Settings settings) {
        int brokers = 1;
        List<String> options = settings.kafkaOptions();
        for (int i = 0; i + 1 < options.size(); i++) {
            if (options.get(i).equals("--brokers")) {
                brokers = Math.max(1, Integer.parseInt(options.get(i + 1)));
            }
        }
        return 512 * brokers;
    }

    private static String[] readUntilReady(BufferedReader out) throws IOException {
        String kafka = null;
        String pgUrl = null;
        String pgUser = null;
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("KAFKA_READY ")) {
                kafka = line.substring("KAFKA_READY ".length()).trim();
            } else if (line.startsWith("POSTGRES_READY ")) {
                String[] parts = line.split(" ");
                pgUrl = parts[1];
                pgUser = parts[2];
            } else if (line.equals("RUNTIME_READY")) {
                return new String[] { kafka, pgUrl, pgUser };
            }
        }
        throw new IOException("The local runtime exited before it was ready");
    }

    private static Void drain(BufferedReader out) throws IOException {
        while (out.readLine() != null) {
            // Keeps the pipe from filling up.
        }
        return null;
    }

    /** The runtime's launcher jar (or classes directory) followed by the broker's recorded classpath. */
    static String runtimeClasspath() throws IOException {
        URL resource = Thread.currentThread().getContextClassLoader().getResource(CLASSPATH_RESOURCE);
        if (resource == null) {
            resource = LocalRuntimeProcess.class.getClassLoader().getResource(CLASSPATH_RESOURCE);
        }
        if (resource == null) {
            throw new IllegalStateException(CLASSPATH_RESOURCE + " is not on the classpath: build deploy/local/runtime");
        }
        String self;
        try {
            URLConnection connection = resource.openConnection();
            if (connection instanceof JarURLConnection jar) {
                self = Path.of(jar.getJarFileURL().toURI()).toString();
            } else {
                self = Path.of(resource.toURI()).getParent().getParent().toString();
            }
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        String dependencies;
        try (InputStream in = resource.openStream()) {
            dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        return self + File.pathSeparator + dependencies;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String postgresUser() {
        return postgresUser;
    }

    public String postgresPassword() {
        return postgresPassword;
    }

    /** The JDBC URL of one database of the server. */
    public String jdbcUrl(String database) {
        return postgresServerUrl + database;
    }

    /** Creates the database unless it exists. */
    public void createDatabaseIfMissing(String name) {
        try (Connection c = DriverManager.getConnection(postgresServerUrl + "postgres", postgresUser, postgresPassword);
                PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach PostgreSQL at " + postgresServerUrl, e);
        }
        execute("create database " + name);
    }

    /** Creates an empty database with a unique name and returns its JDBC URL. */
    public String createDatabase(String prefix) {
        String name = (prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet())
                .toLowerCase().replaceAll("[^a-z0-9_]", "_");
        execute("create database " + name);
        return postgresServerUrl + name;
    }

    /** Drops a database created by {@link #createDatabase(String)}, closing its connections. */
    public void dropDatabase(String jdbcUrl) {
        String name = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        execute("drop database if exists " + name + " with (force)");
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(postgresServerUrl + "postgres", postgresUser,
                postgresPassword);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed: " + sql, e);
        }
    }

    /** Whether the runtime's process still runs. */
    public boolean isAlive() {
        return process == null || process.isAlive();
    }

    /**
     * Kills the runtime as a crash would (SIGKILL), PostgreSQL's server first when it runs one: its postmaster is a
     * process of its own, which would otherwise outlive the runtime.
     */
    public void kill(Path dataDir) throws IOException, InterruptedException {
        if (process == null) {
            throw new UnsupportedOperationException("Kafka and PostgreSQL run elsewhere: nothing here to kill");
        }
        Path pid = dataDir.resolve("postgres").resolve("postmaster.pid");
        if (runsPostgres && Files.isRegularFile(pid)) {
            long postmaster = Long.parseLong(Files.readAllLines(pid).get(0).trim());
            ProcessHandle.of(postmaster).ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().join();
            });
        }
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        if (process != null) {
            ChildProcesses.stop(process, Duration.ofSeconds(30));
        }
    }

}
