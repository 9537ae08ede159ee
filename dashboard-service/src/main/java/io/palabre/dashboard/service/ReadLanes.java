package io.palabre.dashboard.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The read side's lanes to the database. Every request class has its own statement time limit, and the heavy ones
 * (searches, aggregates, graphs, dialogue over a window, exports) share a bounded number of places: when they are
 * taken, another heavy request is answered 503 with Retry-After at once instead of queueing, so lookups by id always
 * find a connection. A statement that runs out of time is cancelled by PostgreSQL and answered 503 too.
 *
 * <p>JDBC reads take their connection from {@link #open}: a transaction, rolled back when closed, whose
 * {@code statement_timeout} is the current lane's; JPA reads get the same limit from {@link ReadLane} on their
 * transactional method.
 */
@ApplicationScoped
public class ReadLanes {

    /** A class of requests, by cost. */
    public enum Lane {
        /** One row or tree by id. */
        LOOKUP,
        /** Searches, aggregates, graphs, dialogue windows: bounded in number. */
        HEAVY,
        /** A streamed export: a heavy place, held while it streams, with a longer limit. */
        EXPORT
    }

    /** Settings of the lanes. */
    @ConfigMapping(prefix = "palabre.dashboard.lanes")
    public interface Settings {

        /** Time limit of a statement of a lookup. */
        @WithDefault("5s")
        Duration lookupTimeout();

        /** Time limit of a statement of a heavy request. */
        @WithDefault("20s")
        Duration heavyTimeout();

        /** Time limit of a statement of an export. */
        @WithDefault("10m")
        Duration exportTimeout();

        /** Heavy requests (exports included) running at once, at most; keep it well under the pool's size. */
        @WithDefault("4")
        int heavyPlaces();

        /** How long a heavy request waits for a place before it is answered 503. */
        @WithDefault("1s")
        Duration heavyWait();
    }

    /** A connection for reads, in a transaction under the lane's time limit, rolled back and returned on close. */
    public static final class Read implements AutoCloseable {

        private final Connection connection;

        Read(Connection connection) {
            this.connection = connection;
        }

        public Connection c() {
            return connection;
        }

        @Override
        public void close() throws SQLException {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } finally {
                connection.close();
            }
        }
    }

    /** Every heavy place is taken: try again shortly. */
    public static final class BusyException extends RuntimeException {

        BusyException(String message) {
            super(message, null, false, false);
        }
    }

    private static final ThreadLocal<Lane> CURRENT = new ThreadLocal<>();

    private final AgroalDataSource dataSource;
    private final Settings settings;
    private final Semaphore heavy;

    public ReadLanes(AgroalDataSource dataSource, Settings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.heavy = new Semaphore(settings.heavyPlaces(), true);
    }

    /** Runs the request's work in a lane: a heavy place is held meanwhile (or refused, busy). */
    public <T> T within(Lane lane, Callable<T> work) throws Exception {
        Lane outer = CURRENT.get();
        if (outer != null) {
            return work.call(); // nested: the outer lane already holds what it needs
        }
        boolean placed = lane != Lane.LOOKUP;
        if (placed && !heavy.tryAcquire(settings.heavyWait().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new BusyException("Every place for heavy questions (searches, aggregates, graphs, exports) is "
                    + "taken; try again shortly");
        }
        CURRENT.set(lane);
        try {
            return work.call();
        } finally {
            CURRENT.remove();
            if (placed) {
                heavy.release();
            }
        }
    }

    /** The statement time limit of the current lane (a lookup's outside any). */
    public Duration timeout() {
        Lane lane = CURRENT.get();
        return lane == null ? settings.lookupTimeout() : switch (lane) {
            case LOOKUP -> settings.lookupTimeout();
            case HEAVY -> settings.heavyTimeout();
            case EXPORT -> settings.exportTimeout();
        };
    }

    /** The SQL that gives the current transaction the current lane's time limit. */
    public String limitStatement() {
        return "set local statement_timeout = " + timeout().toMillis();
    }

    /** A connection for JDBC reads, under the current lane's time limit; close it (try-with-resources). */
    public Read open() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute(limitStatement());
            }
            return new Read(c);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }
}
