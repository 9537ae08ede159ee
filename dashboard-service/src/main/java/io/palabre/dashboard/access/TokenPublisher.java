package io.palabre.dashboard.access;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import io.agroal.api.AgroalDataSource;
import io.palabre.support.Relay;
import io.palabre.support.security.AccessToken;
import io.palabre.support.security.AccessTokenStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Publishes every token state the broker has not acknowledged yet on the compacted topic {@code access-tokens},
 * where every service reads it: a token made, capped or revoked here holds everywhere once this has run. The state is
 * the outbox (a token's {@code version} against its {@code published_version}), so a change is never lost: what a
 * crash left unpublished is published at the next run. One instance at a time publishes (an advisory lock).
 */
@ApplicationScoped
public class TokenPublisher {

        private static final long LOCK = 0x70616c6162726574L;
    private static final int BATCH = 200;
    private static final Duration IDLE = Duration.ofSeconds(5);

    private final AgroalDataSource db;
    private final AccessStore store;
    private final AccessTokenStore tokens;
    private final Emitter<Record<String, String>> topic;
    private final Relay relay;

    public TokenPublisher(AgroalDataSource db, AccessStore store, AccessTokenStore tokens,
            @Channel("access-tokens") Emitter<Record<String, String>> topic) {
        this.db = db;
        this.store = store;
        this.tokens = tokens;
        this.topic = topic;
        this.relay = new Relay("Token states", BATCH, IDLE, this::relayOnce);
    }

    /** Starts relaying; every state is published again first, in case the broker lost the topic. */
    void start() {
        QuarkusTransaction.requiringNew().run(() -> {
            try {
                store.republishAll();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        relay.start("palabre-token-publisher");
    }

    @PreDestroy
    void stop() {
        relay.stop();
    }

    /** Publishes soon: called after a change commits. */
    public void nudge() {
        relay.nudge();
    }

    /** Waits until the token's state {@code version} (or a later one) is on the topic; false if it is not in time. */
    public boolean awaitPublished(String id, Duration timeout) {
        nudge();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (QuarkusTransaction.requiringNew().call(() -> store.findToken(id)
                        .map(t -> t.publishedVersion() >= t.version()).orElse(true))) {
                    return true;
                }
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                return false;
            }
        }
        return false;
    }

    int relayOnce() throws Exception {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = db.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select pg_try_advisory_xact_lock(" + LOCK + ")")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0;
                }
            }
            List<AccessToken> states = store.unpublished(BATCH);
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            for (AccessToken state : states) {
                acks.add(topic.send(Record.of(state.id(), state.toJson())).toCompletableFuture());
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (AccessToken state : states) {
                store.markPublished(state.id(), state.version());
                tokens.apply(state);
            }
            return states.size();
        });
    }
}
