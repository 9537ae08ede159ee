package io.palabre.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * The dashboard benchmark's load generator against a real HTTP server on loopback (the JDK's): one that answers at
 * once, and one that never answers in time, as an overloaded server. Plain JUnit.
 */
class HttpLoadTest {

    private static final JsonNode IDS = ids();

    @Test
    void anOverloadedServerGivesFiguresWithBoundedRequestsInFlight() throws Exception {
        long started = System.nanoTime();
        // At most 20 wait at a time, each for 1 s: about 40 sent in 2 s, the rest not sent.
        HttpLoad.Result all = openLoop(5_000, 20, Duration.ofSeconds(1), 1000, 2);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(2000, all.answered() + all.unanswered(), "every request due is counted");
        assertEquals(0, all.answered());
        assertTrue(all.timedOut() >= 20 && all.timedOut() <= 80, "timed out: " + all.timedOut());
        assertEquals(2000 - all.timedOut(), all.notSentCount());
        assertTrue(Double.isInfinite(all.percentileMillis(0.99)));
        assertTrue(all.line("all", 100).contains("> 1 s"), all.line("all", 100));
        assertTrue(seconds < 10, "ends within the timeout of its last requests: " + seconds + " s");
    }

    @Test
    void aServerThatKeepsUpHasEveryRequestAnswered() throws Exception {
        HttpLoad.Result all = openLoop(0, 200, Duration.ofSeconds(5), 200, 2);
        assertEquals(400, all.answered());
        assertEquals(0, all.errors());
        double p50 = all.percentileMillis(0.5);
        assertTrue(p50 >= 0 && p50 < 1000, "p50 " + p50);
    }

    /** The open loop's results, all classes together, against a server that answers after {@code delayMillis}. */
    private static HttpLoad.Result openLoop(long delayMillis, int maxInFlight, Duration timeout, int rate,
            int seconds) throws Exception {
        HttpServer server = server(delayMillis);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            HttpLoad load = new HttpLoad(url(server), IDS, executor, maxInFlight, timeout);
            HttpLoad.Result all = new HttpLoad.Result(timeout);
            load.openLoop(rate, seconds).values().forEach(all::addAll);
            return all;
        } finally {
            executor.shutdownNow();
            server.stop(0);
        }
    }

    /** A server on loopback that answers 200 after {@code delayMillis}. */
    private static HttpServer server(long delayMillis) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try {
                Thread.sleep(delayMillis);
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException e) {
                // the client gave up first
            } finally {
                exchange.close();
            }
        });
        server.start();
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static JsonNode ids() {
        try {
            return new ObjectMapper().readTree("{\"mentions\":[\"x:1\"],\"conversations\":[\"x:1\"],"
                    + "\"accounts\":[\"x:a\"]}");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
