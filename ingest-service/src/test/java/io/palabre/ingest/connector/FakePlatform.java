package io.palabre.ingest.connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A platform API on loopback that answers with recorded payloads, programmed per path prefix: status, headers
 * and body, in order; it records every request it receives.
 */
public final class FakePlatform implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();

    /** One programmed answer; a streaming one keeps the connection open and silent for {@code holdMillis}. */
    public record Reply(int status, Map<String, String> headers, String body, long holdMillis) {

        public Reply(int status, Map<String, String> headers, String body) {
            this(status, headers, body, 0);
        }
    }

    public FakePlatform() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String uri = exchange.getRequestURI().toString();
            bodies.add(exchange.getRequestMethod() + " " + new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            requests.add(uri);
            headers.add(Map.copyOf(exchange.getRequestHeaders().entrySet().stream().collect(
                    java.util.stream.Collectors.toMap(e -> e.getKey().toLowerCase(java.util.Locale.ROOT),
                            e -> e.getValue().get(0), (a, b) -> a))));
            Reply reply = next(exchange.getRequestURI().getPath());
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            if (reply.holdMillis() > 0) {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(reply.status(), 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                    out.flush();
                    Thread.sleep(reply.holdMillis());
                } catch (InterruptedException | IOException e) {
                    // The client went away, or the server stops.
                }
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    private synchronized Reply next(String path) {
        Deque<Reply> best = null;
        int bestLength = -1;
        for (Map.Entry<String, Deque<Reply>> e : replies.entrySet()) {
            if (path.startsWith(e.getKey()) && !e.getValue().isEmpty() && e.getKey().length() > bestLength) {
                best = e.getValue();
                bestLength = e.getKey().length();
            }
        }
        if (best == null) {
            return new Reply(404, Map.of(), "{\"error\":\"not programmed\"}");
        }
        return best.size() > 1 ? best.poll() : best.peek();
    }

    /** Method and body of each request, in {@link #requests()} order, such as {@code POST {"add":[...]}}. */
    public List<String> bodies() {
        return bodies;
    }

    /** Answers requests under {@code pathPrefix} with these replies in turn, the last one for ever after. */
    public synchronized void program(String pathPrefix, Reply... answers) {
        replies.put(pathPrefix, new ArrayDeque<>(List.of(answers)));
    }

    public List<String> requests() {
        return requests;
    }

    /** A header of the request at {@code index} (in {@link #requests()} order), or "null" when absent. */
    public String header(int index, String name) {
        return String.valueOf(headers.get(index).get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    public String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    public static String fixture(String file) {
        try (InputStream in = FakePlatform.class.getResourceAsStream("/fixtures/platforms/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
