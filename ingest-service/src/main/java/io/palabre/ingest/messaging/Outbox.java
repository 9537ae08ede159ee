package io.palabre.ingest.messaging;

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

import io.agroal.api.AgroalDataSource;
import io.palabre.support.Relay;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Relays the outbox table to its topics, oldest first: changes of listening queries to {@code queries}, audit events
 * to {@code audit}. Each record is written with the change it tells of in one transaction ({@link OutboxRecord}),
 * published here, and removed once the broker has acknowledged it. One relay at a time publishes (a PostgreSQL
 * advisory lock), so changes of a query reach the topic in the order they were saved, however many instances run;
 * after a crash the unremoved rows are published again, which a compacted topic of latest states and the audit log's
 * event ids absorb.
 */
@ApplicationScoped
public class Outbox {

    public static final String QUERIES = "queries";
    public static final String AUDIT = "audit";
    private static final long RELAY_LOCK = 0x70616c6162726533L;
    private static final int BATCH = 100;
    private static final Duration IDLE = Duration.ofSeconds(1);

    private final AgroalDataSource dataSource;
    private final Emitter<Record<String, String>> queries;
    private final Emitter<Record<String, String>> audit;
    private final Relay relay;

    public Outbox(AgroalDataSource dataSource, @Channel(QUERIES) Emitter<Record<String, String>> queries,
            @Channel(AUDIT) Emitter<Record<String, String>> audit) {
        this.dataSource = dataSource;
        this.queries = queries;
        this.audit = audit;
        this.relay = new Relay("Outbox records", BATCH, IDLE, this::relayOnce);
    }

    void start(@Observes StartupEvent event) {
        relay.start("palabre-outbox");
    }

    @PreDestroy
    void stop() {
        relay.stop();
    }

    /** Publishes soon rather than at the next idle wake-up: called after a change commits. */
    public void nudge() {
        relay.nudge();
    }

    /** How many records wait to be published. */
    public long pending() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from outbox")) {
            rs.next();
            return rs.getLong(1);
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
                        "select seq, topic, record_key, payload from outbox order by seq limit " + BATCH);
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(rs.getLong(1));
                        Emitter<Record<String, String>> topic = AUDIT.equals(rs.getString(2)) ? audit : queries;
                        acks.add(topic.send(Record.of(rs.getString(3), rs.getString(4))).toCompletableFuture());
                    }
                }
                if (seqs.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                try (PreparedStatement ps = c.prepareStatement("delete from outbox where seq = any(?)")) {
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
