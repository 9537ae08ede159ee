package io.palabre.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An embedded PostgreSQL server whose data directory is kept between runs, with one database per service.
 */
public final class LocalPostgres implements AutoCloseable {

    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts the server on the given port (0 for a free one), initialising the data directory if it is new.
     */
    public static LocalPostgres start(int port, Path dataDir) throws IOException {
        Files.createDirectories(dataDir.getParent());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port == 0 ? FreePorts.find() : port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .start();
        LocalPostgres started = new LocalPostgres(postgres);
        started.checkServes(dataDir);
        return started;
    }

    /**
     * The server on the port must be the one started on this data directory. When another server holds the port (one
     * left running by an earlier run from elsewhere), the new one cannot listen, yet the start succeeds because
     * somebody answers on the port: the services would then work on somebody else's data.
     */
    private void checkServes(Path dataDir) throws IOException {
        String problem;
        try (Connection c = DriverManager.getConnection(serverUrl() + "postgres", USER, "");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show data_directory")) {
            rs.next();
            Path served = Path.of(rs.getString(1));
            if (Files.exists(served) && Files.isSameFile(served, dataDir)) {
                return;
            }
            problem = "Port " + port() + " is held by another PostgreSQL, serving " + served + ", not " + dataDir
                    + ": stop that server or choose another port (PALABRE_POSTGRES_PORT)";
        } catch (SQLException e) {
            problem = "PostgreSQL on port " + port() + " does not answer as the one started on " + dataDir + ": "
                    + e.getMessage();
        }
        try {
            close();
        } catch (IOException | RuntimeException ignored) {
            // Ours may never have run: there is nothing of it to stop.
        }
        throw new IllegalStateException(problem);
    }

    public int port() {
        return postgres.getPort();
    }

    /** The JDBC URL of the server, without a database name. */
    public String serverUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/";
    }

    /** Creates each database that does not exist yet. */
    public void createDatabases(List<String> names) throws SQLException {
        createDatabases(serverUrl(), USER, "", names);
    }

    static void createDatabases(String serverUrl, String user, String password, List<String> names)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(serverUrl + "postgres", user, password)) {
            for (String name : names) {
                if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
                    throw new IllegalArgumentException("Not a plain database name: " + name);
                }
                boolean exists;
                try (PreparedStatement ps = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                    ps.setString(1, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        exists = rs.next();
                    }
                }
                if (!exists) {
                    try (Statement s = c.createStatement()) {
                        s.execute("create database " + name);
                    }
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
