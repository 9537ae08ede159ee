package io.palabre.ingest.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Relays the changes of listening queries from the outbox table to topic {@code queries}, oldest first: each change
 * is written with the query in one transaction ({@link QueryChange}), published here, and removed once the broker
 * has acknowledged it. One relay at a time publishes (a PostgreSQL advisory lock), so changes of a query reach the
 * topic in the order they were saved, however many instances run; after a crash the unremoved rows are published
 * again, which a compacted topic of latest states absorbs.
 */
@ApplicationScoped
public class QueryOutbox {

    private static final Logger LOG = Logger.getLogger(QueryOutbox.class);
    private static final long RELAY_LOCK = 0x70616c6162726533L;
    private static final int BATCH = 100;
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final AgroalDataSource dataSource;
    private final Emitter<Record<String, String>> queries;
    private final Object wake = new Object();
    private volatile boolean stopped;
    private Thread relay;

    public QueryOutbox(AgroalDataSource dataSource,
            @Channel("queries") Emitter<Record<String, String>> queries) {
        this.dataSource = dataSource;
        this.queries = queries;
    }

    void start(@Observes StartupEvent event) {
        relay = new Thread(this::run, "palabre-query-outbox");
        relay.setDaemon(true);
        relay.start();
    }

    @PreDestroy
    void stop() {
        stopped = true;
        if (relay != null) {
            relay.interrupt();
        }
    }

    /** Publishes soon rather than at the next idle wake-up: called after a change commits. */
    public void nudge() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** How many changes wait to be published. */
    public long pending() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from query_outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void run() {
        long backoff = 200;
        while (!stopped) {
            try {
                int published = relayOnce();
                backoff = 200;
                if (published < BATCH) {
                    synchronized (wake) {
                        wake.wait(IDLE.toMillis());
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warnf("Listening query changes not published yet (%s); retrying in %d ms", e.getMessage(),
                        backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException stop) {
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    /** Publishes the oldest waiting changes and removes them; returns how many. */
    int relayOnce() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("select pg_try_advisory_xact_lock(" + RELAY_LOCK + ")")) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        c.rollback();
                        return 0;
                    }
                }
                List<Long> seqs = new ArrayList<>();
                List<CompletableFuture<Void>> acks = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "select seq, query_id, payload from query_outbox order by seq limit " + BATCH);
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(rs.getLong(1));
                        acks.add(queries.send(Record.of(rs.getString(2), rs.getString(3))).toCompletableFuture());
                    }
                }
                if (seqs.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                try (PreparedStatement ps = c.prepareStatement("delete from query_outbox where seq = any(?)")) {
                    ps.setArray(1, c.createArrayOf("bigint", seqs.toArray()));
                    ps.executeUpdate();
                }
                c.commit();
                return seqs.size();
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }
}
