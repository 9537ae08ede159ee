package io.palabre.dashboard.service;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Aggregates (volume over time, tops, conversation rankings) computed at most once per {@code ttl} for the same
 * parameters, however many analysts ask: the dashboards of a team ask the same questions at the same moments.
 * Concurrent requests for the same key wait for one computation. Lookups by id are never cached here.
 */
@ApplicationScoped
public class RecentResults {

    /** Beyond this many keys the cache starts again empty, so odd parameters cannot grow it without bound. */
    static final int MAX_KEYS = 2000;

    private record Entry(CompletableFuture<Object> value, long expiresAt) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final ReusedAnswer answer;

    public RecentResults(@ConfigProperty(name = "palabre.dashboard.aggregate-cache-seconds",
            defaultValue = "10") int ttlSeconds, ReusedAnswer answer) {
        this.ttlNanos = ttlSeconds * 1_000_000_000L;
        this.answer = answer;
    }

    /** The seconds an aggregate may be reused, for Cache-Control. */
    public long maxAgeSeconds() {
        return ttlNanos / 1_000_000_000L;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(String key, Callable<T> compute) throws Exception {
        if (ttlNanos <= 0) {
            return compute.call();
        }
        answer.mark();
        long now = System.nanoTime();
        Entry mine = new Entry(new CompletableFuture<>(), now + ttlNanos);
        Entry current = entries.compute(key, (k, e) -> e == null || e.expiresAt - now < 0 ? mine : e);
        if (current == mine) {
            if (entries.size() > MAX_KEYS) {
                entries.clear();
            }
            try {
                T value = compute.call();
                mine.value.complete(value);
                return value;
            } catch (Exception | Error e) {
                entries.remove(key, mine);
                mine.value.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return (T) current.value.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** A cache key from a request's name and parameters (null and blank are the same). */
    public static String key(String name, String... params) {
        StringBuilder key = new StringBuilder(name);
        for (String p : params) {
            key.append('\u0000').append(p == null ? "" : p.strip());
        }
        return key.toString();
    }
}
