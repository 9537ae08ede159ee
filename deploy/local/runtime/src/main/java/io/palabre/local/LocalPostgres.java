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
        return new LocalPostgres(postgres);
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
